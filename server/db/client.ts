// Opens the database the configuration names: embedded PGlite under the data dir, or
// PostgreSQL through postgres.js. Both give the same drizzle handle to the rest of the code.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A handle a use case can run statements on: the database itself or an open transaction. */
export type DbHandle = Db | Tx;

export type DatabaseTarget = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string; poolSize: number };

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where it lives, with any password removed, for logs and /health. */
  location: string;
  /** Statements issued through drizzle since opening (benchmarks and N+1 tests read it). */
  stats: { queries: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
// Arbitrary but fixed: serialises migrations when several servers start on one PostgreSQL.
const MIGRATION_LOCK_ID = 727_100_001;

export interface OpenOptions {
  /**
   * A replica's reader (the regulator's node): no migrations, and every session read-only
   * (`default_transaction_read_only`), so a stray write fails instead of reaching the copy.
   * PostgreSQL only: an embedded PGlite cannot be shared with the primary.
   */
  readOnly?: boolean;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (options.readOnly) {
    if (target.kind !== 'postgres') throw new Error('a read-only database must be PostgreSQL (a replica of the primary)');
    return openPostgres(target.url, target.poolSize, true);
  }
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url, target.poolSize);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  let release = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const client = await PGlite.create(dataDir ?? undefined);
    const stats = { queries: 0 };
    const db = drizzlePglite({ client, schema, logger: counter(stats) }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    return {
      db,
      kind: 'pglite',
      location: dataDir ?? 'memory://',
      stats,
      ping: async () => {
        await client.query('select 1');
      },
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

async function openPostgres(url: string, poolSize: number, readOnly = false): Promise<Database> {
  const quiet = { onnotice: () => {} };
  if (!readOnly) await migrate(url, quiet);
  // A startup parameter, so it holds for every pooled connection and every transaction.
  const client = postgres(url, { max: poolSize, ...quiet, ...(readOnly ? { connection: { default_transaction_read_only: true } } : {}) });
  const stats = { queries: 0 };
  const db = drizzlePostgres({ client, schema, logger: counter(stats) }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: redact(url),
    stats,
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Applies pending migrations, one server at a time (advisory lock). */
async function migrate(url: string, quiet: { onnotice: () => void }): Promise<void> {
  const migrator = postgres(url, { max: 1, ...quiet });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder: MIGRATIONS });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await migrator.end();
  }
}

function counter(stats: { queries: number }) {
  return { logQuery: () => void stats.queries++ };
}

/** PGlite is single-process: a second server on the same data dir would corrupt it. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, '..', path.basename(dataDir) + '.lock');
  const tryLock = () => fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  try {
    tryLock();
  } catch {
    const holder = Number(fs.readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`The embedded database ${dataDir} is in use by process ${holder}`);
    }
    fs.rmSync(lockFile, { force: true });
    tryLock();
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/** Rows of a raw `db.execute()`: postgres.js returns an array, PGlite an object with rows. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
}
