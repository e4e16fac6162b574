// Ledger (账户 · 分类账): double entry in fen
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { participants } from './foundation.ts';

/**
 * An account. Participants have `available` and `escrow`; the exchange has `fees`,
 * `settlement` (clearing in transit) and `gateway` (the bank or e-CNY side of deposits and
 * withdrawals, which goes negative as money comes in). Balances of participants' accounts may
 * never be negative: the database refuses it.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').references(() => participants.id),
    kind: text('kind', { enum: ['available', 'escrow', 'fees', 'settlement', 'gateway'] }).notNull(),
    balanceFen: bigint('balance_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_owner_kind_key').on(t.ownerId, t.kind).where(sql`owner_id is not null`),
    uniqueIndex('ledger_accounts_system_kind_key').on(t.kind).where(sql`owner_id is null`),
    check('ledger_accounts_no_overdraft', sql`${t.kind} not in ('available', 'escrow') or ${t.balanceFen} >= 0`),
  ],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** What the transaction is about, e.g. `order:<id>`, `cycle:<id>`. */
    reference: text('reference').notNull(),
    /** The caller's key for money-moving mutations; the same key twice is the same transaction. */
    idempotencyKey: text('idempotency_key'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ledger_transactions_idempotency_key').on(t.idempotencyKey), index('ledger_transactions_reference_idx').on(t.reference)],
);

/** One leg of a transaction: + increases the account's balance, − decreases it. Legs sum to zero. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [index('ledger_entries_transaction_idx').on(t.transactionId), index('ledger_entries_account_idx').on(t.accountId)],
);
