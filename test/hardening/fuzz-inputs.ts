// Hostile requests derived from the schema for the fuzzer: for a root field, arguments built
// from their input types (mostly the right shape, often the wrong one: huge and unicode strings,
// negative and huge numbers, random and malformed ids, malformed base64 and proofs, deep
// nesting, missing required fields, extra fields), sent as variables or as literals; and
// documents and bodies that are hostile in themselves.
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { globalId } from '../factories/parties.ts';
import { resultSelection, rootFields, type RootKind } from './schema-calls.ts';

/** One HTTP request to /graphql: a JSON body, or raw text sent as JSON. */
export interface FuzzRequest {
  /** The root field called, or 'document' for a hostile document. */
  field: string;
  kind: RootKind | 'document';
  body: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
}

const NODE_TYPES = ['Dataset', 'Order', 'Trade', 'Licence', 'Participant', 'PricePlan', 'Dispute', 'BidRound', 'Bid', 'EncryptedQuery', 'ClearingCycle', 'RightsCertificate', 'SecurityAssessment', 'Alert', 'Nope'];

const HOSTILE_STRINGS = [
  '',
  ' ',
  "'; drop table participants; --",
  '" or 1=1 --',
  'a\u0000b',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202egnp.exe',
  '￿',
  '𠀀𠀁',
  'ＡＢＣ１２３',
  '../../etc/passwd',
  '%s%n%x',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '{"__proto__":{"polluted":1}}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '-0',
  '1e999',
  '0x10',
  'CN',
  'SG',
  'HK',
  'CN-44',
  'URBAN_PLANNING',
  'transport.traffic',
  'a,b\n1,2\n',
  'district,hour,vehicles,avg_speed\n福田,1,2,3\n福田,x,,\n',
];

const base64Bytes = fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('base64'));
/** Base64 that is almost right: cut short, stray characters, wrong padding, url-safe alphabet. */
const brokenBase64 = fc
  .tuple(base64Bytes, fc.constantFrom('!', '=', '==', '===', '-', '_', ' ', '\n', '%', ''), fc.nat(300))
  .map(([b, junk, at]) => b.slice(0, at % (b.length + 1)) + junk + b.slice(at % (b.length + 1)));

const hugeString = fc.tuple(fc.constantFrom('A', '数', '😀', '\\', '"', '\u0000', ' '), fc.integer({ min: 10_000, max: 200_000 })).map(([c, n]) => c.repeat(n));

function deeplyNested(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}
// Deep enough to hurt a recursive walk, shallow enough for JSON.stringify on this side; deeper
// nesting goes as raw text (rawBodies).
const deepJson = fc.integer({ min: 50, max: 1000 }).map((d) => deeplyNested(d));
const deepText = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const anyString = fc.oneof(
  { arbitrary: fc.string(), weight: 20 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 15 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 50 }), weight: 10 },
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 20 },
  { arbitrary: fc.uuid(), weight: 5 },
  { arbitrary: base64Bytes, weight: 5 },
  { arbitrary: brokenBase64, weight: 5 },
  { arbitrary: hugeString, weight: 1 },
);

const anyInt = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 10_000, 2_147_483_647, -2_147_483_648, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21), fc.integer({ min: -10, max: 1000 }));
const anyFloat = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 0.1, 10, 11, -1));
const anyBigInt = fc.oneof(
  fc.bigInt({ min: -(10n ** 90n), max: 10n ** 90n }).map(String),
  fc.bigInt({ min: -1000n, max: 10n ** 12n }).map(String),
  fc.constantFrom('0', '-0', '-1', '1', '9'.repeat(78), '9'.repeat(79), '1e3', '0x10', ' 5', '5 ', '1.5', '', '+1', '٣'),
  fc.integer(),
  fc.double(),
);
const anyDate = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', 'yesterday', '', '2024', '1e12', 'Infinity'),
  fc.integer(),
);
const anyJsonValue = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 6 },
  { arbitrary: deepJson, weight: 1 },
  { arbitrary: fc.dictionary(fc.constantFrom('ciphertext', 'ciphertexts', 'kind', 'groupCount', 'salt', 'pi_a', 'pi_b', 'pi_c', 'protocol', 'curve'), fc.oneof(base64Bytes, brokenBase64, fc.array(brokenBase64, { maxLength: 3 }), anyBigInt, fc.jsonValue({ maxDepth: 2 }))), weight: 3 },
);

