// How far a dataset version's verified compliance proofs go: whether its rule_chunk proofs cover
// every row, whether a sampled audit reached the samples the reviewer asks for, and whether a
// complete min_group_size chain proves its k-threshold. The listing check reads `satisfied`.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { AUDIT_SAMPLES, RULE_CHUNK_ROWS } from '../../../sdk/zk/parameters.ts';
import type { DbHandle } from '../../db/client.ts';
import { complianceAuditChallenges, complianceAuditNonces, complianceProofs } from '../../db/schema.ts';
import { decodePublicSignals, groupSizeChainGaps, ruleChunkCoverageGaps, type Statement } from '../../privacy/zk/statements.ts';
import type { DatasetVersionRow } from '../catalog/listing-transition.ts';
import { isAppError } from '../errors.ts';
import { complianceTarget } from './compliance-target.ts';

/**
 * Samples a sampled audit needs until the reviewer picks s for the version. With s samples a
 * violation rate p goes unnoticed with probability (1 − p)^s: 16 catches 20% violations but
 * for 2.8% of nonces; the reviewer raises s for larger or more sensitive datasets.
 */
export const DEFAULT_AUDIT_SAMPLES = 16;

export interface ChunkRange {
  from: number;
  to: number;
}

export interface ComplianceCoverage {
  /** Why the version cannot be proved at all (no declared rules), or null. */
  unprovable: string | null;
  ruleChunks: { expected: number; proved: number; missing: ChunkRange[]; complete: boolean };
  sampledAudit: { requiredSamples: number; provedSamples: number; openNonces: number; complete: boolean };
  /** A complete min_group_size chain with k at least the version's minimum group size, if any. */
  groupSize: { column: number; k: number } | null;
  /** Full rule coverage or a complete sampled audit: what L3 listing needs. */
  satisfied: boolean;
  /** What the coverage is, or what is missing, in one sentence. */
  detail: string;
}

/** The reviewer's latest choice of s for the version, or DEFAULT_AUDIT_SAMPLES. */
export async function requiredAuditSamples(handle: DbHandle, versionId: string): Promise<number> {
  const [latest] = await handle
    .select({ samples: complianceAuditChallenges.samples })
    .from(complianceAuditChallenges)
    .where(and(eq(complianceAuditChallenges.versionId, versionId), eq(complianceAuditChallenges.byReviewer, true)))
    .orderBy(desc(complianceAuditChallenges.createdAt))
    .limit(1);
  return latest?.samples ?? DEFAULT_AUDIT_SAMPLES;
}

export async function complianceCoverage(handle: DbHandle, version: DatasetVersionRow): Promise<ComplianceCoverage> {
  const expectedChunks = Math.ceil(version.rowCount / RULE_CHUNK_ROWS);
  const requiredSamples = await requiredAuditSamples(handle, version.id);
  const proofs = await handle
    .select({ circuit: complianceProofs.circuit, publicSignals: complianceProofs.publicSignals })
    .from(complianceProofs)
    .where(eq(complianceProofs.versionId, version.id));
  const groupSize = completeGroupSizeChain(
    proofs.filter((p) => p.circuit === 'min_group_size').map((p) => decodePublicSignals('min_group_size', p.publicSignals)),
    version,
  );

  let target;
  try {
    target = complianceTarget(version);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return {
      unprovable: err.message,
      ruleChunks: { expected: expectedChunks, proved: 0, missing: expectedChunks ? [{ from: 0, to: expectedChunks - 1 }] : [], complete: false },
      sampledAudit: { requiredSamples, provedSamples: 0, openNonces: 0, complete: false },
      groupSize,
      satisfied: false,
      detail: err.message,
    };
  }

  // Stored proofs were matched with the version when submitted; the gaps check holds them to it again.
  const chunks = proofs.filter((p) => p.circuit === 'rule_chunk').map((p) => decodePublicSignals('rule_chunk', p.publicSignals));
  const chunksComplete = ruleChunkCoverageGaps(chunks, target).length === 0;
  const missing = missingChunks(chunks, target, expectedChunks);
  const proved = expectedChunks - missing.reduce((n, r) => n + r.to - r.from + 1, 0);

  const audit = await sampledAuditProgress(handle, version.id, requiredSamples);
  const satisfied = chunksComplete || audit.complete;
  const detail = chunksComplete
    ? `rule proofs cover all ${expectedChunks} chunks (${version.rowCount} rows)`
    : audit.complete
      ? `a sampled audit of ${audit.provedSamples} samples passed (${requiredSamples} required)`
      : `rule proofs cover ${proved} of ${expectedChunks} chunks; ${describeRanges(missing)} not proved; ` +
        `sampled audit: ${audit.provedSamples} of ${requiredSamples} samples proved`;
  return {
    unprovable: null,
    ruleChunks: { expected: expectedChunks, proved, missing, complete: chunksComplete },
    sampledAudit: { requiredSamples, ...audit },
    groupSize,
    satisfied,
    detail,
  };
}

