// 全量审计: the regulator's tamper check of everything anchored. For every sealed batch the
// root is recomputed from the anchor records the database holds now and compared with the root
// and record count on chain; every record of a kind whose content can be rebuilt is rebuilt
// from its rows and hashed; and rows that should have an anchor record but have none are
// looked for. Each record changed, deleted or inserted after anchoring is reported with its
// batch and kind.
//
// Runs are kept in `system_state` under 'audit.run.<id>' (findings capped at
// MAX_STORED_FINDINGS), until the schema has a table of their own.
import { randomUUID } from 'node:crypto';
import { desc, like, sql } from 'drizzle-orm';
import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import { BatchRootPool } from '../../chain/anchoring/batch-root-pool.ts';
import { anchorBatchRoot, isWellFormedContentHash } from '../../chain/anchoring/batch-root.ts';
import type { AnchoredRecordLeaf } from '../../chain/anchoring/leaf.ts';
import { rowsOf, type Db, type DbHandle } from '../../db/client.ts';
import { systemState } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { recordAudit } from './audit-log.ts';
import { rebuildableKinds, recomputeContents, recordContentSource } from './record-contents.ts';

export type AuditProblem = 'content_changed' | 'record_deleted' | 'record_inserted' | 'root_mismatch';

export interface AuditFinding {
  /** The batch the record was (or claims to be) anchored in; null for a row never anchored. */
  batchId: string | null;
  kind: string | null;
  recordId: string | null;
  leafIndex: number | null;
  problem: AuditProblem;
  detail: string;
}

export interface FullAuditReport {
  id: string;
  triggeredBy: string | null;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** Sealed batches checked, and those of them whose root is on chain. */
  batches: number;
  anchoredBatches: number;
  /** Anchor records in the batches, as the database holds them now. */
  records: number;
  /** Batches whose recomputed root is the root on chain (or, not yet anchored, the sealed root). */
  batchesMatching: number;
  /** Records whose content was rebuilt from their rows and hashed. */
  contentChecked: number;
  /** Kinds anchored whose content the audit cannot rebuild (checked through their batch's root only). */
  contentNotRebuildable: { kind: string; records: number }[];
  findingCount: number;
  findings: AuditFinding[];
  clean: boolean;
}

const RUN_KEY_PREFIX = 'audit.run.';
const POOL_FROM_RECORDS = 200_000;
export const MAX_STORED_FINDINGS = 1000;
/** Unanchored rows tried against a batch that lost records, to name the record it lost. */
const MAX_ATTRIBUTION_CANDIDATES = 200;

interface BatchRow {
  id: string;
  root: string;
  recordCount: number;
  status: string;
}

interface RecordRow extends AnchoredRecordLeaf {
  leafIndex: number | null;
}

async function loadBatches(handle: DbHandle): Promise<BatchRow[]> {
  const result = await handle.execute(sql`select id::text as id, root, record_count, status from anchor_batches order by seq`);
  return rowsOf(result).map((r) => ({ id: String(r.id), root: String(r.root).toLowerCase(), recordCount: Number(r.record_count), status: String(r.status) }));
}

async function loadRecords(handle: DbHandle, batchId: string): Promise<RecordRow[]> {
  const result = await handle.execute(
    sql`select kind, record_id, content_hash, leaf_index from anchor_records where batch_id = ${batchId} order by leaf_index, id`,
  );
  return rowsOf(result).map((r) => ({
    kind: String(r.kind),
    recordId: String(r.record_id),
    contentHash: String(r.content_hash),
    leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
  }));
}

async function chainView(registry: AnchorRegistry, batchId: string): Promise<{ root: string | null; count: number }> {
  const [root, count] = await Promise.all([registry.rootOf(batchId), registry.recordCountOf(batchId)]);
  return { root: root?.toLowerCase() ?? null, count };
}

/** A row that should be anchored and is not, with the leaf it would have. */
interface Unanchored {
  kind: string;
  recordId: string;
  contentHash: string | null;
}

