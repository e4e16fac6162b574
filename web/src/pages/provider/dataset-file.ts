// A provider's CSV file in the browser: parsed as the server parses uploads, its schema inferred
// (then edited by the provider), checked row by row, rewritten with the edited column names,
// and a few synthetic sample rows made from the schema (the catalog never shows real rows).
import { parse } from 'csv-parse/browser/esm/sync';
import type { CatalogColumn } from '../../../../sdk/catalog-commitment.ts';
import type { DatasetColumnInput, SampleRow, Sensitivity } from '../../../../sdk/graphql/types.ts';

export type Cell = string | null;
export type FileRow = Record<string, Cell>;

/** A column as the provider edits it: the API's column plus the CSV header it comes from. */
export interface EditableColumn extends DatasetColumnInput {
  source: string;
}

/** Same options as server/domain/catalog/upload-dataset-rows.ts, so both read the same cells. */
export function parseCsv(text: string): { header: string[]; rows: FileRow[] } {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 1_000_000 }) as Record<string, string>[];
  if (records.length === 0) throw new Error('no rows');
  const header = Object.keys(records[0]!);
  const rows = records.map((r) => {
    const row: FileRow = {};
    for (const h of header) row[h] = r[h] === undefined || r[h] === '' ? null : r[h]!;
    return row;
  });
  return { header, rows };
}

const INTEGER = /^-?\d{1,18}$/;
const DECIMAL = /^-?\d{1,18}\.(\d{1,12})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERSONAL = /name|phone|mobile|email|address|id_?card|id_?no|passport|姓名|电话|手机|邮箱|地址|身份证/i;
const MAX_CATEGORIES = 64;

/** A header as a column name the API accepts: lower-case letters, digits and _, starting with a letter. */
export function columnNameOf(header: string, index: number): string {
  const ascii = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
  return /^[a-z]/.test(ascii) ? ascii : `col_${index + 1}`;
}

export function inferColumns(header: readonly string[], rows: readonly FileRow[]): EditableColumn[] {
  const used = new Set<string>();
  return header.map((h, i) => {
    const values = rows.map((r) => r[h]).filter((v): v is string => v !== null && v !== undefined);
    const nullable = values.length < rows.length;
    let name = columnNameOf(h, i);
    while (used.has(name)) name = `${name}_${i + 1}`;
    used.add(name);
    const base = {
      source: h,
      name,
      nullable,
      sensitivity: (PERSONAL.test(h) ? 'PERSONAL' : 'NONE') as Sensitivity,
      ...(name !== h ? { description: h } : {}),
    };
    if (values.length > 0 && values.every((v) => INTEGER.test(v))) return { ...base, type: 'INTEGER' };
    if (values.length > 0 && values.every((v) => INTEGER.test(v) || DECIMAL.test(v))) {
      const scale = Math.max(...values.map((v) => DECIMAL.exec(v)?.[1]?.length ?? 0));
      return { ...base, type: 'DECIMAL', scale };
    }
    if (values.length > 0 && values.every((v) => DATE.test(v) && !Number.isNaN(Date.parse(v)))) return { ...base, type: 'DATE' };
    const distinct = [...new Set(values)];
    if (distinct.length > 0 && distinct.length <= MAX_CATEGORIES && distinct.length <= Math.max(2, rows.length / 2) && distinct.every((v) => v.length <= 100)) {
      return { ...base, type: 'CATEGORY', categories: distinct };
    }
    return { ...base, type: 'TEXT' };
  });
}

/** The commitment's view of the columns (lower-case enums), as catalogCommitment takes them. */
export function catalogColumns(columns: readonly EditableColumn[]): CatalogColumn[] {
  return columns.map((c) => ({
    name: c.name,
    type: c.type.toLowerCase() as CatalogColumn['type'],
    ...(c.scale !== undefined ? { scale: c.scale } : {}),
    ...(c.categories ? { categories: c.categories } : {}),
    sensitivity: c.sensitivity.toLowerCase() as CatalogColumn['sensitivity'],
  }));
}

/** The rows keyed by the edited column names. */
export function renameRows(columns: readonly EditableColumn[], rows: readonly FileRow[]): FileRow[] {
  return rows.map((r) => {
    const out: FileRow = {};
    for (const c of columns) out[c.name] = r[c.source] ?? null;
    return out;
  });
}

/** Why a row does not fit the edited schema (the server's own checks), or null. */
export function rowProblem(columns: readonly EditableColumn[], row: FileRow): string | null {
  for (const c of columns) {
    const v = row[c.name];
    if (v === null || v === undefined) {
      if (!c.nullable) return `${c.name}: empty in a non-null column`;
      continue;
    }
    switch (c.type) {
      case 'INTEGER':
        if (!INTEGER.test(v)) return `${c.name}: "${v}" is not an integer`;
        break;
      case 'DECIMAL':
        if (!new RegExp(`^-?\\d{1,18}(\\.\\d{1,${Math.max(1, c.scale ?? 0)}})?$`).test(v) || ((c.scale ?? 0) === 0 && v.includes('.'))) {
          return `${c.name}: "${v}" is not a decimal with at most ${c.scale ?? 0} digits after the point`;
        }
        break;
      case 'CATEGORY':
        if (!c.categories?.includes(v)) return `${c.name}: "${v}" is not one of its categories`;
        break;
      case 'TEXT':
        if (v.length > 1000) return `${c.name}: longer than 1000 characters`;
        break;
      case 'DATE':
        if (!DATE.test(v) || Number.isNaN(Date.parse(v))) return `${c.name}: "${v}" is not a date (YYYY-MM-DD)`;
        break;
    }
  }
  return null;
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  return /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV with the edited names as its header, for uploadDatasetRows. */
export function toCsv(columns: readonly EditableColumn[], rows: readonly FileRow[]): string {
  const lines = [columns.map((c) => csvCell(c.name)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.name] ?? null)).join(','));
  return lines.join('\n') + '\n';
}

/**
 * `count` synthetic rows: values drawn from each column's declared domain (its categories, the
 * range its numbers and dates span), never copied from the file; text columns get placeholders.
 */
export function syntheticSamples(columns: readonly EditableColumn[], rows: readonly FileRow[], count = 3, random: () => number = Math.random): SampleRow[] {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const sample: SampleRow = {};
    for (const c of columns) {
      const values = rows.map((r) => r[c.name]).filter((v): v is string => v !== null && v !== undefined);
      if (values.length === 0) {
        sample[c.name] = null;
        continue;
      }
      switch (c.type) {
        case 'CATEGORY':
          sample[c.name] = pick(c.categories ?? values);
          break;
        case 'INTEGER': {
          const ns = values.map(Number);
          const lo = Math.min(...ns);
          const hi = Math.max(...ns);
          sample[c.name] = String(Math.round(lo + random() * (hi - lo)));
          break;
        }
        case 'DECIMAL': {
          const ns = values.map(Number);
          const lo = Math.min(...ns);
          const hi = Math.max(...ns);
          sample[c.name] = (lo + random() * (hi - lo)).toFixed(c.scale ?? 0);
          break;
        }
        case 'DATE': {
          const ts = values.map((v) => Date.parse(v));
          const lo = Math.min(...ts);
          const hi = Math.max(...ts);
          sample[c.name] = new Date(lo + Math.floor((random() * (hi - lo)) / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
          break;
        }
        case 'TEXT':
          sample[c.name] = `sample-${i + 1}`;
          break;
      }
    }
    return sample;
  });
}
