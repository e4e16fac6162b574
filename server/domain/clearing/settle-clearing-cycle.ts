// 结算: one database transaction posts a computed cycle — a single balanced ledger transaction
// for the whole cycle, one settlement record per participant (netted), and the settlement batch
// (those records and the cycle's summary under one Merkle root, anchored on chain through the
// outbox) — and marks the cycle settled. It commits whole or not at all, so a crash
// leaves the cycle computed and the next run settles it; a settled cycle is never posted again.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { EnqueueAnchorOptions } from '../../chain/anchoring/enqueue-anchor.ts';
import { sealRecordsAsBatch } from '../../chain/anchoring/seal-records-as-batch.ts';
import type { Db, Tx } from '../../db/client.ts';
import { clearingCycles, clearingObligations, disputes, settlementRecords } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccounts, systemAccount } from '../ledger/accounts.ts';
import { postTransaction, type Leg } from '../ledger/post-transaction.ts';
import {
  CYCLE_SUMMARY_KIND,
  lockClearing,
  SETTLEMENT_RECORD_KIND,
  type ClearingCycleRow,
  type ClearingTotals,
} from './clearing-cycle.ts';
import { admitRemedies, availableBalances, type MoneyRemedy, type RemedyDue } from './remedies.ts';

/** A participant's lines in a cycle, summed. */
export interface Position {
  tradesFen: bigint;
  usageFen: bigint;
  incomeFen: bigint;
  remedyPaidFen: bigint;
  remedyReceivedFen: bigint;
}

export interface SettleHooks {
  /**
   * Called once everything is written and before the cycle is marked settled, inside the
   * transaction: what throws here rolls the whole settlement back, as a crash would.
   */
  afterPosting?: (cycle: ClearingCycleRow) => void | Promise<void>;
}

export async function settleClearingCycle({ db, cycleId, hooks = {} }: { db: Db; cycleId: string; hooks?: SettleHooks }): Promise<ClearingCycleRow> {
  requireUuid(cycleId, 'cycleId');
  return db.transaction(async (tx) => {
    await lockClearing(tx);
    const [cycle] = await tx.select().from(clearingCycles).where(eq(clearingCycles.id, cycleId)).for('update');
    if (!cycle) throw new AppError('NOT_FOUND', { field: 'cycleId' });
    if (cycle.status === 'settled') return cycle;
    const totals = cycle.totals as ClearingTotals;

    const deferred = await deferUncoveredRemedies(tx, cycle);
    const { positions, feeFen } = await positionsOf(tx, cycle.id);
    const ledgerTransactionId = await post(tx, cycle, positions, feeFen);

    const participantIds = [...positions.keys()].sort();
    const records = participantIds.map((participantId) => {
      const p = positions.get(participantId)!;
      const payableFen = p.tradesFen + p.usageFen + p.remedyPaidFen;
      const receivableFen = p.incomeFen + p.remedyReceivedFen;
      return {
        cycleId: cycle.id,
        participantId,
        payableFen,
        receivableFen,
        netFen: receivableFen - payableFen,
        content: settlementRecordContent({ cycle, participantId, position: p, ledgerTransactionId }),
      };
    });
    const anchors: EnqueueAnchorOptions[] = [];
    for (let i = 0; i < records.length; i += 2000) {
      const chunk = records.slice(i, i + 2000);
      const written = await tx.insert(settlementRecords).values(chunk).returning({ id: settlementRecords.id });
      for (const [k, row] of written.entries()) anchors.push({ kind: SETTLEMENT_RECORD_KIND, recordId: row.id, content: chunk[k]!.content });
    }

    // What was cleared, less the remedies taken back.
    const cleared: ClearingTotals = {
      ...totals,
      remedies: { count: totals.remedies.count - deferred.length, fen: (BigInt(totals.remedies.fen) - deferred.reduce((s, r) => s + r.amountFen, 0n)).toString() },
      lines: totals.lines - 2 * deferred.length,
    };
    // The settlement batch: every record of the cycle and its summary under one Merkle root,
    // anchored through the outbox.
    anchors.push({ kind: CYCLE_SUMMARY_KIND, recordId: cycle.id, content: cycleSummaryContent(cycle, cleared, { records: records.length, ledgerTransactionId }) });
    const batch = await sealRecordsAsBatch(tx, anchors);
    const settledTotals: ClearingTotals = {
      ...cleared,
      settlement: { records: records.length, ledgerTransactionId, deferredRemedies: deferred.map((r) => r.disputeId), batchId: batch.id, root: batch.root },
    };

    await hooks.afterPosting?.(cycle);
    const [settled] = await tx
      .update(clearingCycles)
      .set({ status: 'settled', settledAt: new Date(), ledgerTransactionId, totals: settledTotals })
      .where(eq(clearingCycles.id, cycle.id))
      .returning();
    return settled!;
  });
}