export interface IdSource {
  /** Real global ids of records the fixtures made, so some calls get past the lookup. */
  ids: string[];
}

/** The node type an id argument or field names (`orderId`, `toHolderId`), to aim some ids at the right type. */
function nodeTypeNamed(name: string | undefined): string | undefined {
  const stem = name?.replace(/Ids?$/, '').replace(/^to/, '').toLowerCase();
  const aliases: Record<string, string> = { holder: 'Participant', plan: 'PricePlan', round: 'BidRound', assessment: 'SecurityAssessment', version: 'DatasetVersion' };
  return stem ? (aliases[stem] ?? NODE_TYPES.find((t) => t.toLowerCase() === stem)) : undefined;
}

function idArb(source: IdSource, name: string | undefined): fc.Arbitrary<unknown> {
  const type = nodeTypeNamed(name);
  const ofType = source.ids.filter((id) => Buffer.from(id, 'base64').toString().startsWith(`${type}:`));
  return fc.oneof(
    { arbitrary: ofType.length ? fc.constantFrom(...ofType) : fc.constantFrom(...source.ids), weight: 6 },
    { arbitrary: fc.uuid().map((id) => (type ? globalId(type, id) : id)), weight: 3 },
    { arbitrary: fc.constantFrom(...source.ids), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...NODE_TYPES), fc.uuid()).map(([t, id]) => globalId(t, id)), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...NODE_TYPES), anyString).map(([t, id]) => globalId(t, id)), weight: 2 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: brokenBase64, weight: 1 },
    { arbitrary: anyString, weight: 1 },
    { arbitrary: fc.integer(), weight: 1 },
  );
}

// Values GraphQL itself accepts for the type, so the call reaches the exchange's own checks.
const wellTypedInt = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)), fc.integer({ min: -10, max: 1000 }));
const wellTypedBigInt = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -1000n, max: 10n ** 12n }), fc.constantFrom(0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n))).map(String);
const wellTypedDate = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
).map((d) => d.toISOString());

function scalarArb(scalar: string, source: IdSource, tame: boolean, name: string | undefined): fc.Arbitrary<unknown> {
  switch (scalar) {
    case 'String':
      return anyString;
    case 'ID':
      return idArb(source, name);
    case 'Int':
      return tame ? wellTypedInt : anyInt;
    case 'Float':
      return anyFloat;
    case 'Boolean':
      return fc.boolean();
    case 'BigInt':
      return tame ? wellTypedBigInt : anyBigInt;
    case 'DateTime':
      return tame ? wellTypedDate : anyDate;
    default:
      return anyJsonValue;
  }
}

/** Any JSON value of the wrong type, in place of what the schema asks for. */
const wrongType = fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyString, fc.constant(null));

/**
 * A value for an input type: the baseline (a valid value, where the test has one) often, a
 * generated value of the right shape more often, and unless `tame`, a value of the wrong type,
 * an input object missing fields or with an extra one, sometimes. Tame values pass GraphQL's
 * own coercion, so they test the exchange's checks rather than GraphQL's.
 */
export function valueArb(type: GraphQLInputType, source: IdSource, tame: boolean, baseline?: unknown, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const options: fc.WeightedArbitrary<unknown>[] = [{ arbitrary: typedArb(type, source, tame, baseline, depth, name), weight: 12 }];
  if (!tame) options.push({ arbitrary: wrongType, weight: 1 });
  if (baseline !== undefined) options.push({ arbitrary: fc.constant(baseline), weight: 10 });
  return fc.oneof(...options);
}