async function findUnanchored(handle: DbHandle): Promise<Unanchored[]> {
  const out: Unanchored[] = [];
  for (const kind of rebuildableKinds()) {
    const source = recordContentSource(kind)!;
    if (!source.unanchored) continue;
    const ids = await source.unanchored(handle);
    if (ids.length === 0) continue;
    const contents = (await recomputeContents(handle, kind, ids.slice(0, MAX_ATTRIBUTION_CANDIDATES)))!;
    for (const recordId of ids) out.push({ kind, recordId, contentHash: contents.get(recordId)?.contentHash ?? null });
  }
  return out;
}

const rootWith = (records: readonly AnchoredRecordLeaf[]) => (records.length === 0 ? null : anchorBatchRoot(records));

/**
 * Checks one batch's records against the chain's root and count; returns the findings and the
 * records attributed to it from `unanchored` (removed from that list).
 */
function diagnoseBatch(
  batch: BatchRow,
  chain: { root: string | null; count: number },
  rows: RecordRow[],
  recomputedRoot: string | null,
  unanchored: Unanchored[],
): { findings: AuditFinding[]; matches: boolean; inserted: Set<RecordRow> } {
  const findings: AuditFinding[] = [];
  const inserted = new Set<RecordRow>();
  const expectedRoot = chain.root ?? batch.root;
  const expectedCount = chain.root ? chain.count : batch.recordCount;
  const finding = (problem: AuditProblem, r: Partial<RecordRow> | null, detail: string, leafIndex = r?.leafIndex ?? null) =>
    findings.push({ batchId: batch.id, kind: r?.kind ?? null, recordId: r?.recordId ?? null, leafIndex, problem, detail });

  if (chain.root && chain.root !== batch.root) finding('root_mismatch', null, `the batch row's root ${batch.root} differs from the root on chain ${chain.root}`);

  const malformed = rows.filter((r) => !isWellFormedContentHash(r.contentHash));
  for (const r of malformed) finding('content_changed', r, `the anchor record's content hash is malformed: ${r.contentHash.slice(0, 80)}`);
  const wellFormed = rows.filter((r) => isWellFormedContentHash(r.contentHash));
  if (malformed.length === 0 && rows.length === expectedCount && recomputedRoot === expectedRoot) return { findings, matches: true, inserted };

  // Rows out of the sealed leaf range, or sharing a leaf index, were not there when the batch was sealed.
  const byIndex = new Map<number, RecordRow[]>();
  for (const r of wellFormed) {
    if (r.leafIndex === null || r.leafIndex < 0 || r.leafIndex >= expectedCount) {
      inserted.add(r);
      finding('record_inserted', r, `an anchor record at leaf ${r.leafIndex ?? 'none'} of a batch sealed with ${expectedCount} records`);
    } else {
      const group = byIndex.get(r.leafIndex);
      if (group) group.push(r);
      else byIndex.set(r.leafIndex, [r]);
    }
  }
  let kept = wellFormed.filter((r) => !inserted.has(r));
  for (const [index, group] of byIndex) {
    if (group.length < 2) continue;
    // The one whose removal restores the root is the intruder; otherwise say which leaf is contested.
    const intruder = group.find((candidate) => rootWith(kept.filter((r) => r !== candidate)) === expectedRoot);
    if (intruder) {
      inserted.add(intruder);
      kept = kept.filter((r) => r !== intruder);
      finding('record_inserted', intruder, `a second anchor record at leaf ${index}`);
    } else {
      finding('root_mismatch', null, `${group.length} anchor records claim leaf ${index}`, index);
    }
  }

  const missing: number[] = [];
  for (let i = 0; i < expectedCount; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    const candidates = unanchored.filter((u) => u.contentHash !== null && isWellFormedContentHash(u.contentHash)) as (Unanchored & { contentHash: string })[];
    let attributed: (Unanchored & { contentHash: string })[] = [];
    if (missing.length === 1) {
      const hit = candidates.find((c) => rootWith([...kept, c]) === expectedRoot);
      if (hit) attributed = [hit];
    } else if (candidates.length === missing.length && rootWith([...kept, ...candidates]) === expectedRoot) {
      attributed = candidates;
    }
    // Which leaf index each attributed record had is not recoverable from the root; name the gaps in order.
    missing.forEach((index, i) => {
      const a = attributed[i];
      finding('record_deleted', a ?? null, a ? `the anchor record of this ${a.kind} was deleted from the batch` : 'an anchor record was deleted from the batch', index);
    });
    for (const a of attributed) unanchored.splice(unanchored.indexOf(a), 1);
    kept = [...kept, ...attributed.map((a) => ({ ...a, leafIndex: null }))];
  }
  const explained = malformed.length === 0 && rootWith(kept) === expectedRoot;
  if (!explained && !findings.some((f) => f.problem === 'root_mismatch')) {
    finding('root_mismatch', null, `the root recomputed from the database differs from the root ${chain.root ? 'on chain' : 'sealed'} (${expectedRoot}): an anchor record was changed in place`);
  }
  return { findings, matches: false, inserted };
}