/**
 * Checks the cycle's remedies again with the payers' balances locked: a provider that withdrew
 * since the cycle was computed may no longer cover one. Such a remedy leaves the cycle (its
 * lines are removed, its dispute is released) and waits for the next.
 */
async function deferUncoveredRemedies(tx: Tx, cycle: ClearingCycleRow): Promise<RemedyDue[]> {
  const lines = await tx
    .select()
    .from(clearingObligations)
    .where(and(eq(clearingObligations.cycleId, cycle.id), eq(clearingObligations.kind, 'remedy')))
    .orderBy(asc(clearingObligations.id));
  if (lines.length === 0) return [];
  const remedies = new Map<string, RemedyDue>();
  for (const line of lines) {
    const r = remedies.get(line.sourceId) ?? { disputeId: line.sourceId, remedy: line.sourceKind as MoneyRemedy, amountFen: 0n, payerId: '', payeeId: '' };
    if (line.amountFen < 0n) {
      r.payerId = line.participantId!;
      r.amountFen = -line.amountFen;
    } else r.payeeId = line.participantId!;
    remedies.set(line.sourceId, r);
  }
  const due = [...remedies.values()];
  const budget = await availableBalances(tx, due.map((r) => r.payerId), { lock: true });
  const incomes = await tx
    .select({ participantId: clearingObligations.participantId, fen: sql<string>`sum(${clearingObligations.amountFen})::text` })
    .from(clearingObligations)
    .where(and(eq(clearingObligations.cycleId, cycle.id), eq(clearingObligations.kind, 'receivable'), inArray(clearingObligations.participantId, due.map((r) => r.payerId))))
    .groupBy(clearingObligations.participantId);
  for (const i of incomes) budget.set(i.participantId!, (budget.get(i.participantId!) ?? 0n) + BigInt(i.fen));
  const { deferred } = admitRemedies(due, budget);
  if (deferred.length === 0) return [];
  const ids = deferred.map((r) => r.disputeId);
  await tx
    .delete(clearingObligations)
    .where(and(eq(clearingObligations.cycleId, cycle.id), eq(clearingObligations.kind, 'remedy'), inArray(clearingObligations.sourceId, ids)));
  await tx
    .update(disputes)
    .set({ remedyCycleId: null })
    .where(and(inArray(disputes.id, ids), eq(disputes.remedyCycleId, cycle.id)));
  return deferred;
}

/** Each participant's lines of the cycle summed, and the exchange's fees. */
async function positionsOf(tx: Tx, cycleId: string): Promise<{ positions: Map<string, Position>; feeFen: bigint }> {
  const sums = await tx
    .select({
      participantId: clearingObligations.participantId,
      kind: clearingObligations.kind,
      sourceKind: clearingObligations.sourceKind,
      credit: sql<string>`coalesce(sum(${clearingObligations.amountFen}) filter (where ${clearingObligations.amountFen} > 0), 0)::text`,
      debit: sql<string>`coalesce(-sum(${clearingObligations.amountFen}) filter (where ${clearingObligations.amountFen} < 0), 0)::text`,
    })
    .from(clearingObligations)
    .where(eq(clearingObligations.cycleId, cycleId))
    .groupBy(clearingObligations.participantId, clearingObligations.kind, clearingObligations.sourceKind);
  const positions = new Map<string, Position>();
  let feeFen = 0n;
  for (const s of sums) {
    const credit = BigInt(s.credit);
    const debit = BigInt(s.debit);
    if (s.kind === 'fee') {
      feeFen += credit;
      continue;
    }
    const id = s.participantId!;
    const p = positions.get(id) ?? { tradesFen: 0n, usageFen: 0n, incomeFen: 0n, remedyPaidFen: 0n, remedyReceivedFen: 0n };
    if (s.kind === 'payable' && s.sourceKind === 'trade') p.tradesFen += credit;
    else if (s.kind === 'payable') p.usageFen += credit;
    else if (s.kind === 'receivable') p.incomeFen += credit;
    else if (s.kind === 'remedy') {
      p.remedyPaidFen += debit;
      p.remedyReceivedFen += credit;
    } else throw new Error(`clearing cycle ${cycleId} has an obligation line of unknown kind ${s.kind}`);
    positions.set(id, p);
  }
  return { positions, feeFen };
}