function typedArb(type: GraphQLInputType, source: IdSource, tame: boolean, baseline: unknown, depth: number, name: string | undefined): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return typedArb(type.ofType, source, tame, baseline, depth, name);
  if (isListType(type)) {
    const element = valueArb(type.ofType, source, tame, Array.isArray(baseline) ? baseline[0] : undefined, depth + 1, name);
    return fc.oneof(
      { arbitrary: fc.array(element, { maxLength: 4 }), weight: 8 },
      { arbitrary: element, weight: 1 },
      // Long lists of one small value (a long list of huge values would only test this side's memory).
      { arbitrary: fc.tuple(fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom(Array.isArray(baseline) ? baseline[0] : 1, 1, 'x', null)).map(([n, e]) => Array.from({ length: n }, () => e)), weight: 1 },
    );
  }
  const enumValues = isEnumType(type) ? fc.constantFrom(...type.getValues().map((v) => v.name)) : undefined;
  if (enumValues) return tame ? enumValues : fc.oneof({ arbitrary: enumValues, weight: 8 }, { arbitrary: anyString, weight: 1 });
  if (isScalarType(type)) return scalarArb(type.name, source, tame, name);
  if (isInputObjectType(type)) {
    if (depth > 4) return fc.constant({});
    const base = (baseline && typeof baseline === 'object' ? baseline : {}) as Record<string, unknown>;
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((f) => [f.name, valueArb(f.type, source, tame, base[f.name], depth + 1, f.name)]));
    if (tame) return fc.record(shape);
    return fc.oneof(
      { arbitrary: fc.record(shape), weight: 8 },
      // Missing fields, required or not.
      { arbitrary: fc.record(shape, { requiredKeys: [] }), weight: 2 },
      // A field the type does not have.
      { arbitrary: fc.tuple(fc.record(shape), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(([o, k, v]) => ({ ...o, [k]: v })), weight: 1 },
    );
  }
  return fc.constant(null);
}

