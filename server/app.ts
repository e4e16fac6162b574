// The composition root as a factory: config → database → chain → privacy → GraphQL → HTTP.
// main.ts only listens on what buildApp returns; tests build the very same app in process.
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { ChainClient } from './chain/client.ts';
import { loadCoreArtifact } from './chain/contracts.ts';
import { ensureDeployed } from './chain/deploy.ts';
import { OutboxDispatcher } from './chain/outbox.ts';
import { ParticipantRegistry } from './chain/registry.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { seedSystemParticipants, type SeededKey } from './domain/participants/seed-system-participants.ts';
import { createHttpApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { getHeContext } from './privacy/he/context.ts';
import { zkReadiness } from './privacy/zk/readiness.ts';
import type { Services } from './services.ts';

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
  /** Run the outbox dispatcher on a timer (default true); tests drain it by hand. */
  startWorkers?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BuiltApp> {
  const log = options.logger ?? createLogger(config.log);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'error while closing');
      }
    }
  };
  try {
    const database: Database = await openDatabase(config.database);
    closers.push(() => database.close());
    log.info({ database: database.kind, location: database.location }, 'database ready, migrations applied');

    const chain = await ChainClient.open(
      config.chain.kind === 'embedded' ? { kind: 'embedded', projectRoot: config.projectRoot } : config.chain,
      database.db,
      log,
    );
    closers.push(() => chain.close());
    const registryArtifact = loadCoreArtifact(config.projectRoot, 'ParticipantRegistry');
    const registryDeployment = await ensureDeployed(chain, database.db, log, registryArtifact, [chain.operatorAddress]);
    const participantRegistry = new ParticipantRegistry(chain, registryDeployment.address, registryArtifact.abi);
    log.info(
      { chain: chain.embedded ? 'embedded (in-process EVM)' : 'json-rpc', chainId: chain.chainId.toString(), operator: chain.operatorAddress, participantRegistry: registryDeployment.address },
      'chain ready',
    );

    const seededKeys = await seedSystemParticipants({ db: database.db, operatorAddress: chain.operatorAddress, includeDemo: config.seedDemo });
    const seededKeysFile = seededKeys.length > 0 ? writeSeededKeys(config.dataDir, seededKeys) : null;

    const outbox = new OutboxDispatcher(database.db, log, { ...participantRegistry.outboxHandlers() });
    if (options.startWorkers !== false) outbox.start(config.outboxIntervalMs);
    closers.push(() => outbox.stop());

    // Load the shared SEAL context and the circuits' verification keys now, not on the first query.
    await getHeContext();
    const zk = await zkReadiness();
    if (!zk.ready) log.warn({ error: zk.error }, 'zero-knowledge artifacts missing: run `npm run build:circuits`');

    const services: Services = {
      config,
      log,
      database,
      db: database.db,
      chain,
      contracts: { participantRegistry },
      outbox,
    };
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
  fs.writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return file;
}
