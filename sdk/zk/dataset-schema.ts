// How a dataset's cells become the field elements the compliance circuits read
// (circuits/lib/dataset.circom): one encoding, schema-driven, shared by the provider who commits
// and proves and by anyone who checks a commitment against the rows.
//
// A row's first COMPLIANCE_COLUMNS cells are its *proved* cells: the circuits read them one by
// one, so column rules and the minimum-group-size column may only name those columns. Every
// further cell is committed through restHash, one field element the circuits take as given: it
// binds the rest of the row to the commitment without costing the circuits anything per column.

import { isFieldElement, poseidonHash } from '../poseidon.ts';
import { COMPLIANCE_COLUMNS } from './parameters.ts';

export type ColumnType =
  /** A signed 64-bit integer. */
  | { kind: 'integer' }
  /** A fixed-point decimal with `scale` digits after the point, stored as the scaled integer. */
  | { kind: 'decimal'; scale: number }
  /** One of a fixed list of labels, stored as the label's index in `codes`. */
  | { kind: 'category'; codes: readonly string[] }
  /** Free text, stored as a Poseidon hash of its UTF-8 bytes. */
  | { kind: 'text' }
  /** A mainland resident identity number (居民身份证号码), checked, then stored hashed like text. */
  | { kind: 'id-number' };

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** Whether the column holds personal information (个人信息); declared in the catalog. */
  personal?: boolean;
}

export interface DatasetSchema {
  columns: readonly ColumnSchema[];
}

/** A cell as a provider holds it; null (or undefined) is a null cell. */
export type CellValue = bigint | number | string | null | undefined;

/** A row by column name, or by position in the schema. */
export type DatasetRow = Readonly<Record<string, CellValue>> | readonly CellValue[];

/**
 * A row as the circuits read it: the proved cells' values and null flags (COMPLIANCE_COLUMNS of
 * each, padded with 0), and restHash, the hash of every other cell (0 when there are none).
 */
export interface EncodedRow {
  values: bigint[];
  isNull: (0 | 1)[];
  restHash: bigint;
}

/**
 * Columns a dataset may have. The encoding has no limit of its own (restHash folds any number of
 * cells); this bounds the work of hashing one row and the size of a row in the provider's store.
 */
export const MAX_DATASET_COLUMNS = 64;

/** Numbers are stored as x + 2^63, so that unsigned 64-bit comparison in a circuit orders them. */
export const SIGNED_OFFSET = 1n << 63n;
const INT64_MIN = -SIGNED_OFFSET;
const INT64_MAX = SIGNED_OFFSET - 1n;

/** Domain tags of hashed text, so that a text cell and an id-number cell never collide. */
const TEXT_DOMAIN = 1n;
const ID_NUMBER_DOMAIN = 2n;
const TEXT_CHUNK_BYTES = 31;

export class CellEncodingError extends Error {
  override readonly name = 'CellEncodingError';
}

/** A rule or a group count named a column the circuits do not read cell by cell. */
export class UnprovedColumnError extends RangeError {
  override readonly name = 'UnprovedColumnError';
}

export function checkSchema(schema: DatasetSchema): void {
  const { columns } = schema;
  if (columns.length === 0 || columns.length > MAX_DATASET_COLUMNS) {
    throw new RangeError(`a dataset schema has 1 to ${MAX_DATASET_COLUMNS} columns, got ${columns.length}`);
  }
  const names = new Set<string>();
  for (const column of columns) {
    if (names.has(column.name)) throw new RangeError(`column "${column.name}" appears twice`);
    names.add(column.name);
    const { type } = column;
    if (type.kind === 'decimal' && !(Number.isInteger(type.scale) && type.scale >= 0 && type.scale <= 18)) {
      throw new RangeError(`column "${column.name}": a decimal scale is an integer from 0 to 18`);
    }
    if (type.kind === 'category') {
      if (type.codes.length === 0) throw new RangeError(`column "${column.name}": a category needs at least one code`);
      if (new Set(type.codes).size !== type.codes.length) throw new RangeError(`column "${column.name}": duplicate category codes`);
    }
  }
}

/**
 * The proved columns: the schema's first COMPLIANCE_COLUMNS, in schema order. Fixed by the schema
 * alone (not by the declared rules), so that a commitment does not change when rules are revised;
 * a provider puts the columns it wants to prove rules about first.
 */