/**
 * The audit itself, without authorisation or persistence (benchmarks call it). `rootsOnly`
 * skips rebuilding contents: the recomputation of every batch's root alone.
 */
export async function auditAnchoredRecords(options: {
  db: DbHandle;
  anchorRegistry: AnchorRegistry;
  rootsOnly?: boolean;
  /** Worker threads for the roots; without one they are computed on this thread. */
  pool?: BatchRootPool;
}): Promise<Omit<FullAuditReport, 'id' | 'triggeredBy'>> {
  const { db, anchorRegistry } = options;
  const startedAt = new Date();
  const findings: AuditFinding[] = [];
  const unanchored = options.rootsOnly ? [] : await findUnanchored(db);
  const batches = await loadBatches(db);
  const notRebuildable = new Map<string, number>();
  let records = 0;
  let anchoredBatches = 0;
  let batchesMatching = 0;
  let contentChecked = 0;

  /** Rebuilds this batch's records kind by kind and compares each with its anchored content hash. */
  const checkContents = async (batch: BatchRow, rows: RecordRow[], skip: Set<RecordRow>) => {
    const byKind = new Map<string, RecordRow[]>();
    for (const r of rows) {
      if (skip.has(r)) continue;
      if (!recordContentSource(r.kind)) notRebuildable.set(r.kind, (notRebuildable.get(r.kind) ?? 0) + 1);
      else {
        const list = byKind.get(r.kind);
        if (list) list.push(r);
        else byKind.set(r.kind, [r]);
      }
    }
    for (const [kind, list] of byKind) {
      const contents = (await recomputeContents(db, kind, list.map((r) => r.recordId)))!;
      for (const r of list) {
        contentChecked++;
        const now = contents.get(r.recordId);
        const at = { batchId: batch.id, kind, recordId: r.recordId, leafIndex: r.leafIndex };
        if (!now) findings.push({ ...at, problem: 'record_deleted', detail: `the ${kind} record's rows are gone from the database` });
        else if (now.contentHash !== r.contentHash.toLowerCase()) findings.push({ ...at, problem: 'content_changed', detail: 'the record as the database holds it now does not hash to its anchored content hash' });
        else if (now.disagreeingCopies.length > 0) findings.push({ ...at, problem: 'content_changed', detail: `${now.disagreeingCopies.join(', ')} changed after anchoring` });
      }
    }
  };

  // Batches are read (and, with a pool, hashed on worker threads) a few ahead of the one
  // being diagnosed; diagnosis runs in batch order.
  const pool = options.pool;
  const rootOf = (rows: RecordRow[]) =>
    rows.length === 0 || !rows.every((r) => isWellFormedContentHash(r.contentHash)) ? null : pool ? pool.root(rows) : anchorBatchRoot(rows);
  const load = async (b: BatchRow) => {
    const [rows, chain] = await Promise.all([loadRecords(db, b.id), chainView(anchorRegistry, b.id)]);
    return { rows, chain, root: await rootOf(rows) };
  };
  const ahead = pool ? pool.size * 2 : 1;
  // A batch read ahead that fails is reported when its turn comes, not as an unhandled rejection.
  const queued = (b: BatchRow) => {
    const p = load(b);
    p.catch(() => undefined);
    return p;
  };
  const queue = batches.slice(0, ahead).map(queued);
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i]!;
    const { rows, chain, root } = await queue.shift()!;
    if (batches[i + ahead]) queue.push(queued(batches[i + ahead]!));
    records += rows.length;
    if (chain.root) anchoredBatches++;
    const result = diagnoseBatch(batch, chain, rows, root, unanchored);
    findings.push(...result.findings);
    if (result.matches) batchesMatching++;
    if (!options.rootsOnly) await checkContents(batch, rows, result.inserted);
  }

  for (const u of unanchored) {
    findings.push({
      batchId: null,
      kind: u.kind,
      recordId: u.recordId,
      leafIndex: null,
      problem: 'record_inserted',
      detail: `a ${u.kind} row with no anchor record: written behind the exchange's back (or its anchor record was deleted)`,
    });
  }

  const finishedAt = new Date();
  return {
    startedAt,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    batches: batches.length,
    anchoredBatches,
    records,
    batchesMatching,
    contentChecked,
    contentNotRebuildable: [...notRebuildable].map(([kind, n]) => ({ kind, records: n })).sort((a, b) => a.kind.localeCompare(b.kind)),
    findingCount: findings.length,
    findings,
    clean: findings.length === 0,
  };
}

