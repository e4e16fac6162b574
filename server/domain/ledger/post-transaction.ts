// Posting to the double-entry ledger. The database keeps the invariants (balances follow the
// entries, every transaction sums to zero, participants' accounts never go negative); this
// function states the legs, and turns an overdraft into INSUFFICIENT_FUNDS.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { ledgerEntries, ledgerTransactions } from '../../db/schema.ts';
import { AppError } from '../errors.ts';

export interface Leg {
  accountId: string;
  /** + increases the account's balance, − decreases it. */
  amountFen: bigint;
}

export type LedgerTransactionRow = typeof ledgerTransactions.$inferSelect;

/**
 * Posts one balanced transaction inside the caller's database transaction. Zero legs are
 * dropped; legs on one account are merged. An overdraft of a participant's account fails the
 * whole database transaction with INSUFFICIENT_FUNDS, so nothing of the use case remains.
 */
export async function postTransaction(
  tx: Tx,
  options: { kind: string; reference: string; legs: Leg[]; idempotencyKey?: string; createdBy?: string },
): Promise<LedgerTransactionRow> {
  const merged = new Map<string, bigint>();
  for (const leg of options.legs) merged.set(leg.accountId, (merged.get(leg.accountId) ?? 0n) + leg.amountFen);
  const legs = [...merged].filter(([, amount]) => amount !== 0n);
  const sum = legs.reduce((s, [, amount]) => s + amount, 0n);
  if (sum !== 0n) throw new Error(`unbalanced ledger transaction ${options.kind}: legs sum to ${sum}`);
  if (legs.length < 2) throw new Error(`ledger transaction ${options.kind} needs two legs or more`);
  const [row] = await tx
    .insert(ledgerTransactions)
    .values({ kind: options.kind, reference: options.reference, idempotencyKey: options.idempotencyKey ?? null, createdBy: options.createdBy ?? null })
    .returning();
  try {
    // The overdraft check is a CHECK constraint on the account row, raised by the entry's
    // trigger; the failed statement aborts the caller's transaction, so nothing remains.
    await tx.insert(ledgerEntries).values(legs.map(([accountId, amountFen]) => ({ transactionId: row!.id, accountId, amountFen })));
  } catch (err) {
    if (isOverdraft(err)) throw new AppError('INSUFFICIENT_FUNDS', { details: { transaction: options.kind } });
    throw err;
  }
  return row!;
}

export async function findTransactionByKey(tx: Tx, idempotencyKey: string): Promise<LedgerTransactionRow | undefined> {
  const [row] = await tx.select().from(ledgerTransactions).where(eq(ledgerTransactions.idempotencyKey, idempotencyKey));
  return row;
}

function isOverdraft(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: string; constraint?: string; constraint_name?: string; message?: string };
    if (x.code === '23514' && (x.constraint ?? x.constraint_name ?? x.message ?? '').includes('ledger_accounts_no_overdraft')) return true;
  }
  return false;
}
