import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import { getAnchorProof, type AnchorProof } from '../../chain/anchoring/get-anchor-proof.ts';
import type { DbHandle } from '../../db/client.ts';

/**
 * The inclusion proof of an anchored record (a certificate, a listing decision, …): its leaf,
 * Merkle path, batch root, transaction and block, and whether it verifies against the chain.
 * Null while the record has no anchor record (it was never meant to be anchored).
 */
export async function getRecordProof(options: {
  db: DbHandle;
  anchorRegistry: AnchorRegistry;
  kind: string;
  recordId: string;
}): Promise<AnchorProof | null> {
  return getAnchorProof(options.db, options.anchorRegistry, options.kind, options.recordId);
}
