// `npm run worker`: the anchoring worker and the clearing scheduler without HTTP. It seals
// pending anchor records into batches, drains the chain outbox, runs clearing cycles and scans
// the market for surveillance alerts (several workers scanning at once raise each alert once), on the
// same database and chain as the server; run as many as needed (they share the work through row
// locks, outbox leases and the clearing lock).
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { buildServices } from './services.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (config.mode !== 'full') {
    console.error('npm run worker writes; a regulator-readonly node runs no workers (docs/regulator-node.md)');
    process.exit(2);
  }
  if (config.chain.kind === 'embedded' && config.database.kind === 'postgres') {
    // The in-process chain lives inside one process; a worker beside the server would build
    // a second chain from the same journal and the two would diverge.
    console.error('npm run worker on PostgreSQL needs an external chain: set CHAIN_RPC_URL and CHAIN_SIGNER_KEY');
    process.exit(2);
  }
  const log = createLogger(config.log);
  const { services, close } = await buildServices(config, log);
  services.anchoring.start(config.outboxIntervalMs);
  services.clearing.start();
  services.encryptedQueries.start(config.outboxIntervalMs);
  services.auctions.start(config.outboxIntervalMs);
  if (config.surveillance.intervalMs > 0) services.surveillance.start(config.surveillance.intervalMs);
  log.info(
    { intervalMs: config.outboxIntervalMs, clearingIntervalMs: config.clearing.intervalMs, surveillanceIntervalMs: config.surveillance.intervalMs, database: services.database.location },
    'anchoring worker, clearing scheduler and market surveillance running',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await close();
    log.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
