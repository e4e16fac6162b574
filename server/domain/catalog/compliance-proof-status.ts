import type { DbHandle } from '../../db/client.ts';
import { complianceCoverage } from '../compliance/compliance-coverage.ts';
import type { DatasetVersionRow } from './listing-transition.ts';

export interface ComplianceProofStatus {
  /** Verified rule_chunk proofs cover every row, or a sampled audit reached the samples required. */
  verified: boolean;
  /** What the proofs cover, or what is missing (e.g. "chunks 1–3 not proved"). */
  detail: string;
}

/**
 * Whether a version carries verified compliance proofs enough for L3 listing (合规证明): full
 * coverage by rule_chunk proofs, or a complete sampled audit of the samples the reviewer requires.
 */
export async function complianceProofStatus(handle: DbHandle, version: DatasetVersionRow): Promise<ComplianceProofStatus> {
  const coverage = await complianceCoverage(handle, version);
  return { verified: coverage.satisfied, detail: coverage.detail };
}
