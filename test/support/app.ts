// Builds the real exchange in process for a test: a temporary data dir, the chosen database,
// the embedded chain; and a small GraphQL client over app's own HTTP handler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { buildApp, type BuiltApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openFixture, type DatabaseFixture } from './databases.ts';

export interface TestExchange {
  built: BuiltApp;
  url: string;
  dataDir: string;
  fixture: DatabaseFixture;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data: T; errors?: { message: string; extensions?: any }[] }>;
  keyOf(role: 'operator' | 'regulator' | 'provider' | 'buyer'): string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startTestExchange(options: {
  database: 'pglite' | 'postgres';
  dataDir?: string;
  fixture?: DatabaseFixture;
  env?: Record<string, string>;
}): Promise<TestExchange> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-test-'));
  const fixture = options.fixture ?? (await openFixture(options.database));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, PORT: '0', ...fixture.env, ...options.env });
  const built = await buildApp(config, { startWorkers: false });
  const server: Server = await new Promise((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = built.seededKeys.length > 0 ? built.seededKeys : readSeededKeys(dataDir);
  return {
    built,
    url,
    dataDir,
    fixture,
    async gql(query, variables, token) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    },
    keyOf(role) {
      const k = keys.find((k) => k.roles.includes(role));
      if (!k) throw new Error(`no seeded ${role}`);
      return k.token;
    },
    async stop({ keepData = false } = {}) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await built.close();
      if (!keepData) {
        await fixture.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function readSeededKeys(dataDir: string): { roles: string[]; token: string }[] {
  const file = path.join(dataDir, 'initial-keys.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
}
