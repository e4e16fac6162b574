import type { DbHandle } from '../../db/client.ts';

/**
 * Whether a version carries a verified compliance proof (rule proof or sampled audit). The
 * proofs themselves arrive with the zero-knowledge compliance work; until a version has a
 * verified one recorded, the answer is no, and L3 data cannot be submitted.
 */
export async function hasVerifiedComplianceProof(_handle: DbHandle, _versionId: string): Promise<boolean> {
  return false;
}
