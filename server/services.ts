// What a running exchange holds, and how it is built: the handles the composition roots
// (buildApp for `npm start`, server/worker.ts for `npm run worker`) build once and pass to
// GraphQL, HTTP and the workers.
import type { Logger } from 'pino';
import { AnchorRegistry } from './chain/anchoring/anchor-registry.ts';
import { AnchoringWorker } from './chain/anchoring/anchoring-worker.ts';
import { ChainClient } from './chain/client.ts';
import { loadCoreArtifact } from './chain/contracts.ts';
import { ensureDeployed } from './chain/deploy.ts';
import { OutboxDispatcher } from './chain/outbox.ts';
import { ParticipantRegistry } from './chain/registry.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database, type Db } from './db/client.ts';
import { ClearingScheduler } from './domain/clearing/clearing-scheduler.ts';
import { closeDueBidRounds, type RoundOutcome } from './domain/auctions/close-bid-round.ts';
import { EncryptedQueryRunner } from './domain/queries/run-encrypted-queries.ts';
import { WorkerLoop } from './worker-loop.ts';
import { HeWorkerPool } from './privacy/he/pool.ts';
import { LocalPaymentGateway, type PaymentGateway } from './domain/ledger/payment-gateway.ts';

export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  chain: ChainClient;
  contracts: { participantRegistry: ParticipantRegistry; anchorRegistry: AnchorRegistry };
  outbox: OutboxDispatcher;
  /** Seals anchor records into batches and drains the outbox; `start` it, or `runOnce` in tests. */
  anchoring: AnchoringWorker;
  /** The bank or e-CNY side of deposits and withdrawals (a local stand-in by default). */
  paymentGateway: PaymentGateway;
  /** Runs clearing cycles every CLEARING_INTERVAL_MS once started; `runOnce` runs one now. */
  clearing: ClearingScheduler;
  /** Runs queued encrypted queries on the HE worker pool (started on first use). */
  encryptedQueries: EncryptedQueryRunner;
  /** Closes sealed-bid rounds whose deadline has passed. */
  auctions: WorkerLoop<RoundOutcome[]>;
}

export interface BuiltServices {
  services: Services;
  /** Stops the workers, then closes the chain and the database. */
  close(): Promise<void>;
}

/** Opens the database (migrated) and the chain, deploys the contracts it lacks, and builds the workers (not started). */
export async function buildServices(config: Config, log: Logger): Promise<BuiltServices> {
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
    const anchorArtifact = loadCoreArtifact(config.projectRoot, 'AnchorRegistry');
    const anchorDeployment = await ensureDeployed(chain, database.db, log, anchorArtifact, [chain.operatorAddress]);
    const anchorRegistry = new AnchorRegistry(chain, anchorDeployment.address, anchorArtifact.abi, database.db);
    log.info(
      {
        chain: chain.embedded ? 'embedded (in-process EVM)' : 'json-rpc',
        chainId: chain.chainId.toString(),
        operator: chain.operatorAddress,
        participantRegistry: registryDeployment.address,
        anchorRegistry: anchorDeployment.address,
      },
      'chain ready',
    );

    const outbox = new OutboxDispatcher(database.db, log, { ...participantRegistry.outboxHandlers(), ...anchorRegistry.outboxHandlers() });
    closers.push(() => outbox.stop());
    const anchoring = new AnchoringWorker(database.db, log, outbox);
    closers.push(() => anchoring.stop());
    const clearing = new ClearingScheduler(database.db, log, config.clearing);
    closers.push(() => clearing.stop());
    // The HE pool loads SEAL in a worker per core; it starts with the first query, not at boot.
    let pool: Promise<HeWorkerPool> | undefined;
    closers.push(async () => {
      if (pool) await (await pool).close();
    });
    const encryptedQueries = new EncryptedQueryRunner(database.db, log, async (task) => (await (pool ??= HeWorkerPool.start())).run(task));
    closers.push(() => encryptedQueries.stop());
    const auctions = new WorkerLoop('auction closer', log, () => closeDueBidRounds({ db: database.db }));
    closers.push(() => auctions.stop());

    const services: Services = {
      config,
      log,
      database,
      db: database.db,
      chain,
      contracts: { participantRegistry, anchorRegistry },
      outbox,
      anchoring,
      paymentGateway: new LocalPaymentGateway(),
      clearing,
      encryptedQueries,
      auctions,
    };
    return { services, close };
  } catch (err) {
    await close();
    throw err;
  }
}
