// A cheap fingerprint of everything the exchange stores: per table, its row count and an
// order-independent sum of row hashes. Two equal fingerprints mean no row was added, removed or
// changed. The one write a request makes whatever it asks for is left out: signing in with a key
// records its use (api_keys.last_used_at, an `auth.key-used` audit entry and that entry's anchor
// record), at most once a minute per key.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../server/db/client.ts';

const KEY_USE_ENTRIES = `select hash from audit_log where action = 'auth.key-used'`;

/** Rows of a table that say something about the exchange rather than about a key's last use. */
const FILTERS: Record<string, string> = {
  audit_log: `where x.action <> 'auth.key-used'`,
  anchor_records: `where not (x.kind = 'audit.entry' and x.record_id in (${KEY_USE_ENTRIES}))`,
};
const VOLATILE_COLUMNS: Record<string, string[]> = { api_keys: ['last_used_at'] };

export type Fingerprint = Record<string, string>;

export async function tablesOf(db: Db): Promise<string[]> {
  const rows = rowsOf(await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`));
  return rows.map((r) => String(r.table_name));
}

export async function fingerprint(db: Db, tables: string[]): Promise<Fingerprint> {
  const parts = tables.map((t) => {
    const row = VOLATILE_COLUMNS[t] ? `to_jsonb(x) - array[${VOLATILE_COLUMNS[t]!.map((c) => `'${c}'`).join(', ')}]` : 'to_jsonb(x)';
    return `select '${t}' as t, count(*)::text || ':' || coalesce(sum(hashtext((${row})::text)::bigint), 0)::text as f from "${t}" x ${FILTERS[t] ?? ''}`;
  });
  const rows = rowsOf(await db.execute(sql.raw(parts.join(' union all '))));
  return Object.fromEntries(rows.map((r) => [String(r.t), String(r.f)]));
}

/** The tables whose fingerprints differ. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
