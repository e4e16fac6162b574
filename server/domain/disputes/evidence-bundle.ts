// The evidence bundle of a dispute, assembled by the exchange from its own records: the trade,
// the order, the licence and how much of it was used, the usage records (ids, kinds, times —
// never what a query asked), the trade filing's on-chain proof and the dataset's listing
// decisions with theirs. Stored on the dispute as JSON; refreshed while the dispute is open.
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import { getAnchorProof, type AnchorProof } from '../../chain/anchoring/get-anchor-proof.ts';
import type { DbHandle } from '../../db/client.ts';
import { licences, listingEvents, orders, usageRecords } from '../../db/schema.ts';
import { LISTING_DECISION_KIND } from '../catalog/listing-transition.ts';
import { TRADE_FILING_KIND, type TradeRow } from '../trading/accept-order.ts';

/** Usage records listed one by one, newest first; the counts always cover all of them. */
export const EVIDENCE_USAGE_LIMIT = 500;

/** Listing actions that were decisions about the market, and so carry an anchor. */
const ANCHORED_LISTING_ACTIONS = ['approve', 'reject', 'suspend', 'reinstate', 'delist'] as const;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface EvidenceBundle {
  assembledAt: string;
  trade: { [key: string]: Json };
  order: { [key: string]: Json } | null;
  licence: { [key: string]: Json } | null;
  usage: {
    total: number;
    byKind: { kind: string; count: number }[];
    records: { id: string; kind: string; amountFen: string; at: string }[];
    truncated: boolean;
  };
  tradeFiling: AnchorProof | null;
  listingDecisions: {
    eventId: string;
    action: string;
    fromStatus: string;
    toStatus: string;
    actorId: string;
    reason: string | null;
    at: string;
    anchor: AnchorProof | null;
  }[];
}

/** A row as JSON: instants as ISO strings, fen as decimal strings. */
function snapshot(row: Record<string, unknown>, omit: string[] = []): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(row)) {
    if (omit.includes(key)) continue;
    out[key] = value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : (value as Json);
  }
  return out;
}

export async function assembleEvidence(handle: DbHandle, anchorRegistry: AnchorRegistry, trade: TradeRow): Promise<EvidenceBundle> {
  const [order] = await handle.select().from(orders).where(eq(orders.id, trade.orderId));
  const [licence] = await handle.select().from(licences).where(eq(licences.tradeId, trade.id));
  let usage: EvidenceBundle['usage'] = { total: 0, byKind: [], records: [], truncated: false };
  if (licence) {
    const byKind = await handle
      .select({ kind: usageRecords.kind, n: count() })
      .from(usageRecords)
      .where(eq(usageRecords.licenceId, licence.id))
      .groupBy(usageRecords.kind)
      .orderBy(asc(usageRecords.kind));
    const records = await handle
      .select({ id: usageRecords.id, kind: usageRecords.kind, amountFen: usageRecords.amountFen, createdAt: usageRecords.createdAt })
      .from(usageRecords)
      .where(eq(usageRecords.licenceId, licence.id))
      .orderBy(desc(usageRecords.createdAt), desc(usageRecords.id))
      .limit(EVIDENCE_USAGE_LIMIT);
    const total = byKind.reduce((s, r) => s + Number(r.n), 0);
    usage = {
      total,
      byKind: byKind.map((r) => ({ kind: r.kind, count: Number(r.n) })),
      records: records.map((r) => ({ id: r.id, kind: r.kind, amountFen: r.amountFen.toString(), at: r.createdAt.toISOString() })),
      truncated: total > records.length,
    };
  }
  const decisions = await handle
    .select()
    .from(listingEvents)
    .where(and(eq(listingEvents.datasetId, trade.datasetId), inArray(listingEvents.action, [...ANCHORED_LISTING_ACTIONS])))
    .orderBy(asc(listingEvents.createdAt), asc(listingEvents.id));
  const listingDecisions: EvidenceBundle['listingDecisions'] = [];
  for (const e of decisions) {
    listingDecisions.push({
      eventId: e.id,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorId: e.actorId,
      reason: e.reason,
      at: e.createdAt.toISOString(),
      anchor: await getAnchorProof(handle, anchorRegistry, LISTING_DECISION_KIND, e.id),
    });
  }
  return {
    assembledAt: new Date().toISOString(),
    trade: snapshot(trade),
    // The buyer's idempotency key is its own bookkeeping, not evidence.
    order: order ? snapshot(order, ['idempotencyKey']) : null,
    licence: licence ? snapshot(licence) : null,
    usage,
    tradeFiling: await getAnchorProof(handle, anchorRegistry, TRADE_FILING_KIND, trade.id),
    listingDecisions,
  };
}
