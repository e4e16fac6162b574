// Column rules a provider declares for a dataset, encoded as the compliance circuits take them
// (circuits/lib/dataset.circom), and rulesHash: the public signal that names the rule set a
// proof was made under. The server recomputes it from the declared rules; never the reverse.

import { isFieldElement, poseidonHash } from '../poseidon.ts';
import {
  checkSchema,
  encodeValue,
  provedColumnIndex,
  provedColumns,
  SIGNED_OFFSET,
  type CellValue,
  type ColumnSchema,
  type DatasetSchema,
} from './dataset-schema.ts';
import { COMPLIANCE_COLUMNS, ENUMERATION_SLOTS } from './parameters.ts';

/** What one column must satisfy. Rules other than nonNull skip null cells. */
export interface ColumnRules {
  /** No cell is null. */
  nonNull?: boolean;
  /** Every value lies in [min, max] (integer, decimal or category columns; bounds in the column's own terms). */
  range?: { min: Exclude<CellValue, null | undefined>; max: Exclude<CellValue, null | undefined> };
  /** Every value is one of these (at most ENUMERATION_SLOTS). */
  allowed?: readonly Exclude<CellValue, null | undefined>[];
  /**
   * No value has the magnitude of an 18-digit resident ID number, 10^17 <= x < 10^18 (integer or
   * decimal columns): declared for a column the catalog marks non-personal.
   */
  noResidentIdNumbers?: boolean;
}

/** Rules by column name (proved columns only: the schema's first COMPLIANCE_COLUMNS); a column without an entry is not checked. */
export type DeclaredRules = Readonly<Record<string, ColumnRules>>;

/** One column's rule record, field elements in the circuit's order. */
export interface EncodedColumnRule {
  /** bit 0 non-null, bit 1 range, bit 2 enumeration, bit 3 forbidden interval. */
  flags: bigint;
  min: bigint;
  max: bigint;
  forbiddenLow: bigint;
  forbiddenHigh: bigint;
  allowed: bigint[];
}

export const RULE_FLAG = { nonNull: 1n, range: 2n, enumeration: 4n, forbidden: 8n } as const;

const UINT64_LIMIT = 1n << 64n;
const UINT64_MAX = UINT64_LIMIT - 1n;

/** [10^17, 10^18) in the column's stored units, clamped to what a signed 64-bit value can hold. */
function residentIdInterval(column: ColumnSchema): { low: bigint; high: bigint } {
  const scale = column.type.kind === 'decimal' ? BigInt(column.type.scale) : 0n;
  const clamp = (x: bigint) => (x > SIGNED_OFFSET - 1n ? UINT64_MAX : x + SIGNED_OFFSET);
  return { low: clamp(10n ** (17n + scale)), high: clamp(10n ** (18n + scale)) };
}

const UNCHECKED: EncodedColumnRule = {
  flags: 0n,
  min: 0n,
  max: 0n,
  forbiddenLow: 0n,
  forbiddenHigh: 0n,
  allowed: new Array<bigint>(ENUMERATION_SLOTS).fill(0n),
};

function encodeColumnRules(column: ColumnSchema, rules: ColumnRules): EncodedColumnRule {
  const what = `rules of column "${column.name}"`;
  const kind = column.type.kind;
  const encoded = { ...UNCHECKED, allowed: [...UNCHECKED.allowed] };
  if (rules.nonNull) encoded.flags |= RULE_FLAG.nonNull;
  if (rules.range) {
    if (kind === 'text' || kind === 'id-number') throw new RangeError(`${what}: a range needs a numeric or category column`);
    encoded.flags |= RULE_FLAG.range;
    encoded.min = encodeValue(column, rules.range.min);
    encoded.max = encodeValue(column, rules.range.max);
    if (encoded.min > encoded.max) throw new RangeError(`${what}: range min exceeds max`);
  }
  if (rules.allowed) {
    const codes = [...new Set(rules.allowed.map((value) => encodeValue(column, value)))];
    if (codes.length === 0 || codes.length > ENUMERATION_SLOTS) {
      throw new RangeError(`${what}: an enumeration lists 1 to ${ENUMERATION_SLOTS} values`);
    }
    encoded.flags |= RULE_FLAG.enumeration;
    // Unused slots repeat the first code: a zero would silently admit the value 0.
    encoded.allowed = Array.from({ length: ENUMERATION_SLOTS }, (_, j) => codes[j] ?? codes[0]!);
  }
  if (rules.noResidentIdNumbers) {
    if (kind !== 'integer' && kind !== 'decimal') throw new RangeError(`${what}: noResidentIdNumbers needs an integer or decimal column`);
    encoded.flags |= RULE_FLAG.forbidden;
    const { low, high } = residentIdInterval(column);
    encoded.forbiddenLow = low;
    encoded.forbiddenHigh = high;
  }
  return encoded;
}

