// 清算, first half: one database transaction opens a cycle, claims every uncleared trade and
// metered use up to its cutoff, and writes the cycle's obligations — what each buyer owes,
// the exchange's fee, each income-right holder's share, and the remedies of rulings. Nothing
// moves in the ledger yet: settleClearingCycle posts what this wrote.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Tx } from '../../db/client.ts';
import { clearingCycles, clearingObligations, datasets, disputes, rightsCertificates, rightsHoldings } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { lockClearing, type ClearingCycleRow, type ClearingTotals } from './clearing-cycle.ts';
import { feeOf, splitByShares, type Share } from './income-split.ts';
import { admitRemedies, availableBalances, remediesDue } from './remedies.ts';

export type ClearingTrigger = ClearingCycleRow['trigger'];

export interface ComputeOptions {
  db: Db;
  trigger: ClearingTrigger;
  /** The exchange's fee in basis points of each certificate's gross (config CLEARING_FEE_BPS). */
  feeBps: number;
  /** The cutoff: trades and uses created at or before it belong to the cycle (default now). */
  cutoff?: Date;
}

export type ComputeOutcome =
  | { kind: 'computed'; cycle: ClearingCycleRow }
  /** Nothing to clear: no cycle was created. */
  | { kind: 'nothing' }
  /** A cycle is computed and not settled yet; it settles first. */
  | { kind: 'unsettled'; cycleId: string };

/** Computes a new cycle, or returns null when there is nothing to clear. Refuses while a computed cycle awaits settlement. */
export async function computeClearingCycle(options: ComputeOptions): Promise<ClearingCycleRow | null> {
  const outcome = await tryComputeClearingCycle(options);
  if (outcome.kind === 'unsettled') {
    throw new AppError('INVALID_STATE', { message: 'a computed clearing cycle awaits settlement; settle it first', details: { cycleId: outcome.cycleId } });
  }
  return outcome.kind === 'computed' ? outcome.cycle : null;
}

export async function tryComputeClearingCycle({ db, trigger, feeBps, cutoff = new Date() }: ComputeOptions): Promise<ComputeOutcome> {
  feeOf(0n, feeBps); // validates feeBps before anything is written
  return db.transaction(async (tx) => {
    await lockClearing(tx);
    const [open] = await tx.select({ id: clearingCycles.id }).from(clearingCycles).where(eq(clearingCycles.status, 'computed')).limit(1);
    if (open) return { kind: 'unsettled', cycleId: open.id };

    const due = await remediesDue(tx);
    const available = await availableBalances(tx, due.map((r) => r.payerId));
    // An empty cycle is not created: there must be a trade or use to claim, or a remedy a provider can pay.
    if (!(await anythingUncleared(tx, cutoff)) && admitRemedies(due, available).admitted.length === 0) return { kind: 'nothing' };

    const [cycle] = await tx.insert(clearingCycles).values({ cutoff, trigger, feeBps, totals: {} }).returning();
    const cycleId = cycle!.id;
    const fromTrades = await claimAndOwe(tx, cycleId, 'trade', cutoff);
    const fromUsage = await claimAndOwe(tx, cycleId, 'usage', cutoff);

    // One income pool per certificate: the fee comes off its gross, the rest is split by the income shares.
    const pools = new Map<string, bigint>();
    for (const [certificateId, fen] of [...fromTrades.pools, ...fromUsage.pools]) pools.set(certificateId, (pools.get(certificateId) ?? 0n) + fen);
    const holders = await incomeHolders(tx, [...pools.keys()]);
    const lines: (typeof clearingObligations.$inferInsert)[] = [];
    const received = new Map<string, bigint>();
    let feeFen = 0n;
    let incomeFen = 0n;
    for (const certificateId of [...pools.keys()].sort()) {
      const gross = pools.get(certificateId)!;
      const fee = feeOf(gross, feeBps);
      feeFen += fee;
      if (fee > 0n) lines.push({ cycleId, participantId: null, kind: 'fee', sourceKind: 'certificate', sourceId: certificateId, amountFen: fee });
      for (const part of splitByShares(gross - fee, holders.get(certificateId)!)) {
        if (part.amountFen === 0n) continue;
        incomeFen += part.amountFen;
        received.set(part.holderId, (received.get(part.holderId) ?? 0n) + part.amountFen);
        lines.push({ cycleId, participantId: part.holderId, kind: 'receivable', sourceKind: 'certificate', sourceId: certificateId, amountFen: part.amountFen });
      }
    }

    const budget = new Map(available);
    for (const [holderId, fen] of received) budget.set(holderId, (budget.get(holderId) ?? 0n) + fen);
    const { admitted } = admitRemedies(due, budget);
    for (const r of admitted) {
      lines.push({ cycleId, participantId: r.payerId, kind: 'remedy', sourceKind: r.remedy, sourceId: r.disputeId, amountFen: -r.amountFen });
      lines.push({ cycleId, participantId: r.payeeId, kind: 'remedy', sourceKind: r.remedy, sourceId: r.disputeId, amountFen: r.amountFen });
    }
    for (let i = 0; i < lines.length; i += 5000) await tx.insert(clearingObligations).values(lines.slice(i, i + 5000));
    if (admitted.length > 0) {
      await tx
        .update(disputes)
        .set({ remedyCycleId: cycleId })
        .where(inArray(disputes.id, admitted.map((r) => r.disputeId)));
    }

    const grossFen = fromTrades.grossFen + fromUsage.grossFen;
    const totals: ClearingTotals = {
      trades: { count: fromTrades.count, grossFen: fromTrades.grossFen.toString() },
      usage: { count: fromUsage.count, grossFen: fromUsage.grossFen.toString() },
      certificates: pools.size,
      grossFen: grossFen.toString(),
      feeFen: feeFen.toString(),
      incomeFen: incomeFen.toString(),
      remedies: { count: admitted.length, fen: admitted.reduce((s, r) => s + r.amountFen, 0n).toString() },
      lines: fromTrades.lines + fromUsage.lines + lines.length,
    };
    if (feeFen + incomeFen !== grossFen) throw new Error(`clearing cycle ${cycleId} does not add up: fees ${feeFen} + income ${incomeFen} ≠ gross ${grossFen}`);
    const [computed] = await tx.update(clearingCycles).set({ totals }).where(eq(clearingCycles.id, cycleId)).returning();
    return { kind: 'computed', cycle: computed! };
  });
}

