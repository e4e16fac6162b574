// Reading rounds and bids. A round is seen by whoever sees its dataset; a bid only as
// canSeeBid allows — before the close, by its bidder alone.
import { and, count, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { bidRounds, bids, datasets, pricePlans } from '../../db/schema.ts';
import { canSeeDataset, getDataset } from '../catalog/find-datasets.ts';
import { AppError } from '../errors.ts';
import { isUuid, requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import { canSeeBid, isRevealed, supervisesAuctions, type BidRoundRow, type BidRow, type RoundWithProvider } from './bid-round-records.ts';

const roundColumns = { round: bidRounds, providerId: datasets.providerId, datasetStatus: datasets.status };

function withProvider(r: { round: BidRoundRow; providerId: string }): RoundWithProvider {
  return { ...r.round, providerId: r.providerId };
}

export async function getBidRoundsByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }): Promise<(RoundWithProvider | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db.select(roundColumns).from(bidRounds).innerJoin(datasets, eq(datasets.id, bidRounds.datasetId)).where(inArray(bidRounds.id, valid))
    : [];
  const visible = rows.filter((r) => canSeeDataset(actor, { status: r.datasetStatus, providerId: r.providerId }) || supervisesAuctions(actor));
  const byId = new Map(visible.map((r) => [r.round.id, withProvider(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * Rounds newest first: of one dataset, or across the market (rounds on listed datasets, the
 * caller's own, and for supervisors all), optionally by status.
 */
export async function listBidRounds(options: {
  db: DbHandle;
  actor: Viewer | null;
  datasetId?: string;
  status?: BidRoundRow['status'];
  first: number;
}): Promise<RoundWithProvider[]> {
  const { db, actor } = options;
  const where: SQL[] = [];
  if (options.datasetId) {
    await getDataset({ db, actor, id: options.datasetId });
    where.push(eq(bidRounds.datasetId, options.datasetId));
  } else if (!supervisesAuctions(actor)) {
    where.push(actor ? or(eq(datasets.status, 'listed'), eq(datasets.providerId, actor.participantId))! : eq(datasets.status, 'listed'));
  }
  if (options.status) where.push(eq(bidRounds.status, options.status));
  const rows = await db
    .select(roundColumns)
    .from(bidRounds)
    .innerJoin(datasets, eq(datasets.id, bidRounds.datasetId))
    .where(and(...where))
    .orderBy(desc(bidRounds.createdAt), desc(bidRounds.id))
    .limit(Math.min(Math.max(options.first, 1), 200));
  return rows.map(withProvider);
}

/** The bids of a round the viewer may see: its own until the close, then all for the provider and supervisors. */
export async function visibleBids({ db, actor, round }: { db: DbHandle; actor: Viewer | null; round: RoundWithProvider }): Promise<BidRow[]> {
  if (!actor) return [];
  const everyone = isRevealed(round) && (round.providerId === actor.participantId || supervisesAuctions(actor));
  return db
    .select()
    .from(bids)
    .where(everyone ? eq(bids.roundId, round.id) : and(eq(bids.roundId, round.id), eq(bids.buyerId, actor.participantId)))
    .orderBy(desc(bids.amountFen), bids.createdAt);
}

/** Once a round has closed: how many bids it drew and what the winner paid (a public result, 中标公告). */
export async function roundResult({ db, round }: { db: DbHandle; round: BidRoundRow }): Promise<{ bidCount: number; winningFen: bigint | null } | null> {
  if (!isRevealed(round)) return null;
  const [n] = await db.select({ n: count() }).from(bids).where(and(eq(bids.roundId, round.id), inArray(bids.status, ['won', 'lost'])));
  const [winning] = round.winningBidId ? await db.select({ amountFen: bids.amountFen }).from(bids).where(eq(bids.id, round.winningBidId)) : [];
  return { bidCount: Number(n!.n), winningFen: winning?.amountFen ?? null };
}

export async function getBidsByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }): Promise<(BidRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select({ bid: bids, status: bidRounds.status, providerId: datasets.providerId })
        .from(bids)
        .innerJoin(bidRounds, eq(bidRounds.id, bids.roundId))
        .innerJoin(datasets, eq(datasets.id, bidRounds.datasetId))
        .where(inArray(bids.id, valid))
    : [];
  const byId = new Map(rows.filter((r) => canSeeBid(actor, r.bid, r)).map((r) => [r.bid.id, r.bid]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The plan a round sells. */
export async function roundPlan({ db, round }: { db: DbHandle; round: BidRoundRow }) {
  const [plan] = await db.select().from(pricePlans).where(eq(pricePlans.id, round.planId));
  return plan!;
}

export async function getBidRound({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<RoundWithProvider> {
  requireUuid(id, 'roundId');
  const [round] = await getBidRoundsByIds({ db, actor, ids: [id] });
  if (!round) throw new AppError('NOT_FOUND', { field: 'roundId' });
  return round;
}
