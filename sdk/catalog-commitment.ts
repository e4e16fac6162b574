// The commitment a provider declares for a catalog dataset version: the catalog's column types
// mapped onto the compliance circuits' encoding (sdk/zk/dataset-schema.ts), so that the root
// the catalog records is the root the compliance proofs are made against. Every column counts:
// the first four are the cells the proofs read, the others are folded into each row's restHash.
// The server recomputes it from uploaded rows with this same function.
import { commitDataset, type CommittedDataset } from './zk/dataset-commitment.ts';
import type { CellValue, ColumnSchema, DatasetSchema } from './zk/dataset-schema.ts';

export interface CatalogColumn {
  name: string;
  type: 'integer' | 'decimal' | 'category' | 'text' | 'date';
  scale?: number;
  categories?: readonly string[];
  sensitivity?: 'none' | 'internal' | 'personal' | 'sensitive_personal';
}

const DAY_MS = 86_400_000;

/** The compliance schema of catalog columns; dates are whole days since 1970-01-01. */
export function commitmentSchema(columns: readonly CatalogColumn[]): DatasetSchema {
  return {
    columns: columns.map((c): ColumnSchema => ({
      name: c.name,
      personal: c.sensitivity === 'personal' || c.sensitivity === 'sensitive_personal',
      type:
        c.type === 'decimal'
          ? { kind: 'decimal', scale: c.scale ?? 0 }
          : c.type === 'category'
            ? { kind: 'category', codes: c.categories ?? [] }
            : c.type === 'text'
              ? { kind: 'text' }
              : { kind: 'integer' },
    })),
  };
}

/** A catalog row as the commitment encodes it. */
export function commitmentRow(columns: readonly CatalogColumn[], row: Readonly<Record<string, CellValue>>): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const c of columns) {
    const v = row[c.name];
    out[c.name] = c.type === 'date' && typeof v === 'string' && v !== '' ? Math.round(Date.parse(`${v}T00:00:00Z`) / DAY_MS) : v === '' ? null : v;
  }
  return out;
}

/** The committed dataset a provider keeps to prove compliance from (sdk/zk provers), under the catalog schema. */
export function commitCatalogDataset(columns: readonly CatalogColumn[], rows: readonly Readonly<Record<string, CellValue>>[]): CommittedDataset {
  return commitDataset(commitmentSchema(columns), rows.map((r) => commitmentRow(columns, r)));
}

/** Root (decimal string) and row count of the rows under the catalog schema. */
export function catalogCommitment(columns: readonly CatalogColumn[], rows: readonly Readonly<Record<string, CellValue>>[]): { root: string; rowCount: number } {
  const { root, rowCount } = commitCatalogDataset(columns, rows);
  return { root: root.toString(), rowCount };
}
