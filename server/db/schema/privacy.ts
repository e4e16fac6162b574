// Encrypted queries (可用不可见) and zero-knowledge compliance proofs (合规证明)
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.ts';
import { datasetVersions, datasets } from './catalog.ts';
import { participants } from './foundation.ts';
import { licences } from './trading.ts';

/** A buyer's public HE key material (public, relinearisation and Galois keys), uploaded once per key id. */
export const heKeySets = pgTable(
  'he_key_sets',
  {
    /** sha256 of the public key, hex: the sdk computes the same id. */
    keyId: text('key_id').primaryKey(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    scheme: text('scheme', { enum: ['bfv', 'ckks'] }).notNull(),
    paramsFingerprint: text('params_fingerprint').notNull(),
    /** The public bundle as the sdk serialised it (JSON of base64 fields). Never a secret key. */
    bundle: bytea('bundle').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('he_key_sets_participant_idx').on(t.participantId)],
);

/**
 * An encrypted query and its job: queued → running → done | failed. A worker (in `npm start`
 * or `npm run worker` on any machine) leases queued rows with FOR UPDATE SKIP LOCKED.
 */
export const encryptedQueries = pgTable(
  'encrypted_queries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id),
    buyerId: uuid('buyer_id').notNull(),
    datasetId: uuid('dataset_id').notNull(),
    versionId: uuid('version_id').notNull(),
    keyId: text('key_id')
      .notNull()
      .references(() => heKeySets.keyId),
    kind: text('kind').notNull(),
    /** Public parameters (columns, group count): never the buyer's selection, which is encrypted. */
    params: jsonb('params').notNull(),
    paramsHash: text('params_hash').notNull(),
    /** The encrypted query as uploaded (JSON of base64 ciphertexts). */
    request: bytea('request').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull().default('queued'),
    result: bytea('result'),
    resultMeta: jsonb('result_meta'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    epsilonMicro: bigint('epsilon_micro', { mode: 'bigint' }),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('encrypted_queries_queue_idx').on(t.status, t.createdAt),
    index('encrypted_queries_buyer_idx').on(t.buyerId, t.createdAt),
    index('encrypted_queries_dataset_idx').on(t.datasetId, t.createdAt),
  ],
);

/**
 * ID-set hashing salts the exchange issued, one per licence and query: a salt is spent by the
 * ID-set query that uses it, and a second query with it is refused (a reused salt would let
 * the buyer line up bucket hits, false matches included, across queries).
 */
export const idSetSalts = pgTable(
  'id_set_salts',
  {
    /** 128 random bits, 32 lower-case hex digits (sdk/he/id-set-match.ts). */
    salt: text('salt').primaryKey(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The query that spent it; null while it is unused. */
    queryId: uuid('query_id'),
  },
  (t) => [index('id_set_salts_licence_idx').on(t.licenceId, t.queryId)],
);

/** A verified zero-knowledge compliance proof about a dataset version, recorded on chain too. */
export const complianceProofs = pgTable(
  'compliance_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    circuit: text('circuit').notNull(),
    /** The decoded public signals (root, rulesHash, chunk index, nonce, …). */
    statement: jsonb('statement').notNull(),
    publicSignals: jsonb('public_signals').notNull(),
    proof: jsonb('proof').notNull(),
    /** sha256 of the proof and public signals: the same proof twice is a replay. */
    proofHash: text('proof_hash').notNull(),
    /**
     * The ComplianceRegistry's key, keccak256(circuit, dataset, version, public signals): one
     * statement once per version (a re-randomised proof of it is a replay too).
     */
    recordHash: text('record_hash').notNull(),
    vkeySha256: text('vkey_sha256').notNull(),
    submittedBy: uuid('submitted_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('compliance_proofs_proof_hash_key').on(t.proofHash),
    uniqueIndex('compliance_proofs_record_hash_key').on(t.recordHash),
    index('compliance_proofs_version_idx').on(t.versionId, t.circuit),
  ],
);

/**
 * 抽样审计: a sampled audit of a dataset version asked for by its reviewer (the operator) or its
 * provider: s samples, proved by one sampled_audit proof per exchange-issued nonce.
 */
export const complianceAuditChallenges = pgTable(
  'compliance_audit_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    samples: integer('samples').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    /** Asked for by the reviewer: the reviewer's latest s is what the listing check requires. */
    byReviewer: boolean('by_reviewer').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('compliance_audit_challenges_version_idx').on(t.versionId, t.createdAt)],
);

/** A nonce the exchange issued for a sampled audit (the provider cannot pick its samples); used once. */
export const complianceAuditNonces = pgTable(
  'compliance_audit_nonces',
  {
    /** A random field element, decimal. */
    nonce: text('nonce').primaryKey(),
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => complianceAuditChallenges.id),
    versionId: uuid('version_id').notNull(),
    position: integer('position').notNull(),
    /** The verified sampled_audit proof that used it. */
    proofId: uuid('proof_id'),
  },
  (t) => [index('compliance_audit_nonces_challenge_idx').on(t.challengeId, t.position)],
);
