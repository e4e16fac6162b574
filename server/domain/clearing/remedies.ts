// Dispute remedies (违约救济) through clearing. A ruled dispute with a money remedy is paid in
// the next cycle from the provider of the disputed trade to its buyer:
// - refund: the provider gives back remedyFen of what it was paid;
// - penalty (违约金): the provider pays remedyFen to the buyer on top.
// Either comes out of the provider's available balance, counting what the provider receives
// in the same cycle. A remedy is paid whole or not at all: one the provider cannot cover now
// waits, untouched, for a cycle in which it can (its dispute keeps remedyCycleId null), so a
// short provider never blocks the cycle nor overdraws. licence_revocation and none move no money.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { disputes, ledgerAccounts, trades } from '../../db/schema.ts';

export const MONEY_REMEDIES = ['refund', 'penalty'] as const;
export type MoneyRemedy = (typeof MONEY_REMEDIES)[number];

export interface RemedyDue {
  disputeId: string;
  remedy: MoneyRemedy;
  amountFen: bigint;
  payerId: string;
  payeeId: string;
}

/** Ruled disputes whose money remedy no cycle has cleared yet, oldest ruling first. */
export async function remediesDue(tx: Tx): Promise<RemedyDue[]> {
  const rows = await tx
    .select({ disputeId: disputes.id, remedy: disputes.remedy, amountFen: disputes.remedyFen, payerId: trades.providerId, payeeId: trades.buyerId })
    .from(disputes)
    .innerJoin(trades, eq(trades.id, disputes.tradeId))
    .where(
      and(eq(disputes.status, 'ruled'), inArray(disputes.remedy, [...MONEY_REMEDIES]), sql`${disputes.remedyFen} > 0`, isNull(disputes.remedyCycleId)),
    )
    .orderBy(sql`${disputes.ruledAt} asc nulls last`, asc(disputes.createdAt), asc(disputes.id));
  return rows.map((r) => ({ ...r, remedy: r.remedy as MoneyRemedy, amountFen: r.amountFen! }));
}

/** Available balances of the given participants (0 for those without an account); `lock` holds them until commit. */
export async function availableBalances(tx: Tx, ownerIds: string[], options: { lock?: boolean } = {}): Promise<Map<string, bigint>> {
  const unique = [...new Set(ownerIds)].sort();
  const balances = new Map<string, bigint>(unique.map((id) => [id, 0n]));
  if (unique.length === 0) return balances;
  const query = tx
    .select({ ownerId: ledgerAccounts.ownerId, balance: ledgerAccounts.balanceFen })
    .from(ledgerAccounts)
    .where(and(inArray(ledgerAccounts.ownerId, unique), eq(ledgerAccounts.kind, 'available')))
    .orderBy(asc(ledgerAccounts.id));
  for (const row of options.lock ? await query.for('update') : await query) balances.set(row.ownerId!, row.balance);
  return balances;
}

/**
 * Takes remedies in order while each payer can cover them from `budget` (what it will have
 * available after the cycle's other lines); a remedy paid raises its payee's budget.
 */
export function admitRemedies<T extends RemedyDue>(due: readonly T[], budget: Map<string, bigint>): { admitted: T[]; deferred: T[] } {
  const left = new Map(budget);
  const admitted: T[] = [];
  const deferred: T[] = [];
  for (const r of due) {
    const payer = left.get(r.payerId) ?? 0n;
    if (payer < r.amountFen) {
      deferred.push(r);
      continue;
    }
    left.set(r.payerId, payer - r.amountFen);
    left.set(r.payeeId, (left.get(r.payeeId) ?? 0n) + r.amountFen);
    admitted.push(r);
  }
  return { admitted, deferred };
}
