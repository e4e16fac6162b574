// Where the regulator's audit gets an anchored record's content back from: for each kind of
// record, a source that rebuilds the content from the database rows as they are now, with the
// same content builder the writer used. An anchored record whose rebuilt content no longer
// hashes to its anchored content hash was changed behind the exchange's back.
//
// Writers of other kinds add their source to DEFAULT_SOURCES below (or call
// registerRecordContent at start-up). A kind without a source is still checked for its
// batch's root; only its content cannot be rebuilt.
import { eq, inArray, sql } from 'drizzle-orm';
import { canonicalContentHash } from '../../chain/anchoring/content-hash.ts';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { auditLog, datasetVersions, disputes, listingEvents, rightsCertificates, rightsHoldings, settlementRecords, trades } from '../../db/schema.ts';
import { AUDIT_ENTRY_KIND, auditEntryHash, type AuditEntryRow } from './audit-log.ts';
import {
  DISPUTE_OPENED_KIND,
  DISPUTE_RULING_KIND,
  DISPUTE_WITHDRAWN_KIND,
  disputeOpenedContent,
  disputeRulingContent,
  disputeWithdrawnContent,
  type DisputeRow,
} from '../disputes/dispute-records.ts';
import { ANCHORED_LISTING_ACTIONS, LISTING_DECISION_KIND, listingDecisionContent } from '../catalog/listing-transition.ts';
import { CERTIFICATE_KIND, certificateContent } from '../rights/issue-certificate.ts';
import type { Holding } from '../rights/holdings.ts';
import { SUPERVISION_ACTION_KIND, SUPERVISORY_ACTIONS, supervisoryActionContent } from '../supervision/supervisory-action.ts';
import { TRADE_FILING_KIND, tradeFilingContent } from '../trading/accept-order.ts';

/** A record's content as the database holds it now. */
export interface RebuiltRecord {
  /** The content rebuilt from the rows, as the writer built it. */
  content: unknown;
  /**
   * Hashes of other copies the rows keep (a certificate's stored content and content_hash,
   * an audit entry's recomputed chain hash): each must equal the anchored content hash too.
   */
  copies?: { name: string; contentHash: string }[];
}

export interface RecordContentSource {
  /** Rebuilds these records; a record whose rows are gone is missing from the map. */
  rebuild(handle: DbHandle, recordIds: readonly string[]): Promise<Map<string, RebuiltRecord>>;
  /**
   * Ids of rows that should have an anchor record of this kind and have none (a row inserted
   * behind the exchange's back, or one whose anchor record was deleted). One statement, so it
   * reads one snapshot.
   */
  unanchored?(handle: DbHandle): Promise<string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidsOf = (ids: readonly string[]) => ids.filter((id) => UUID.test(id));

/** `select <id column> from <rows> where not exists (an anchor record of kind for it)`. */
async function unanchoredIds(handle: DbHandle, kind: string, rows: ReturnType<typeof sql>): Promise<string[]> {
  const result = await handle.execute(sql`
    select r.id::text as id from (${rows}) r
    where not exists (select 1 from anchor_records a where a.kind = ${kind} and a.record_id = r.id::text)
    order by 1`);
  return rowsOf(result).map((r) => String(r.id));
}

const listingDecisions: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const ids = uuidsOf(recordIds);
    if (ids.length === 0) return new Map();
    const rows = await handle
      .select({ event: listingEvents, version: { version: datasetVersions.version, commitment: datasetVersions.commitment, grade: datasetVersions.grade } })
      .from(listingEvents)
      .innerJoin(datasetVersions, eq(datasetVersions.id, listingEvents.versionId))
      .where(inArray(listingEvents.id, ids));
    return new Map(rows.map((r) => [r.event.id, { content: listingDecisionContent(r.event, r.version) }]));
  },
  unanchored: (handle) =>
    unanchoredIds(handle, LISTING_DECISION_KIND, sql`select id from listing_events where action in ${[...ANCHORED_LISTING_ACTIONS]}`),
};

