// What a running exchange holds, and how it is built: the handles the composition roots
// (buildApp for `npm start`, server/worker.ts for `npm run worker`) build once and pass to
// GraphQL, HTTP and the workers.
import type { Logger } from 'pino';
import { AnchorRegistry } from './chain/anchoring/anchor-registry.ts';
import { AnchoringWorker } from './chain/anchoring/anchoring-worker.ts';
import { ChainClient } from './chain/client.ts';
import { ensureComplianceRegistry, type ComplianceRegistry } from './chain/compliance-registry.ts';
import { loadCoreArtifact } from './chain/contracts.ts';
import { ensureDeployed, recordedDeployment, type Deployment } from './chain/deploy.ts';
import { OutboxDispatcher } from './chain/outbox.ts';
import { ParticipantRegistry } from './chain/registry.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database, type Db } from './db/client.ts';
import { ClearingScheduler } from './domain/clearing/clearing-scheduler.ts';
import { closeDueBidRounds, type RoundOutcome } from './domain/auctions/close-bid-round.ts';
import { EncryptedQueryRunner } from './domain/queries/run-encrypted-queries.ts';
import { scanMarketOnSchedule, type MarketScan } from './domain/surveillance/scan-market.ts';
import { WorkerLoop } from './worker-loop.ts';
import { HeWorkerPool } from './privacy/he/pool.ts';
import { builtCircuitKeys, ZkArtifactsError } from './privacy/zk/artifacts.ts';
import { LocalPaymentGateway, type PaymentGateway } from './domain/ledger/payment-gateway.ts';

export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  chain: ChainClient;
  contracts: {
    participantRegistry: ParticipantRegistry;
    anchorRegistry: AnchorRegistry;
    /** Records verified compliance proofs (合规证明); null until the circuits are built, and on a read-only node. */
    complianceRegistry: ComplianceRegistry | null;
  };
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
  /** 市场风险预警: runs the surveillance rules every SURVEILLANCE_INTERVAL_MS once started. */
  surveillance: WorkerLoop<MarketScan>;
}

export interface BuiltServices {
  services: Services;
  /** Stops the workers, then closes the chain and the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (migrated) and the chain, deploys the contracts it lacks, and builds the
 * workers (not started). A regulator's node (mode regulator-readonly) opens a read-only database
 * session without migrating, reads the chain without a signer and finds the contracts the primary
 * deployed; its workers are built but never started (they could not write anyway).
 */
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
    const readOnly = config.mode === 'regulator-readonly';
    const database: Database = await openDatabase(config.database, { readOnly });
    closers.push(() => database.close());
    log.info({ database: database.kind, location: database.location, readOnly }, readOnly ? 'database ready (read-only)' : 'database ready, migrations applied');

    const chain = await ChainClient.open(
      config.chain.kind === 'embedded' ? { kind: 'embedded', projectRoot: config.projectRoot } : config.chain,
      database.db,
      log,
    );
    closers.push(() => chain.close());
    const registryArtifact = loadCoreArtifact(config.projectRoot, 'ParticipantRegistry');
    const deployment = (artifact: typeof registryArtifact): Promise<Deployment> =>
      readOnly ? recordedDeployment(chain, database.db, artifact) : ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    const registryDeployment = await deployment(registryArtifact);
    const participantRegistry = new ParticipantRegistry(chain, registryDeployment.address, registryArtifact.abi);
    const anchorArtifact = loadCoreArtifact(config.projectRoot, 'AnchorRegistry');
    const anchorDeployment = await deployment(anchorArtifact);
    const anchorRegistry = new AnchorRegistry(chain, anchorDeployment.address, anchorArtifact.abi, database.db);
    log.info(
      {
        chain: chain.embedded ? 'embedded (in-process EVM)' : 'json-rpc',
        chainId: chain.chainId.toString(),
        operator: chain.readOnly ? null : chain.operatorAddress,
        participantRegistry: registryDeployment.address,
        anchorRegistry: anchorDeployment.address,
      },
      'chain ready',
    );

    const complianceRegistry = readOnly ? null : await deployComplianceRegistry(chain, database.db, log, config.projectRoot);

    const outbox = new OutboxDispatcher(database.db, log, {
      ...participantRegistry.outboxHandlers(),
      ...anchorRegistry.outboxHandlers(),
      ...complianceRegistry?.outboxHandlers(),
    });
    closers.push(() => outbox.stop());
    // The embedded chain lives in this one process, so no other dispatcher can hold a lease:
    // leases left by a killed predecessor would hold its rows back for minutes.
    if (chain.embedded) await outbox.releaseLeases();
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
    const surveillance = new WorkerLoop('market surveillance', log, () => scanMarketOnSchedule({ db: database.db }));
    closers.push(() => surveillance.stop());

    const services: Services = {
      config,
      log,
      database,
      db: database.db,
      chain,
      contracts: { participantRegistry, anchorRegistry, complianceRegistry },
      outbox,
      anchoring,
      paymentGateway: new LocalPaymentGateway(),
      clearing,
      encryptedQueries,
      auctions,
      surveillance,
    };
    return { services, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * ComplianceRegistry with a verifier per built circuit. Without built circuits the exchange still
 * starts (proofs cannot be verified then anyway): a warning, and compliance records wait in the
 * outbox until a restart after `npm run build:circuits` and `npm run build:contracts`.
 */
async function deployComplianceRegistry(chain: ChainClient, db: Db, log: Logger, projectRoot: string): Promise<ComplianceRegistry | null> {
  let circuits;
  try {
    circuits = await builtCircuitKeys();
  } catch (err) {
    if (!(err instanceof ZkArtifactsError)) throw err;
    log.warn({ error: err.message }, 'circuits not built: ComplianceRegistry not deployed');
    return null;
  }
  const registry = await ensureComplianceRegistry({ client: chain, db, log, projectRoot, circuits });
  log.info({ complianceRegistry: registry.address }, 'compliance registry ready');
  return registry;
}
