// The databases an integration suite runs against: embedded PGlite always, and real
// PostgreSQL when DATABASE_URL or the local server on 127.0.0.1:5432 answers. Each
// PostgreSQL run gets a fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface DatabaseFixture {
  name: 'pglite' | 'postgres';
  /** Environment for loadConfig: DATABASE_URL for PostgreSQL, nothing for PGlite. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  })();
  return reachable;
}

/** A fresh PostgreSQL database on the reachable server. */
export async function freshPostgres(): Promise<DatabaseFixture> {
  const name = `exchange_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export function pgliteFixture(): DatabaseFixture {
  return { name: 'pglite', env: {}, drop: async () => {} };
}

/** The targets for describe.each: always PGlite, and PostgreSQL when it answers. */
export async function databaseTargets(): Promise<('pglite' | 'postgres')[]> {
  return (await postgresReachable()) ? ['pglite', 'postgres'] : ['pglite'];
}

export async function openFixture(kind: 'pglite' | 'postgres'): Promise<DatabaseFixture> {
  return kind === 'pglite' ? pgliteFixture() : freshPostgres();
}
