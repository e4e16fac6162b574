// 验证: the regulator checks any anchored record end to end. The record's content is rebuilt
// from the database rows as they are now and hashed; the anchored leaf's proof is followed up
// to its batch's root; that root is read back from the chain; and the contract itself is asked
// whether the record, as the database holds it now, belongs to the anchored batch. Anything
// that does not hold is reported as a problem, never thrown: a forged proof or an id of
// another kind simply does not verify.
import { and, eq } from 'drizzle-orm';
import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import { processAnchorProof } from '../../chain/anchoring/batch-root.ts';
import { canonicalJson } from '../../chain/anchoring/content-hash.ts';
import { getAnchorProof, type AnchorProof } from '../../chain/anchoring/get-anchor-proof.ts';
import { anchorLeafHash } from '../../chain/anchoring/leaf.ts';
import type { DbHandle } from '../../db/client.ts';
import { anchorBatches, anchorRecords } from '../../db/schema.ts';
import { CERTIFICATE_KIND } from '../rights/issue-certificate.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { SUPERVISION_ACTION_KIND } from '../supervision/supervisory-action.ts';
import { TRADE_FILING_KIND } from '../trading/accept-order.ts';
import { recomputeContents, recordContentSource } from './record-contents.ts';

/** The anchored kinds a GraphQL node type's records are anchored as, most decisive first. */
export const ANCHOR_KINDS_BY_TYPE: Record<string, string[]> = {
  Trade: [TRADE_FILING_KIND],
  RightsCertificate: [CERTIFICATE_KIND],
  SettlementRecord: ['clearing.settlement-record'],
  Dispute: ['disputes.ruling', 'disputes.opened'],
  SupervisoryMeasure: [SUPERVISION_ACTION_KIND],
};

export interface RecordVerification {
  kind: string;
  recordId: string;
  /** not_anchored: no anchor record of this kind for this id; then as AnchorProof's status. */
  status: 'not_anchored' | AnchorProof['status'];
  /** The record's content rebuilt from the database now (null when its rows are gone or the kind has no builder). */
  record: unknown;
  /** Whether the audit can rebuild this kind's content at all. */
  contentRebuildable: boolean;
  /** What the anchor record commits to. */
  anchoredContentHash: string | null;
  /** keccak256 of the rebuilt content's canonical JSON. */
  recomputedContentHash: string | null;
  /** (a) the rebuilt content (and every stored copy of it) hashes to the anchored content hash; null when not rebuildable. */
  contentMatches: boolean | null;
  /** The anchored leaf and the proof checked (the server's, or the one the caller gave). */
  leaf: string | null;
  proof: string[];
  batchId: string | null;
  leafIndex: number | null;
  /** The root the exchange sealed for the batch. */
  root: string | null;
  /** The root the chain holds for the batch. */
  onChainRoot: string | null;
  txHash: string | null;
  blockNumber: number | null;
  /** (b) the proof leads from the leaf to the batch's sealed root. */
  proofReachesRoot: boolean;
  /** (c) the sealed root is the one on chain. */
  rootOnChain: boolean;
  /** The contract's own `verify` of the record as the database holds it now. */
  verifiesOnChain: boolean;
  verified: boolean;
  problems: string[];
}

export type RecordRef = { kind: string; recordId: string } | { typename: string; id: string };