async function anythingUncleared(tx: Tx, cutoff: Date): Promise<boolean> {
  const at = cutoff.toISOString();
  const [row] = rowsOf(
    await tx.execute(sql`
      select exists (select 1 from trades where cycle_id is null and created_at <= ${at}::timestamptz)
          or exists (select 1 from usage_records where cycle_id is null and created_at <= ${at}::timestamptz) as any`),
  );
  return row!.any === true;
}

/**
 * Claims the uncleared rows of one source for the cycle and writes one payable line per buyer
 * and certificate, in one statement: the rows never travel to the application, so a million
 * uses cost one update and one aggregate. A concurrent claim (there is none under the lock)
 * would find cycle_id set and skip the row. Returns the gross per certificate.
 */
async function claimAndOwe(
  tx: Tx,
  cycleId: string,
  source: 'trade' | 'usage',
  cutoff: Date,
): Promise<{ pools: Map<string, bigint>; count: number; grossFen: bigint; lines: number }> {
  const table = sql.raw(source === 'trade' ? 'trades' : 'usage_records');
  const rows = rowsOf(
    await tx.execute(sql`
      with claimed as (
        update ${table} set cycle_id = ${cycleId}::uuid
        where cycle_id is null and created_at <= ${cutoff.toISOString()}::timestamptz
        returning buyer_id, certificate_id, amount_fen
      ), owed as (
        select buyer_id, certificate_id, sum(amount_fen) as fen, count(*) as n from claimed group by buyer_id, certificate_id
      ), written as (
        insert into clearing_obligations (cycle_id, participant_id, kind, source_kind, source_id, amount_fen)
        select ${cycleId}::uuid, buyer_id, 'payable', ${source}::text, certificate_id::text, fen from owed where fen > 0
        returning 1
      )
      select certificate_id::text as certificate_id, sum(fen)::text as fen, sum(n)::text as n, (select count(*) from written)::int as lines
      from owed group by certificate_id`),
  );
  const pools = new Map<string, bigint>();
  let count = 0;
  let grossFen = 0n;
  for (const r of rows) {
    const fen = BigInt(r.fen as string);
    count += Number(r.n);
    grossFen += fen;
    if (fen > 0n) pools.set(String(r.certificate_id), fen);
  }
  return { pools, count, grossFen, lines: rows.length > 0 ? Number(rows[0]!.lines) : 0 };
}

/**
 * The income-right holders of each certificate. A certificate always records them (rights
 * registration refuses one without); should one lack them, its dataset's provider takes all.
 */
async function incomeHolders(tx: Tx, certificateIds: string[]): Promise<Map<string, Share[]>> {
  const holders = new Map<string, Share[]>();
  if (certificateIds.length === 0) return holders;
  const rows = await tx
    .select({ certificateId: rightsHoldings.certificateId, holderId: rightsHoldings.holderId, shareBps: rightsHoldings.shareBps })
    .from(rightsHoldings)
    .where(and(inArray(rightsHoldings.certificateId, certificateIds), eq(rightsHoldings.right, 'income')));
  for (const r of rows) holders.set(r.certificateId, [...(holders.get(r.certificateId) ?? []), { holderId: r.holderId, shareBps: r.shareBps }]);
  const orphans = certificateIds.filter((id) => !holders.has(id));
  if (orphans.length > 0) {
    const providers = await tx
      .select({ certificateId: rightsCertificates.id, providerId: datasets.providerId })
      .from(rightsCertificates)
      .innerJoin(datasets, eq(datasets.id, rightsCertificates.datasetId))
      .where(inArray(rightsCertificates.id, orphans));
    for (const p of providers) holders.set(p.certificateId, [{ holderId: p.providerId, shareBps: 10_000 }]);
  }
  const unknown = certificateIds.filter((id) => !holders.has(id));
  if (unknown.length > 0) throw new Error(`clearing: trades or uses name unknown rights certificates ${unknown.join(', ')}`);
  return holders;
}
