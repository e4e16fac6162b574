// Calls to any root field of the live schema, built from the schema itself: the variable
// definitions come from the field's argument types and the selection from its result type, so
// the authorisation matrix and the fuzzer can reach every field without hand-written documents.
import { getNamedType, isObjectType, isInterfaceType, isUnionType, type GraphQLField } from 'graphql';
import { schema } from '../../server/graphql/schema.ts';

export type RootKind = 'query' | 'mutation';

export function rootFields(kind: RootKind): GraphQLField<unknown, unknown>[] {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root!.getFields());
}

export function rootField(kind: RootKind, name: string): GraphQLField<unknown, unknown> {
  const field = rootFields(kind).find((f) => f.name === name);
  if (!field) throw new Error(`no ${kind} field ${name}`);
  return field;
}

/** What a caller learns about a field's result: its typename, and an AppError's code. */
export function resultSelection(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (isUnionType(type) && type.getTypes().some((t) => t.name === 'AppError')) return '{ __typename ... on AppError { code field message } }';
  if (isObjectType(type) || isInterfaceType(type) || isUnionType(type)) return '{ __typename }';
  return '';
}

/**
 * A document calling `name` with the given arguments passed as variables (their types read from
 * the schema). Arguments not given are left out, required or not.
 */
export function documentFor(kind: RootKind, name: string, argNames: string[]): string {
  const field = rootField(kind, name);
  const args = argNames.map((a) => {
    const arg = field.args.find((x) => x.name === a);
    if (!arg) throw new Error(`${name} has no argument ${a}`);
    return arg;
  });
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const pass = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${defs ? `(${defs})` : ''} { ${name}${pass ? `(${pass})` : ''} ${resultSelection(field)} }`;
}

export interface GraphQLResponse {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** How a call came out: the error code it got (a GraphQL error's or an AppError result's), null, or a result. */
export type Outcome = { kind: 'error'; code: string; message: string } | { kind: 'null' } | { kind: 'result'; typename: string };

export function outcomeOf(response: GraphQLResponse, name: string): Outcome {
  const error = response.errors?.[0];
  if (error) return { kind: 'error', code: error.extensions?.code ?? 'UNCODED', message: error.message };
  const value = response.data?.[name];
  if (value === null || value === undefined) return { kind: 'null' };
  if (value.__typename === 'AppError') return { kind: 'error', code: value.code, message: value.message };
  return { kind: 'result', typename: Array.isArray(value) ? 'list' : (value.__typename ?? typeof value) };
}