export async function verifyRecord(options: {
  db: DbHandle;
  anchorRegistry: AnchorRegistry;
  actor: Viewer | null;
  record: RecordRef;
  /** A proof to check instead of the one the exchange computes (e.g. one a party handed over). */
  proof?: string[];
}): Promise<RecordVerification> {
  if (!options.actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(options.actor, 'regulator')) throw new AppError('FORBIDDEN');
  const { db, anchorRegistry } = options;
  const { kind, recordId } = await resolveRecord(db, options.record);
  if (options.proof && options.proof.length > 256) throw new AppError('INVALID_INPUT', { field: 'proof', message: 'proof: at most 256 hashes' });

  const problems: string[] = [];
  const recomputed = (await recomputeContents(db, kind, [recordId]))?.get(recordId);
  const contentRebuildable = recordContentSource(kind) !== undefined;
  const base: RecordVerification = {
    kind,
    recordId,
    status: 'not_anchored',
    record: recomputed ? jsonSafe(recomputed.content) : null,
    contentRebuildable,
    anchoredContentHash: null,
    recomputedContentHash: recomputed?.contentHash ?? null,
    contentMatches: null,
    leaf: null,
    proof: options.proof ?? [],
    batchId: null,
    leafIndex: null,
    root: null,
    onChainRoot: null,
    txHash: null,
    blockNumber: null,
    proofReachesRoot: false,
    rootOnChain: false,
    verifiesOnChain: false,
    verified: false,
    problems,
  };
  if (contentRebuildable && !recomputed) problems.push(`no ${kind} record ${recordId} in the database`);

  const [anchor] = await db.select().from(anchorRecords).where(and(eq(anchorRecords.kind, kind), eq(anchorRecords.recordId, recordId)));
  if (!anchor) {
    problems.push(`no anchor record of kind ${kind} for ${recordId}`);
    return base;
  }
  const result: RecordVerification = { ...base, status: 'pending', anchoredContentHash: anchor.contentHash };
  if (recomputed) {
    result.contentMatches = recomputed.contentHash === anchor.contentHash && recomputed.disagreeingCopies.length === 0;
    if (recomputed.contentHash !== anchor.contentHash) problems.push('the record as the database holds it now does not hash to its anchored content hash');
    for (const copy of recomputed.disagreeingCopies) problems.push(`${copy} disagrees with the record's content`);
  } else if (!contentRebuildable) {
    problems.push(`the content of ${kind} records cannot be rebuilt from the database; only the anchor record is checked`);
  }

  let proof: AnchorProof | null;
  try {
    proof = await getAnchorProof(db, anchorRegistry, kind, recordId);
  } catch (err) {
    // The anchor record names a batch that is gone, or holds a malformed content hash.
    problems.push(`no proof can be built: ${(err as Error).message}`);
    return result;
  }
  if (!proof || proof.status === 'pending' || proof.batchId === null) {
    problems.push('the record is not sealed into a batch yet');
    return result;
  }
  const [batch] = await db.select().from(anchorBatches).where(eq(anchorBatches.id, proof.batchId));
  const checked = options.proof ?? proof.proof;
  const onChainRoot = await anchorRegistry.rootOf(proof.batchId);
  const leafNow = recomputed && recomputed.contentHash !== 'unhashable' ? anchorLeafHash(kind, recordId, recomputed.contentHash) : proof.leaf;
  Object.assign(result, {
    status: proof.status,
    leaf: proof.leaf,
    proof: checked,
    batchId: proof.batchId,
    leafIndex: proof.leafIndex,
    root: batch?.root ?? null,
    onChainRoot,
    txHash: proof.txHash,
    blockNumber: proof.blockNumber,
    proofReachesRoot: batch !== undefined && processAnchorProof(proof.leaf, checked) === batch.root.toLowerCase(),
    rootOnChain: onChainRoot !== null && batch !== undefined && onChainRoot.toLowerCase() === batch.root.toLowerCase(),
    verifiesOnChain: checked.every((h) => /^0x[0-9a-fA-F]{64}$/.test(h)) ? await anchorRegistry.verify(proof.batchId, leafNow, checked) : false,
  });
  if (!result.proofReachesRoot) problems.push("the proof does not lead from the record's leaf to its batch's root");
  if (onChainRoot === null) problems.push('the chain holds no root for the batch yet');
  else if (!result.rootOnChain) problems.push("the batch's root differs from the root on chain");
  if (!result.verifiesOnChain) problems.push('the contract does not accept the record, as the database holds it now, in the anchored batch');
  result.verified = result.contentMatches !== false && result.proofReachesRoot && result.rootOnChain && result.verifiesOnChain;
  return result;
}

/** The content as its canonical JSON reads back (bigint as decimal strings, dates as ISO): what was hashed. */
function jsonSafe(content: unknown): unknown {
  try {
    return JSON.parse(canonicalJson(content));
  } catch {
    return null;
  }
}

/** A GraphQL node (Trade, RightsCertificate, …) to the kind and id its anchor record has. */
async function resolveRecord(db: DbHandle, ref: RecordRef): Promise<{ kind: string; recordId: string }> {
  if ('kind' in ref) {
    const kind = ref.kind.trim();
    const recordId = ref.recordId.trim();
    if (!kind || kind.length > 100) throw new AppError('INVALID_INPUT', { field: 'kind', message: 'kind: a record kind such as rights.certificate' });
    if (!recordId || recordId.length > 200) throw new AppError('INVALID_INPUT', { field: 'recordId', message: 'recordId: the record id' });
    return { kind, recordId };
  }
  const kinds = ANCHOR_KINDS_BY_TYPE[ref.typename];
  if (!kinds) throw new AppError('INVALID_INPUT', { field: 'id', message: `id: ${ref.typename} records are not anchored; give kind and recordId` });
  for (const kind of kinds) {
    const [found] = await db.select({ id: anchorRecords.id }).from(anchorRecords).where(and(eq(anchorRecords.kind, kind), eq(anchorRecords.recordId, ref.id)));
    if (found) return { kind, recordId: ref.id };
  }
  return { kind: kinds[0]!, recordId: ref.id };
}
