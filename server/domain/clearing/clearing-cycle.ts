// What a clearing cycle is made of: its row, its totals, the kinds of its obligation lines,
// and the lock that makes computing and settling one-at-a-time across every process.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { clearingCycles, clearingObligations, settlementRecords } from '../../db/schema.ts';

export type ClearingCycleRow = typeof clearingCycles.$inferSelect;
export type ObligationRow = typeof clearingObligations.$inferSelect;
export type SettlementRecordRow = typeof settlementRecords.$inferSelect;

/**
 * Kinds of obligation lines. Amounts are positive fen except for remedies, which are signed
 * from the participant's side (− the party that pays, + the party paid).
 * - payable: a buyer owes, out of its escrow, what it bought of one certificate's dataset
 *   (source kind 'trade' or 'usage', source id the certificate);
 * - fee: the exchange's fee on one certificate's gross (no participant);
 * - receivable: an income-right holder's share of one certificate's gross less the fee;
 * - remedy: a dispute ruling's refund or penalty (source kind the remedy, source id the dispute).
 */
export type ObligationKind = 'payable' | 'fee' | 'receivable' | 'remedy';

/** Anchored kinds: each participant's settlement record, and each cycle's summary. */
export const SETTLEMENT_RECORD_KIND = 'clearing.settlement-record';
export const CYCLE_SUMMARY_KIND = 'clearing.cycle-summary';

/** Fen are decimal strings in JSON (a jsonb column holds no bigint). */
export interface ClearingTotals {
  trades: { count: number; grossFen: string };
  usage: { count: number; grossFen: string };
  /** Certificates (income pools) with a gross in the cycle. */
  certificates: number;
  grossFen: string;
  feeFen: string;
  /** What the income-right holders receive: gross less fees. */
  incomeFen: string;
  remedies: { count: number; fen: string };
  lines: number;
  /** Written when the cycle settles. */
  settlement?: {
    records: number;
    ledgerTransactionId: string | null;
    /** Remedies taken back at settlement because the payer could no longer cover them; the next cycle retries. */
    deferredRemedies: string[];
    /** The anchor batch of the cycle's settlement records and summary, and its Merkle root. */
    batchId: string;
    root: string;
  };
}

// Arbitrary but fixed, beside the migration lock (727_100_001).
const CLEARING_LOCK_ID = 727_100_002;

/**
 * Serialises clearing: computing and settling take this transaction-scoped advisory lock, so
 * two runs (two timers, a timer and an operator, two worker processes) never take the same
 * trade or post the same cycle; the second waits and then finds the work done.
 */
export async function lockClearing(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CLEARING_LOCK_ID})`);
}