const certificates: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const ids = uuidsOf(recordIds);
    if (ids.length === 0) return new Map();
    const rows = await handle
      .select({ certificate: rightsCertificates, version: { version: datasetVersions.version, commitment: datasetVersions.commitment } })
      .from(rightsCertificates)
      .innerJoin(datasetVersions, eq(datasetVersions.id, rightsCertificates.versionId))
      .where(inArray(rightsCertificates.id, ids));
    const previousIds = [...new Set(rows.map((r) => r.certificate.previousId).filter((id): id is string => id !== null))];
    const previous = previousIds.length
      ? await handle.select({ id: rightsCertificates.id, number: rightsCertificates.number }).from(rightsCertificates).where(inArray(rightsCertificates.id, previousIds))
      : [];
    const numberOf = new Map(previous.map((p) => [p.id, p.number]));
    const holdingRows = rows.length ? await handle.select().from(rightsHoldings).where(inArray(rightsHoldings.certificateId, rows.map((r) => r.certificate.id))) : [];
    const holdingsOf = new Map<string, Holding[]>();
    for (const h of holdingRows) {
      const list = holdingsOf.get(h.certificateId) ?? [];
      list.push({ right: h.right, holderId: h.holderId, shareBps: h.shareBps });
      holdingsOf.set(h.certificateId, list);
    }
    return new Map(
      rows.map(({ certificate: c, version }) => {
        // A predecessor that is gone rebuilds as an unknown number, which no longer matches.
        const previousNumber = c.previousId === null ? null : (numberOf.get(c.previousId) ?? `missing:${c.previousId}`);
        return [
          c.id,
          {
            content: certificateContent(c, version, previousNumber, holdingsOf.get(c.id) ?? []),
            copies: [
              { name: 'rights_certificates.content', contentHash: canonicalContentHash(c.content) },
              { name: 'rights_certificates.content_hash', contentHash: c.contentHash },
            ],
          },
        ];
      }),
    );
  },
  unanchored: (handle) => unanchoredIds(handle, CERTIFICATE_KIND, sql`select id from rights_certificates`),
};

const tradeFilings: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const ids = uuidsOf(recordIds);
    if (ids.length === 0) return new Map();
    const rows = await handle.select().from(trades).where(inArray(trades.id, ids));
    return new Map(rows.map((t) => [t.id, { content: tradeFilingContent(t) }]));
  },
  unanchored: (handle) => unanchoredIds(handle, TRADE_FILING_KIND, sql`select id from trades`),
};

/**
 * 结算: a settlement record keeps the content it anchored; its amount and party columns must
 * still say what that content says (an edit of either shows).
 */
const settlementRecordsByStoredContent: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const ids = uuidsOf(recordIds);
    if (ids.length === 0) return new Map();
    const rows = await handle.select().from(settlementRecords).where(inArray(settlementRecords.id, ids));
    return new Map(
      rows.map((r) => {
        const columns = {
          ...(r.content as Record<string, unknown>),
          cycleId: r.cycleId,
          participantId: r.participantId,
          payableFen: r.payableFen.toString(),
          receivableFen: r.receivableFen.toString(),
          netFen: r.netFen.toString(),
        };
        return [r.id, { content: r.content, copies: [{ name: 'settlement_records amount and party columns', contentHash: canonicalContentHash(columns) }] }];
      }),
    );
  },
};

/** 争议: a dispute's opening, ruling or withdrawal, rebuilt from its row (a step the row no longer shows is gone). */
function disputeStep(kind: string, status: DisputeRow['status'] | null, content: (d: DisputeRow) => unknown): RecordContentSource {
  return {
    async rebuild(handle, recordIds) {
      const ids = uuidsOf(recordIds);
      if (ids.length === 0) return new Map();
      const rows = await handle.select().from(disputes).where(inArray(disputes.id, ids));
      return new Map(rows.filter((d) => status === null || d.status === status).map((d) => [d.id, { content: content(d) }]));
    },
    unanchored: (handle) => unanchoredIds(handle, kind, status === null ? sql`select id from disputes` : sql`select id from disputes where status = ${status}`),
  };
}

/** An audit entry's hash recomputed from its fields: an entry edited in place keeps its stored hash, not this one. */
function withChainCheck(row: AuditEntryRow, content: (r: AuditEntryRow) => unknown): RebuiltRecord {
  const recomputed = { ...row, hash: auditEntryHash(row) };
  return { content: content(row), copies: [{ name: 'audit_log.hash recomputed from the entry', contentHash: canonicalContentHash(content(recomputed)) }] };
}