/** Chunks 0 … expected−1 without a proof about the target, as ranges. */
function missingChunks(statements: readonly Statement<'rule_chunk'>[], target: { root: bigint; rowCount: bigint; rulesHash: bigint }, expected: number): ChunkRange[] {
  const proved = new Set(
    statements.filter((s) => s.root === target.root && s.rowCount === target.rowCount && s.rulesHash === target.rulesHash).map((s) => Number(s.chunkIndex)),
  );
  const ranges: ChunkRange[] = [];
  for (let i = 0; i < expected; i++) {
    if (proved.has(i)) continue;
    const last = ranges.at(-1);
    if (last && last.to === i - 1) last.to = i;
    else ranges.push({ from: i, to: i });
  }
  return ranges;
}

/** "chunks 1, 3–7" (at most 8 ranges named, then a count). */
export function describeRanges(ranges: readonly ChunkRange[]): string {
  const named = ranges.slice(0, 8).map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`));
  const more = ranges.length > 8 ? ` and ${ranges.length - 8} more ranges` : '';
  const single = ranges.length === 1 && ranges[0]!.from === ranges[0]!.to;
  return `${single ? 'chunk' : 'chunks'} ${named.join(', ')}${more}`;
}

/**
 * The best challenge's progress: each used nonce stands for AUDIT_SAMPLES verified samples. A
 * challenge is complete when every one of its nonces was used, and counts when its s reaches the
 * required samples.
 */
async function sampledAuditProgress(handle: DbHandle, versionId: string, requiredSamples: number) {
  const challenges = await handle
    .select({ id: complianceAuditChallenges.id, samples: complianceAuditChallenges.samples })
    .from(complianceAuditChallenges)
    .where(eq(complianceAuditChallenges.versionId, versionId))
    .orderBy(asc(complianceAuditChallenges.createdAt));
  if (challenges.length === 0) return { provedSamples: 0, openNonces: 0, complete: false };
  const nonces = await handle
    .select({ challengeId: complianceAuditNonces.challengeId, proofId: complianceAuditNonces.proofId })
    .from(complianceAuditNonces)
    .where(
      inArray(
        complianceAuditNonces.challengeId,
        challenges.map((c) => c.id),
      ),
    );
  let provedSamples = 0;
  let openNonces = 0;
  let complete = false;
  for (const challenge of challenges) {
    const own = nonces.filter((n) => n.challengeId === challenge.id);
    const used = own.filter((n) => n.proofId !== null).length;
    openNonces += own.length - used;
    const samples = Math.min(challenge.samples, used * AUDIT_SAMPLES);
    provedSamples = Math.max(provedSamples, samples);
    if (used === own.length && challenge.samples >= requiredSamples) complete = true;
  }
  return { provedSamples, openNonces, complete };
}

/** The first (column, k) whose verified links form a complete chain with k ≥ the version's minimum group size. */
function completeGroupSizeChain(links: readonly Statement<'min_group_size'>[], version: DatasetVersionRow): { column: number; k: number } | null {
  const byColumnAndK = new Map<string, Statement<'min_group_size'>[]>();
  for (const link of links) {
    const key = `${link.groupColumn}:${link.k}`;
    byColumnAndK.set(key, [...(byColumnAndK.get(key) ?? []), link]);
  }
  for (const chain of byColumnAndK.values()) {
    const { groupColumn, k } = chain[0]!;
    if (k < BigInt(version.minGroupSize)) continue;
    const expected = { root: BigInt(version.commitment), rowCount: BigInt(version.rowCount), groupColumn, k };
    if (groupSizeChainGaps(chain, expected).length === 0) return { column: Number(groupColumn), k: Number(k) };
  }
  return null;
}
