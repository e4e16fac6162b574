// Starts the exchange: validates the configuration, builds the app and listens.
import type { Server } from 'node:http';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

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
  const log = createLogger(config.log);
  const started = Date.now();
  const built = await buildApp(config, { logger: log });
  const server: Server = await new Promise((resolve, reject) => {
    const s = built.app.listen(config.http.port, config.http.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const base = typeof address === 'object' && address ? `http://${config.http.host}:${address.port}` : String(address);
  if (built.seededKeysFile) {
    log.info({ file: built.seededKeysFile }, 'first start: API keys of the operator, the regulator and the demo participants written here (shown once)');
  }
  log.info({ graphql: `${base}/graphql`, health: `${base}/health`, web: `${base}/`, dataDir: config.dataDir, startMs: Date.now() - started }, 'exchange listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await built.close();
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