/**
 * The rule records of the schema's proved columns (its first COMPLIANCE_COLUMNS), in schema
 * order, padded to COMPLIANCE_COLUMNS unchecked columns. Rules naming any other column are refused
 * (UnprovedColumnError): the circuits never read those cells, so no proof could check them.
 */
export function encodeRules(schema: DatasetSchema, rules: DeclaredRules): EncodedColumnRule[] {
  checkSchema(schema);
  for (const name of Object.keys(rules)) provedColumnIndex(schema, name);
  const encoded = provedColumns(schema).map((column) => {
    const columnRules = rules[column.name];
    return columnRules ? encodeColumnRules(column, columnRules) : { ...UNCHECKED, allowed: [...UNCHECKED.allowed] };
  });
  while (encoded.length < COMPLIANCE_COLUMNS) encoded.push({ ...UNCHECKED, allowed: [...UNCHECKED.allowed] });
  return encoded;
}

export function checkEncodedRules(rules: readonly EncodedColumnRule[]): void {
  if (rules.length !== COMPLIANCE_COLUMNS) throw new RangeError(`a rule set has ${COMPLIANCE_COLUMNS} column records`);
  rules.forEach((rule, c) => {
    if (rule.flags < 0n || rule.flags > 15n) throw new RangeError(`column ${c}: flags are 4 bits`);
    for (const key of ['min', 'max', 'forbiddenLow', 'forbiddenHigh'] as const) {
      if (rule[key] < 0n || rule[key] >= UINT64_LIMIT) throw new RangeError(`column ${c}: ${key} must be below 2^64`);
    }
    if (rule.allowed.length !== ENUMERATION_SLOTS || !rule.allowed.every(isFieldElement)) {
      throw new RangeError(`column ${c}: allowed holds ${ENUMERATION_SLOTS} field elements`);
    }
  });
}

/** columnHash = Poseidon(flags, min, max, forbiddenLow, forbiddenHigh, allowed…), as ColumnRule computes it. */
export function columnRuleHash(rule: EncodedColumnRule): bigint {
  return poseidonHash([rule.flags, rule.min, rule.max, rule.forbiddenLow, rule.forbiddenHigh, ...rule.allowed]);
}

/** rulesHash = Poseidon(columnHash[0], …, columnHash[COMPLIANCE_COLUMNS-1]), as RuleSet computes it. */
export function rulesHash(rules: readonly EncodedColumnRule[]): bigint {
  checkEncodedRules(rules);
  return poseidonHash(rules.map(columnRuleHash));
}

/** The rule parameters as the circuits' private inputs name them (flags, min, max, …, allowed[C][E]). */
export function ruleInputs(rules: readonly EncodedColumnRule[]) {
  checkEncodedRules(rules);
  return {
    flags: rules.map((r) => r.flags),
    min: rules.map((r) => r.min),
    max: rules.map((r) => r.max),
    forbiddenLow: rules.map((r) => r.forbiddenLow),
    forbiddenHigh: rules.map((r) => r.forbiddenHigh),
    allowed: rules.map((r) => [...r.allowed]),
  };
}

/** Whether an encoded row obeys the rules, as the circuit decides it; for a provider's own pre-check. */
export function rowViolations(values: readonly bigint[], isNull: readonly (0 | 1)[], rules: readonly EncodedColumnRule[]): string[] {
  const violations: string[] = [];
  rules.forEach((rule, c) => {
    const value = values[c]!;
    if (isNull[c] === 1) {
      if (rule.flags & RULE_FLAG.nonNull) violations.push(`column ${c}: null`);
      return;
    }
    if (rule.flags & RULE_FLAG.range && (value < rule.min || value > rule.max)) violations.push(`column ${c}: out of range`);
    if (rule.flags & RULE_FLAG.enumeration && !rule.allowed.includes(value)) violations.push(`column ${c}: not an allowed value`);
    if (rule.flags & RULE_FLAG.forbidden && value >= rule.forbiddenLow && value < rule.forbiddenHigh) {
      violations.push(`column ${c}: has the shape of a resident ID number`);
    }
  });
  return violations;
}