export function provedColumns(schema: DatasetSchema): readonly ColumnSchema[] {
  return schema.columns.slice(0, COMPLIANCE_COLUMNS);
}

/** The circuit's cell index of a proved column, by name; a typed error for any other column. */
export function provedColumnIndex(schema: DatasetSchema, name: string): number {
  const index = schema.columns.findIndex((column) => column.name === name);
  if (index < 0) throw new RangeError(`unknown column "${name}"`);
  if (index >= COMPLIANCE_COLUMNS) {
    throw new UnprovedColumnError(
      `column "${name}" is column ${index + 1} of the schema; rules and group sizes are proved on the first ${COMPLIANCE_COLUMNS} columns only`,
    );
  }
  return index;
}

/** Poseidon over the UTF-8 bytes, 31 to a field element, folded 15 elements at a time, length first. */
function hashText(text: string, domain: bigint): bigint {
  const bytes = new TextEncoder().encode(text);
  const elements: bigint[] = [];
  for (let i = 0; i < bytes.length; i += TEXT_CHUNK_BYTES) {
    let element = 0n;
    for (const byte of bytes.subarray(i, i + TEXT_CHUNK_BYTES)) element = (element << 8n) | BigInt(byte);
    elements.push(element);
  }
  let hash = poseidonHash([domain, BigInt(bytes.length)]);
  for (let i = 0; i < elements.length; i += 15) hash = poseidonHash([hash, ...elements.slice(i, i + 15)]);
  return hash;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The ISO 7064 MOD 11-2 check character of a resident ID's first 17 digits ('0'–'9' or 'X'). */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('a resident ID starts with 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** Whether `text` is an 18-character resident ID with a correct check character. */
export function isResidentId(text: string): boolean {
  const id = text.toUpperCase();
  return /^\d{17}[\dX]$/.test(id) && residentIdCheckCharacter(id.slice(0, 17)) === id[17];
}

function toInteger(value: CellValue, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CellEncodingError(`${what}: ${value} is not a safe integer; pass a bigint or a string`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new CellEncodingError(`${what}: expected an integer, got ${JSON.stringify(String(value))}`);
}

/** "-12.5" at scale 2 → -1250n; refuses digits beyond the scale rather than rounding them away. */
function toScaled(value: CellValue, scale: number, what: string): bigint {
  if (typeof value === 'bigint') return value * 10n ** BigInt(scale);
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new CellEncodingError(`${what}: expected a decimal, got ${JSON.stringify(String(value))}`);
  const [, sign, whole, fraction = ''] = match;
  const kept = fraction.replace(/0+$/, '');
  if (kept.length > scale) throw new CellEncodingError(`${what}: ${text} has more than ${scale} digits after the point`);
  const magnitude = BigInt(whole!) * 10n ** BigInt(scale) + BigInt(kept.padEnd(scale, '0') || '0');
  return sign === '-' ? -magnitude : magnitude;
}

function signed(x: bigint, what: string): bigint {
  if (x < INT64_MIN || x > INT64_MAX) throw new CellEncodingError(`${what}: ${x} does not fit a signed 64-bit integer`);
  return x + SIGNED_OFFSET;
}

/**
 * The field element of a non-null value of the column: numbers as x + 2^63 (decimals scaled),
 * categories as their code's index, text and id-numbers hashed.
 */
export function encodeValue(column: ColumnSchema, value: Exclude<CellValue, null | undefined>): bigint {
  const what = `column "${column.name}"`;
  const { type } = column;
  switch (type.kind) {
    case 'integer':
      return signed(toInteger(value, what), what);
    case 'decimal':
      return signed(toScaled(value, type.scale, what), what);
    case 'category': {
      const code = type.codes.indexOf(String(value));
      if (code < 0) throw new CellEncodingError(`${what}: ${JSON.stringify(String(value))} is not one of its codes`);
      return BigInt(code);
    }
    case 'text':
      if (typeof value !== 'string') throw new CellEncodingError(`${what}: expected text`);
      return hashText(value, TEXT_DOMAIN);
    case 'id-number':
      if (typeof value !== 'string' || !isResidentId(value)) throw new CellEncodingError(`${what}: not a valid resident ID number`);
      return hashText(value.toUpperCase(), ID_NUMBER_DOMAIN);
  }
}

/** Rest cells per Poseidon call: with the running hash and their null mask they fill Poseidon(16). */
const REST_CELLS_PER_HASH = 14;

/**
 * restHash over the cells after the proved ones: 0 when there are none; otherwise, starting from
 * h = their count, h = Poseidon(h, nullMask, v…) over each run of up to 14 cells, nullMask having
 * bit j set when the run's cell j is null (a null cell holds 0). Leading with the count makes the
 * fold canonical: no two cell lists share a hash by padding.
 */
export function restHash(values: readonly bigint[], isNull: readonly (0 | 1)[]): bigint {
  if (values.length !== isNull.length) throw new RangeError('rest cells need one null flag each');
  if (values.length === 0) return 0n;
  checkCells(values, isNull, 0, values.length);
  let hash = BigInt(values.length);
  for (let start = 0; start < values.length; start += REST_CELLS_PER_HASH) {
    const end = start + REST_CELLS_PER_HASH;
    hash = poseidonHash([hash, nullMask(isNull.slice(start, end)), ...values.slice(start, end)]);
  }
  return hash;
}

/** Every cell of the row in schema order: its field element (0 when null) and null flag. */
function encodeCells(schema: DatasetSchema, row: DatasetRow): { values: bigint[]; isNull: (0 | 1)[] } {
  const values: bigint[] = [];
  const isNull: (0 | 1)[] = [];
  schema.columns.forEach((column, c) => {
    const cell = Array.isArray(row) ? (row as readonly CellValue[])[c] : (row as Readonly<Record<string, CellValue>>)[column.name];
    if (cell === null || cell === undefined) {
      values.push(0n);
      isNull.push(1);
    } else {
      values.push(encodeValue(column, cell));
      isNull.push(0);
    }
  });
  return { values, isNull };
}

/** The proved cells in schema order, padded to COMPLIANCE_COLUMNS, and restHash over the others. */
export function encodeRow(schema: DatasetSchema, row: DatasetRow): EncodedRow {
  const cells = encodeCells(schema, row);
  const values = cells.values.slice(0, COMPLIANCE_COLUMNS);
  const isNull = cells.isNull.slice(0, COMPLIANCE_COLUMNS);
  while (values.length < COMPLIANCE_COLUMNS) {
    values.push(0n);
    isNull.push(0);
  }
  return { values, isNull, restHash: restHash(cells.values.slice(COMPLIANCE_COLUMNS), cells.isNull.slice(COMPLIANCE_COLUMNS)) };
}

/** Σ isNull[c]·2^c. */
function nullMask(isNull: readonly (0 | 1)[]): bigint {
  let mask = 0n;
  isNull.forEach((flag, c) => {
    if (flag === 1) mask |= 1n << BigInt(c);
  });
  return mask;
}

/**
 * rowHash = Poseidon(v0, …, v3, nullMask, restHash), nullMask = Σ isNull[c]·2^c over the proved
 * cells: the row's leaf in the dataset tree.
 */
export function rowHash(row: EncodedRow): bigint {
  checkEncodedRow(row);
  return poseidonHash([...row.values, nullMask(row.isNull), row.restHash]);
}

export function checkEncodedRow(row: EncodedRow): void {
  if (row.values.length !== COMPLIANCE_COLUMNS || row.isNull.length !== COMPLIANCE_COLUMNS) {
    throw new RangeError(`an encoded row has ${COMPLIANCE_COLUMNS} values and null flags`);
  }
  checkCells(row.values, row.isNull, 0, COMPLIANCE_COLUMNS);
  if (!isFieldElement(row.restHash)) throw new RangeError('restHash is not a field element');
}

/** Cells start … end-1 are field elements with 0/1 null flags, and a null cell holds 0. */
function checkCells(values: readonly bigint[], isNull: readonly (0 | 1)[], start: number, end: number): void {
  for (let c = start; c < end; c++) {
    const value = values[c];
    if (!isFieldElement(value)) throw new RangeError(`cell ${c} is not a field element`);
    if (isNull[c] !== 0 && isNull[c] !== 1) throw new RangeError(`null flag ${c} is not 0 or 1`);
    if (isNull[c] === 1 && value !== 0n) throw new RangeError(`null cell ${c} must hold 0`);
  }
}