/** The regulator runs the full audit; the run is kept and itself recorded in the audit log. */
export async function runFullAudit(options: { db: Db; anchorRegistry: AnchorRegistry; actor: Viewer | null }): Promise<FullAuditReport> {
  if (!options.actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(options.actor, 'regulator')) throw new AppError('FORBIDDEN');
  // Worker threads pay off from a few hundred thousand records; below that they only start up.
  const [{ n }] = rowsOf(await options.db.execute(sql`select count(*)::int as n from anchor_records where batch_id is not null`)) as [{ n: number }];
  const pool = n >= POOL_FROM_RECORDS ? new BatchRootPool() : undefined;
  let result: Omit<FullAuditReport, 'id' | 'triggeredBy'>;
  try {
    result = await auditAnchoredRecords({ ...options, pool });
  } finally {
    await pool?.close();
  }
  const report: FullAuditReport = { id: randomUUID(), triggeredBy: options.actor.participantId, ...result };
  const stored = { ...report, findings: report.findings.slice(0, MAX_STORED_FINDINGS) };
  await options.db.transaction(async (tx) => {
    await tx.insert(systemState).values({ key: RUN_KEY_PREFIX + report.id, value: JSON.parse(JSON.stringify(stored)), updatedAt: report.finishedAt });
    await recordAudit(tx, {
      actor: options.actor,
      action: 'audit.full-run',
      subjectKind: 'audit-run',
      subjectId: report.id,
      details: { batches: report.batches, records: report.records, findings: report.findingCount, clean: report.clean },
    });
  });
  return report;
}

/** Past runs, newest first (findings as stored: at most MAX_STORED_FINDINGS each). */
export async function listAuditRuns(options: { db: DbHandle; actor: Viewer | null; first?: number }): Promise<FullAuditReport[]> {
  if (!options.actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(options.actor, 'regulator')) throw new AppError('FORBIDDEN');
  const rows = await options.db
    .select()
    .from(systemState)
    .where(like(systemState.key, `${RUN_KEY_PREFIX}%`))
    .orderBy(desc(systemState.updatedAt))
    .limit(Math.min(Math.max(options.first ?? 20, 1), 100));
  return rows.map((r) => {
    const v = r.value as FullAuditReport & { startedAt: string; finishedAt: string };
    return { ...v, startedAt: new Date(v.startedAt), finishedAt: new Date(v.finishedAt) };
  });
}
