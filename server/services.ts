// What a running exchange holds: the handles the composition root builds once and passes
// to GraphQL and HTTP.
import type { Logger } from 'pino';
import type { ChainClient } from './chain/client.ts';
import type { OutboxDispatcher } from './chain/outbox.ts';
import type { ParticipantRegistry } from './chain/registry.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';

export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  chain: ChainClient;
  contracts: { participantRegistry: ParticipantRegistry };
  outbox: OutboxDispatcher;
}