/**
 * The cycle's one ledger transaction: buyers' escrow pays what they owe, holders' available
 * receives their income, the exchange's fees account its fees, and remedies move between
 * available balances. Legs on available accounts come first, then escrow, each in participant
 * order — the order every other posting locks a participant's accounts in — so a concurrent
 * order or use waits rather than deadlocks. Returns null when no money moves (only unpriced uses).
 */
async function post(tx: Tx, cycle: ClearingCycleRow, positions: Map<string, Position>, feeFen: bigint): Promise<string | null> {
  const ids = [...positions.keys()].sort();
  const accounts = await participantAccounts(tx, ids, ['available', 'escrow']);
  const available: Leg[] = [];
  const escrow: Leg[] = [];
  for (const id of ids) {
    const p = positions.get(id)!;
    available.push({ accountId: accounts.get(`${id}:available`)!, amountFen: p.incomeFen + p.remedyReceivedFen - p.remedyPaidFen });
    escrow.push({ accountId: accounts.get(`${id}:escrow`)!, amountFen: -(p.tradesFen + p.usageFen) });
  }
  const legs = [...available, ...escrow, { accountId: await systemAccount(tx, 'fees'), amountFen: feeFen }].filter((l) => l.amountFen !== 0n);
  if (legs.length === 0) return null;
  const posted = await postTransaction(tx, { kind: 'settlement', reference: `cycle:${cycle.id}`, idempotencyKey: `cycle:${cycle.id}`, legs });
  return posted.id;
}

/** What a participant's settlement record commits to on chain; a regulator rebuilds it from the row's content. */
export function settlementRecordContent(options: { cycle: ClearingCycleRow; participantId: string; position: Position; ledgerTransactionId: string | null }) {
  const { cycle, participantId, position: p, ledgerTransactionId } = options;
  const payableFen = p.tradesFen + p.usageFen + p.remedyPaidFen;
  const receivableFen = p.incomeFen + p.remedyReceivedFen;
  return {
    cycleId: cycle.id,
    cycleSeq: cycle.seq.toString(),
    cutoff: cycle.cutoff.toISOString(),
    feeBps: cycle.feeBps,
    participantId,
    payableFen: payableFen.toString(),
    receivableFen: receivableFen.toString(),
    netFen: (receivableFen - payableFen).toString(),
    lines: {
      tradesFen: p.tradesFen.toString(),
      usageFen: p.usageFen.toString(),
      incomeFen: p.incomeFen.toString(),
      remedyPaidFen: p.remedyPaidFen.toString(),
      remedyReceivedFen: p.remedyReceivedFen.toString(),
    },
    ledgerTransactionId,
  };
}

/** What a cycle's summary commits to on chain: its totals, its records' count and its ledger transaction. */
export function cycleSummaryContent(cycle: ClearingCycleRow, totals: ClearingTotals, settlement: { records: number; ledgerTransactionId: string | null }) {
  return {
    cycleId: cycle.id,
    cycleSeq: cycle.seq.toString(),
    cutoff: cycle.cutoff.toISOString(),
    trigger: cycle.trigger,
    feeBps: cycle.feeBps,
    trades: totals.trades,
    usage: totals.usage,
    grossFen: totals.grossFen,
    feeFen: totals.feeFen,
    incomeFen: totals.incomeFen,
    remedies: totals.remedies,
    settlementRecords: settlement.records,
    ledgerTransactionId: settlement.ledgerTransactionId,
  };
}
