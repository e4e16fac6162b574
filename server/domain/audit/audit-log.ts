// 审计日志: an append-only, hash-chained log of security-relevant actions. Each entry's hash
// covers the previous entry's hash, so an entry edited or removed behind the exchange's back
// breaks the chain from there on (and the database refuses updates and deletes outright);
// every entry is anchored on chain like the other records.
import { and, asc, desc, eq, gte, gt, lt, sql, type SQL } from 'drizzle-orm';
import { keccak256, toUtf8Bytes } from 'ethers';
import { canonicalJson } from '../../chain/anchoring/content-hash.ts';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db, DbHandle, Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { csvDocument } from '../csv.ts';

export type AuditEntryRow = typeof auditLog.$inferSelect;
export const AUDIT_ENTRY_KIND = 'audit.entry';
export const GENESIS_HASH = '0x' + '0'.repeat(64);
// Serialises appends: the chain needs each entry to see the one before it.
const AUDIT_LOCK = 727_100_003;

/** The security-relevant actions the exchange records. */
export type AuditAction =
  | 'auth.key-used'
  | 'apikey.created'
  | 'apikey.revoked'
  | 'participant.registered'
  | 'participant.reviewed'
  | 'participant.suspended'
  | 'participant.reinstated'
  | 'listing.reviewed'
  | 'listing.supervised'
  | 'rights.registered'
  | 'query.submitted'
  | 'data.delivered'
  | 'dispute.ruled'
  | 'licence.frozen'
  | 'licence.unfrozen'
  | 'clearing.settled'
  | (string & {});

export interface AuditEntry {
  actor?: Pick<Viewer, 'participantId' | 'apiKeyId'> | null;
  action: AuditAction;
  subjectKind?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** What an entry's hash covers: everything in it and the previous hash. */
export function auditEntryHash(e: Pick<AuditEntryRow, 'prevHash' | 'at' | 'actorId' | 'apiKeyId' | 'action' | 'subjectKind' | 'subjectId' | 'details'>): string {
  return keccak256(
    toUtf8Bytes(
      canonicalJson({
        prevHash: e.prevHash,
        at: e.at.toISOString(),
        actorId: e.actorId,
        apiKeyId: e.apiKeyId,
        action: e.action,
        subjectKind: e.subjectKind,
        subjectId: e.subjectId,
        details: e.details ?? null,
      }),
    ),
  );
}

/** Appends an entry in the caller's transaction (it rolls back with the action it records). */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<AuditEntryRow> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const row = {
    at: new Date(),
    actorId: entry.actor?.participantId ?? null,
    apiKeyId: entry.actor?.apiKeyId ?? null,
    action: entry.action,
    subjectKind: entry.subjectKind ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = auditEntryHash(row);
  const [inserted] = await tx.insert(auditLog).values({ ...row, hash }).returning();
  await enqueueAnchor(tx, { kind: AUDIT_ENTRY_KIND, recordId: hash, content: { seq: inserted!.seq, hash } });
  return inserted!;
}

/** Appends an entry in a transaction of its own, for actions that have none (a key used). */
export function recordAuditNow(db: Db, entry: AuditEntry): Promise<AuditEntryRow> {
  return db.transaction((tx) => recordAudit(tx, entry));
}

/** Walks the chain from the start; returns the first entry whose hash or link is wrong, if any. */
export async function verifyAuditChain({ db, actor }: { db: DbHandle; actor: Viewer | null }): Promise<{ entries: number; brokenAt: bigint | null; problem: string | null }> {
  if (!actsAs(actor, 'regulator') && !actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
  let prev = GENESIS_HASH;
  let entries = 0;
  let after = 0n;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(5000);
    if (rows.length === 0) return { entries, brokenAt: null, problem: null };
    for (const row of rows) {
      if (row.prevHash !== prev) return { entries, brokenAt: row.seq, problem: 'the entry does not link to the one before it (an entry was removed or inserted)' };
      if (auditEntryHash(row) !== row.hash) return { entries, brokenAt: row.seq, problem: 'the entry was changed after it was written' };
      prev = row.hash;
      entries++;
      after = row.seq;
    }
  }
}

export interface AuditSearch {
  actorId?: string;
  action?: string;
  subjectKind?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  /** Entries before this sequence number (newest first paging). */
  before?: bigint;
  first?: number;
}

/** The regulator's (and operator's) search over the log, newest first. */
export async function searchAuditLog({ db, actor, search }: { db: DbHandle; actor: Viewer | null; search: AuditSearch }): Promise<AuditEntryRow[]> {
  if (!actsAs(actor, 'regulator') && !actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
  const where: SQL[] = [];
  if (search.actorId) where.push(eq(auditLog.actorId, search.actorId));
  if (search.action) where.push(eq(auditLog.action, search.action));
  if (search.subjectKind) where.push(eq(auditLog.subjectKind, search.subjectKind));
  if (search.subjectId) where.push(eq(auditLog.subjectId, search.subjectId));
  if (search.from) where.push(gte(auditLog.at, search.from));
  if (search.to) where.push(lt(auditLog.at, search.to));
  if (search.before !== undefined) where.push(lt(auditLog.seq, search.before));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(Math.min(Math.max(search.first ?? 100, 1), 10_000));
}

/** The same search as CSV (RFC 4180), for export. */
export async function auditLogCsv(options: { db: DbHandle; actor: Viewer | null; search: AuditSearch }): Promise<string> {
  const rows = await searchAuditLog({ ...options, search: { ...options.search, first: options.search.first ?? 10_000 } });
  const header = ['seq', 'at', 'actor_id', 'api_key_id', 'action', 'subject_kind', 'subject_id', 'details', 'prev_hash', 'hash'];
  return csvDocument(
    header,
    rows.map((r) => [r.seq, r.at, r.actorId, r.apiKeyId, r.action, r.subjectKind, r.subjectId, r.details, r.prevHash, r.hash]),
  );
}
