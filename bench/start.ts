// coldStartMs: a fresh data dir to the first answered GraphQL query (migrations, contract
// deployment, seed, SEAL and circuit loading included); warmStartMs: the same data dir again
// (the embedded chain rebuilt from its journal). The server runs as `npm start` runs it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/config.ts';
import type { Figure } from './report.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function timeToFirstQuery(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...cleanEnv(), DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        if (res.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}

/** The server reads its own variables only; a developer's DATABASE_URL must not leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(DATABASE_|CHAIN_|SEED_|OUTBOX_|EXCHANGE_)/.test(k)) delete env[k];
  return env;
}

export async function benchStart(): Promise<Figure[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-bench-'));
  try {
    const cold = await timeToFirstQuery(dataDir);
    const warm = await timeToFirstQuery(dataDir);
    return [
      { name: 'coldStartMs', value: cold, unit: 'ms', note: 'fresh data dir → first GraphQL answer' },
      { name: 'warmStartMs', value: warm, unit: 'ms', comparison: { name: 'coldStartMs', value: cold }, note: 'same data dir, chain rebuilt from journal' },
    ];
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
