// 争议 · 违约鉴定: the dispute record and what its steps anchor on chain. Money remedies are
// not posted here: the next clearing cycle (domain/clearing/remedies.ts) reads rulings with a
// refund or a penalty and no remedy cycle yet, pays it from the trade's provider to its buyer,
// and sets `remedyCycleId`.
import { canonicalContentHash } from '../../chain/anchoring/content-hash.ts';
import type { disputes } from '../../db/schema.ts';

export type DisputeRow = typeof disputes.$inferSelect;
export type Remedy = NonNullable<DisputeRow['remedy']>;

export const REMEDIES = ['none', 'refund', 'penalty', 'licence_revocation'] as const satisfies readonly Remedy[];

export const DISPUTE_OPENED_KIND = 'disputes.opened';
export const DISPUTE_RULING_KIND = 'disputes.ruling';
export const DISPUTE_WITHDRAWN_KIND = 'disputes.withdrawn';

/** What opening commits to: who claims what against whom on which trade (all immutable columns). */
export function disputeOpenedContent(d: DisputeRow) {
  return { disputeId: d.id, tradeId: d.tradeId, openedBy: d.openedBy, respondentId: d.respondentId, claim: d.claim, at: d.createdAt.toISOString() };
}

/** What a ruling commits to, including the hash of the evidence it was made on (frozen once ruled). */
export function disputeRulingContent(d: DisputeRow) {
  return {
    disputeId: d.id,
    tradeId: d.tradeId,
    arbiterId: d.arbiterId,
    breach: d.breach,
    remedy: d.remedy,
    remedyFen: d.remedyFen,
    ruling: d.ruling,
    evidenceHash: canonicalContentHash(d.evidence ?? null),
    at: d.ruledAt!.toISOString(),
  };
}

export function disputeWithdrawnContent(d: DisputeRow) {
  return { disputeId: d.id, tradeId: d.tradeId, withdrawnBy: d.openedBy, status: d.status };
}