/** A GraphQL literal for a value, with enum-like strings bare where the type is an enum. */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return Number.isFinite(value) || typeof value === 'boolean' ? String(value) : 'null';
  const elementType = type && isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, elementType && isListType(elementType) ? elementType.ofType : undefined)).join(', ')}]`;
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k))
    .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`)
    .join(', ')}}`;
}

function callArb(kind: RootKind, field: GraphQLField<unknown, unknown>, source: IdSource, baseline: Record<string, unknown> | undefined): fc.Arbitrary<FuzzRequest> {
  const argsOf = (tame: boolean) => fc.record(Object.fromEntries(field.args.map((a) => [a.name, valueArb(a.type, source, tame, baseline?.[a.name], 0, a.name)])));
  const args = fc.oneof({ arbitrary: argsOf(true), weight: 3 }, { arbitrary: argsOf(false), weight: 2 });
  const selection = resultSelection(field);
  const asVariables = fc.tuple(args, fc.subarray(field.args.map((a) => a.name)), fc.nat(9)).map(([values, dropped, variant]) => {
    // Most calls pass every argument; some leave arguments out of the document or of the variables.
    const inDocument = variant === 0 ? field.args.filter((a) => !dropped.includes(a.name)) : field.args;
    const variables = variant === 1 ? Object.fromEntries(Object.entries(values).filter(([k]) => !dropped.includes(k))) : values;
    if (variant === 2) variables.unexpected = 'extra variable';
    const defs = inDocument.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const pass = inDocument.map((a) => `${a.name}: $${a.name}`).join(', ');
    const query = `${kind}${defs ? `(${defs})` : ''} { ${field.name}${pass ? `(${pass})` : ''} ${selection} }`;
    return { field: field.name, kind, body: { query, variables } } satisfies FuzzRequest;
  });
  const asLiterals = args.map((values) => {
    const pass = field.args.map((a) => `${a.name}: ${literal(values[a.name], a.type)}`).join(', ');
    return { field: field.name, kind, body: { query: `${kind} { ${field.name}${pass ? `(${pass})` : ''} ${selection} }` } } satisfies FuzzRequest;
  });
  return fc.oneof({ arbitrary: asVariables, weight: 5 }, { arbitrary: asLiterals, weight: 1 });
}

/** Documents and bodies hostile in themselves, whatever field they name. */
const hostileDocument: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.integer({ min: 20, max: 5000 }).map((d) => ({ query: `query { viewer { ${'... on Viewer { '.repeat(d)}scopes${' }'.repeat(d)} } }` })),
  // Nested fields that check the caller themselves, reached through the public catalog.
  fc.integer({ min: 1, max: 200 }).map((n) => ({ query: `{ catalog(first: ${n}) { ... on QueryCatalogConnection { edges { node { id versions { id } listingHistory { action actor { id } } provider { id } } } } } }` })),
  fc.integer({ min: 50, max: 5000 }).map((n) => ({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { __typename }`).join(' ')} }` })),
  fc.integer({ min: 100, max: 20_000 }).map((d) => ({ query: `{ ${'viewer { '.repeat(d)}${'}'.repeat(d)} }` })),
  fc.constant({ query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
  fc.integer({ min: 10, max: 2000 }).map((n) => ({ query: `{ viewer ${'@include(if: true) '.repeat(n)}{ __typename } }` })),
  fc.constant({ query: '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }' }),
  fc.constant({ query: 'query A { viewer { __typename } } query B { me { __typename } }', operationName: 'C' }),
  // A subscription that validates would stream for as long as the caller listens; this one does not validate.
  fc.constant({ query: 'subscription { mySettlements { noSuchField } }' }),
  fc.constant({ query: 'mutation { runClearingCycle { __typename } }', operationName: null, extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
  anyString.map((query) => ({ query })),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.constant({ query: '{ viewer { __typename } }' }), { minLength: 2, maxLength: 50 }),
  fc.tuple(fc.integer({ min: 100, max: 10_000 }), fc.jsonValue({ maxDepth: 1 })).map(([n, v]) => ({ query: '{ viewer { __typename } }', variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, v])) })),
  deepJson.map((variables) => ({ query: 'query($q: JSON!) { viewer { __typename } }', variables: { q: variables } })),
).map((body) => ({ field: 'document', kind: 'document' as const, body }));

const rawBodies: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    fc.string(),
    fc.constantFrom('', '{', '{"query": ', 'null', '[]', '{"query": 1}', '{"query": "{ viewer { __typename } }", "variables": "x"}', '\u0000'),
    hugeString.map((s) => `{"query": "${s}"}`),
    fc.integer({ min: 1000, max: 100_000 }).map((d) => `{"query": "query($q: JSON!) { viewer { __typename } }", "variables": {"q": ${deepText(d)}}}`),
    fc.integer({ min: 1000, max: 100_000 }).map((d) => `{"query": "mutation($p: JSON!, $q: JSON!) { submitEncryptedQuery(licenceId: \\"x\\", keyId: \\"k\\", kind: GROUP_AGGREGATE, params: $p, query: $q) { __typename } }", "variables": {"p": ${deepText(d)}, "q": {"a": ${deepText(d)}}}}`),
  )
  .map((rawBody) => ({ field: 'document', kind: 'document' as const, body: null, rawBody }));

/** Every root field's calls, weighted towards mutations, plus hostile documents and bodies. */
export function requestArb(source: IdSource, baselines: Record<string, Record<string, unknown>>): fc.Arbitrary<FuzzRequest> {
  const calls = (kind: RootKind) => fc.oneof(...rootFields(kind).map((f) => callArb(kind, f, source, baselines[f.name])));
  return fc.oneof({ arbitrary: calls('mutation'), weight: 14 }, { arbitrary: calls('query'), weight: 5 }, { arbitrary: hostileDocument, weight: 1 }, { arbitrary: rawBodies, weight: 1 });
}