const auditEntries: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const hashes = recordIds.filter((id) => /^0x[0-9a-f]{64}$/.test(id));
    if (hashes.length === 0) return new Map();
    const rows = await handle.select().from(auditLog).where(inArray(auditLog.hash, hashes));
    return new Map(rows.map((row) => [row.hash, withChainCheck(row, (r) => ({ seq: r.seq, hash: r.hash }))]));
  },
  async unanchored(handle) {
    const result = await handle.execute(sql`
      select l.hash as id from audit_log l
      where not exists (select 1 from anchor_records a where a.kind = ${AUDIT_ENTRY_KIND} and a.record_id = l.hash)
      order by l.seq`);
    return rowsOf(result).map((r) => String(r.id));
  },
};

const ANCHORED_SUPERVISORY_ACTIONS = SUPERVISORY_ACTIONS.filter((a) => a !== 'listing.supervised');

const supervisoryActions: RecordContentSource = {
  async rebuild(handle, recordIds) {
    const seqs = recordIds.filter((id) => /^[1-9][0-9]{0,18}$/.test(id)).map(BigInt);
    if (seqs.length === 0) return new Map();
    const rows = await handle.select().from(auditLog).where(inArray(auditLog.seq, seqs));
    return new Map(rows.map((row) => [row.seq.toString(), withChainCheck(row, supervisoryActionContent)]));
  },
  async unanchored(handle) {
    const result = await handle.execute(sql`
      select l.seq::text as id from audit_log l
      where l.action in ${ANCHORED_SUPERVISORY_ACTIONS}
        and not exists (select 1 from anchor_records a where a.kind = ${SUPERVISION_ACTION_KIND} and a.record_id = l.seq::text)
      order by l.seq`);
    return rowsOf(result).map((r) => String(r.id));
  },
};

/**
 * The kinds the audit can rebuild. Cross-border decisions ('crossborder.positive-list',
 * 'crossborder.assessment') are not here: their rows keep only the latest decision, so an
 * earlier decision's content cannot be rebuilt from them.
 */
const DEFAULT_SOURCES: Record<string, RecordContentSource> = {
  [LISTING_DECISION_KIND]: listingDecisions,
  [CERTIFICATE_KIND]: certificates,
  [TRADE_FILING_KIND]: tradeFilings,
  'clearing.settlement-record': settlementRecordsByStoredContent,
  [DISPUTE_OPENED_KIND]: disputeStep(DISPUTE_OPENED_KIND, null, disputeOpenedContent),
  [DISPUTE_RULING_KIND]: disputeStep(DISPUTE_RULING_KIND, 'ruled', disputeRulingContent),
  [DISPUTE_WITHDRAWN_KIND]: disputeStep(DISPUTE_WITHDRAWN_KIND, 'withdrawn', disputeWithdrawnContent),
  [AUDIT_ENTRY_KIND]: auditEntries,
  [SUPERVISION_ACTION_KIND]: supervisoryActions,
};

const sources = new Map<string, RecordContentSource>(Object.entries(DEFAULT_SOURCES));

/** Adds or replaces the source of a kind (a writer registering its content builder at start-up). */
export function registerRecordContent(kind: string, source: RecordContentSource): void {
  sources.set(kind, source);
}

export function recordContentSource(kind: string): RecordContentSource | undefined {
  return sources.get(kind);
}

export function rebuildableKinds(): string[] {
  return [...sources.keys()];
}

export interface RecomputedContent {
  content: unknown;
  contentHash: string;
  /** Copies whose hash differs from `contentHash` (empty when every copy agrees). */
  disagreeingCopies: string[];
}

/**
 * Rebuilds records of one kind and hashes them: a map from record id to its recomputed
 * content, missing for records whose rows are gone. Undefined when the kind has no source.
 */
export async function recomputeContents(handle: DbHandle, kind: string, recordIds: readonly string[]): Promise<Map<string, RecomputedContent> | undefined> {
  const source = sources.get(kind);
  if (!source) return undefined;
  const out = new Map<string, RecomputedContent>();
  for (let i = 0; i < recordIds.length; i += 1000) {
    const rebuilt = await source.rebuild(handle, recordIds.slice(i, i + 1000));
    for (const [id, r] of rebuilt) {
      let contentHash: string;
      try {
        contentHash = canonicalContentHash(r.content);
      } catch {
        // A row edited into something canonical JSON refuses cannot hash to what was anchored.
        contentHash = 'unhashable';
      }
      out.set(id, { content: r.content, contentHash, disagreeingCopies: (r.copies ?? []).filter((c) => c.contentHash !== contentHash).map((c) => c.name) });
    }
  }
  return out;
}
