// Participants, API keys, the chain journal and outbox, installation state
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** 市场主体: an organisation trading on, running or supervising the exchange. */
export const participants = pgTable(
  'participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** 'uscc' (统一社会信用代码, mainland China) or 'foreign' (the home registry's number). */
    registrationScheme: text('registration_scheme', { enum: ['uscc', 'foreign'] }).notNull(),
    registrationCode: text('registration_code').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['pending', 'verified', 'rejected', 'suspended'] }).notNull().default('pending'),
    chainAddress: text('chain_address').notNull(),
    contactEmail: text('contact_email'),
    /** The registration code of the organisation that controls this one (实际控制人), if any: related parties share it. */
    controllerCode: text('controller_code'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verifiedBy: uuid('verified_by'),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('participants_registration_key').on(t.registrationScheme, t.registrationCode),
    uniqueIndex('participants_chain_address_key').on(t.chainAddress),
    check('participants_roles_nonempty', sql`cardinality(${t.roles}) > 0`),
  ],
);

/** Scoped API keys. Only a SHA-256 of the secret is stored; the prefix finds the row. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    label: text('label').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_participant_idx').on(t.participantId)],
);

/** Contracts the exchange deployed, per chain. Deployed at start when absent. */
export const chainDeployments = pgTable(
  'chain_deployments',
  {
    chainId: bigint('chain_id', { mode: 'bigint' }).notNull(),
    contract: text('contract').notNull(),
    address: text('address').notNull(),
    txHash: text('tx_hash').notNull(),
    bytecodeHash: text('bytecode_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.contract] })],
);

/**
 * Every transaction the exchange signs, in order, raw. On an external chain it is the
 * record of what was sent; on the embedded chain it is what rebuilds the chain after a
 * restart (the same raw transactions at the same timestamps give the same hashes and state).
 */
export const chainJournal = pgTable(
  'chain_journal',
  {
    seq: bigserial('seq', { mode: 'bigint' }).primaryKey(),
    chainId: bigint('chain_id', { mode: 'bigint' }).notNull(),
    txHash: text('tx_hash').notNull(),
    rawTx: text('raw_tx').notNull(),
    nonce: integer('nonce').notNull(),
    purpose: text('purpose').notNull(),
    blockTimestamp: bigint('block_timestamp', { mode: 'bigint' }).notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    /** `dropped`: an external node accepted it and forgot it unmined; a retry sends it again. */
    status: text('status', { enum: ['sent', 'mined', 'reverted', 'dropped'] }).notNull().default('sent'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('chain_journal_tx_hash_key').on(t.txHash), index('chain_journal_chain_idx').on(t.chainId, t.seq)],
);

/**
 * The outbox: a state change that must reach the chain writes a row here in the same
 * database transaction; the dispatcher delivers it, retrying with backoff, idempotently.
 */
export const chainOutbox = pgTable(
  'chain_outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'done', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    txHash: text('tx_hash'),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    createdAt: createdAt(),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('chain_outbox_dedupe_key').on(t.kind, t.dedupeKey),
    index('chain_outbox_pending_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Key-value facts about this installation (e.g. that the demo seed ran). */
export const systemState = pgTable('system_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
