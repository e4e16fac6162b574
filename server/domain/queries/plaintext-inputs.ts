// The provider's side of an encrypted query, computed by the database from the private rows:
// per-group counts and sums (so HE cost grows with groups, not rows), or the (id, value) pairs
// of an ID-set match. Values are clipped to the declared bounds when noise is calibrated to them.
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { rowsOf } from '../../db/client.ts';
import type { Column } from '../catalog/dataset-input.ts';

export interface Bounds {
  lower: number;
  upper: number;
}

/** The declared range of a column (complianceRules[name].range), in the column's own units. */
export function declaredRange(rules: unknown, name: string): Bounds | null {
  const range = (rules as Record<string, { range?: { min?: unknown; max?: unknown } }> | null)?.[name]?.range;
  const lower = Number(range?.min);
  const upper = Number(range?.max);
  return range && Number.isFinite(lower) && Number.isFinite(upper) && lower <= upper ? { lower, upper } : null;
}

function scaleOf(column: Column): number {
  return column.type === 'decimal' ? 10 ** (column.scale ?? 0) : 1;
}

/** SQL for the column's value in integer units, clipped when bounds are given. */
function scaledValue(column: Column, clip: Bounds | null) {
  const raw = sql`(values->>${column.name})::numeric`;
  const clipped = clip ? sql`least(greatest(${raw}, ${clip.lower}::numeric), ${clip.upper}::numeric)` : raw;
  return sql`round(${clipped} * ${scaleOf(column)})`;
}

/** Per category of the group column, in category order: rows with a value, and their sum (integer units). */
export async function groupTotals(db: DbHandle, versionId: string, group: Column, value: Column, clip: Bounds | null): Promise<{ rows: number; sum: bigint }[]> {
  const result = rowsOf(
    await db.execute(sql`
      select values->>${group.name} as grp, count(values->>${value.name})::int as rows,
             coalesce(sum(${scaledValue(value, clip)}), 0)::text as total
      from dataset_rows where version_id = ${versionId} group by 1`),
  );
  const byLabel = new Map(result.map((r) => [String(r.grp), { rows: Number(r.rows), sum: BigInt(String(r.total)) }]));
  return group.categories!.map((label) => byLabel.get(label) ?? { rows: 0, sum: 0n });
}

/** Per category, the row count and the sum of each numeric column (in the column's units). */
export async function groupColumnSums(db: DbHandle, versionId: string, group: Column, columns: Column[], clips: Bounds[]): Promise<{ rows: number; columnSums: number[] }[]> {
  const sums = columns.map((c, i) => sql`coalesce(sum(least(greatest((values->>${c.name})::float8, ${clips[i]!.lower}::float8), ${clips[i]!.upper}::float8)), 0)::float8`);
  const result = rowsOf(
    await db.execute(sql`
      select values->>${group.name} as grp, count(*)::int as rows, array[${sql.join(sums, sql`, `)}]::float8[] as sums
      from dataset_rows where version_id = ${versionId} group by 1`),
  );
  const byLabel = new Map(
    result.map((r) => [String(r.grp), { rows: Number(r.rows), columnSums: (r.sums as (number | string)[]).map(Number) }]),
  );
  return group.categories!.map((label) => byLabel.get(label) ?? { rows: 0, columnSums: columns.map(() => 0) });
}

/** Every row's key and value (integer units; a null value counts as 0) for an ID-set match. */
export async function idRows(db: DbHandle, versionId: string, key: Column, value: Column, clip: Bounds | null): Promise<{ ids: string[]; values: bigint[] }> {
  const result = rowsOf(
    await db.execute(sql`
      select values->>${key.name} as id, coalesce(${scaledValue(value, clip)}, 0)::text as value
      from dataset_rows where version_id = ${versionId} and values->>${key.name} is not null`),
  );
  return { ids: result.map((r) => String(r.id)), values: result.map((r) => BigInt(String(r.value))) };
}
