// The composition root as a factory: config → database → chain → privacy → GraphQL → HTTP.
// main.ts only listens on what buildApp returns; tests build the very same app in process.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { seedSystemParticipants, type SeededKey } from './domain/participants/seed-system-participants.ts';
import { createHttpApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { getHeContext } from './privacy/he/context.ts';
import { zkReadiness } from './privacy/zk/readiness.ts';
import { buildServices, type Services } from './services.ts';

export interface BuiltApp {
  app: Express;
  services: Services;
  /** Keys created by the first start's seed (empty on later starts). */
  seededKeys: SeededKey[];
  /** Where the seeded keys were written, when they were. */
  seededKeysFile: string | null;
  close(): Promise<void>;
}

export interface BuildOptions {
  logger?: Logger;
  /**
   * Run the anchoring worker (sealing and the outbox) and the clearing scheduler on their timers
   * (default true); tests call `services.anchoring.runOnce()` and run clearing themselves.
   */
  startWorkers?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BuiltApp> {
  const log = options.logger ?? createLogger(config.log);
  const { services, close } = await buildServices(config, log);
  // The regulator's node (docs/regulator-node.md) writes nothing: no seed, no workers.
  const primary = config.mode === 'full';
  try {
    let seededKeysFile: string | null = null;
    const seededKeys = primary
      ? await seedSystemParticipants({
          db: services.db,
          operatorAddress: services.chain.operatorAddress,
          includeDemo: config.seedDemo,
          beforeCommit: (keys) => (seededKeysFile = writeSeededKeys(config.dataDir, keys)),
        })
      : [];

    // Sealing anchor batches, draining the outbox, clearing and surveillance run in this process unless told otherwise.
    if (primary && options.startWorkers !== false) {
      services.anchoring.start(config.outboxIntervalMs);
      services.clearing.start();
      services.encryptedQueries.start(config.outboxIntervalMs);
      services.auctions.start(config.outboxIntervalMs);
      if (config.surveillance.intervalMs > 0) services.surveillance.start(config.surveillance.intervalMs);
    }

    // Load the shared SEAL context and the circuits' verification keys now, not on the first query.
    await getHeContext();
    const zk = await zkReadiness();
    if (!zk.ready) log.warn({ error: zk.error }, 'zero-knowledge artifacts missing: run `npm run build:circuits`');

    const app = createHttpApp(services);
    return { app, services, seededKeys, seededKeysFile, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** First start only: the operator's and regulator's keys, readable by the owner alone. */
function writeSeededKeys(dataDir: string, keys: SeededKey[]): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'initial-keys.json');
  // Written whole or not at all, and on disk before the seed commits (see seedSystemParticipants).
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(keys, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
  return file;
}
