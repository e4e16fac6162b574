// A record's inclusion proof: its leaf, the sibling hashes up to its batch's root, where the
// root was anchored, and whether the contract accepts the proof against that root now.
import type { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { anchorBatches, anchorRecords } from '../../db/schema.ts';
import type { AnchorRegistry } from './anchor-registry.ts';
import { loadBatchRecords } from './batch-records.ts';
import { BatchTreeCache } from './batch-tree-cache.ts';
import { anchorLeafHash, anchorLeafValues, buildAnchorTree, type AnchorLeafValues } from './leaf.ts';

export interface AnchorProof {
  kind: string;
  recordId: string;
  contentHash: string;
  /** The standard leaf hash the contract's `verify` takes. */
  leaf: string;
  batchId: string | null;
  leafIndex: number | null;
  /** The batch's sealed root, which is the one anchored on chain once status is 'anchored'. */
  root: string | null;
  proof: string[];
  /** pending: not in a batch yet; sealed: in a batch whose root is not on chain yet; anchored: on chain. */
  status: 'pending' | 'sealed' | 'anchored';
  txHash: string | null;
  blockNumber: number | null;
  verifiesOnChain: boolean;
}

const sharedTrees = new BatchTreeCache(16);

/** The proof of the record (kind, recordId), or null when there is no such anchor record. */
export async function getAnchorProof(
  handle: DbHandle,
  registry: AnchorRegistry,
  kind: string,
  recordId: string,
  options: { trees?: BatchTreeCache } = {},
): Promise<AnchorProof | null> {
  const trees = options.trees ?? sharedTrees;
  const [record] = await handle
    .select()
    .from(anchorRecords)
    .where(and(eq(anchorRecords.kind, kind), eq(anchorRecords.recordId, recordId)));
  if (!record) return null;
  const leaf = anchorLeafHash(record.kind, record.recordId, record.contentHash);
  const base = { kind: record.kind, recordId: record.recordId, contentHash: record.contentHash, leaf };
  if (record.batchId === null) {
    return { ...base, batchId: null, leafIndex: null, root: null, proof: [], status: 'pending', txHash: null, blockNumber: null, verifiesOnChain: false };
  }
  const [batch] = await handle.select().from(anchorBatches).where(eq(anchorBatches.id, record.batchId));
  if (!batch || record.leafIndex === null) throw new Error(`anchor record ${record.kind}/${record.recordId} names batch ${record.batchId}, which is missing`);

  // Only a tree that rebuilds the sealed root is cached, and it serves a record only while
  // it holds the record's leaf as the database has it now: an edited record gets a proof
  // that fails, never a stale one that passes.
  const values = anchorLeafValues(record.kind, record.recordId, record.contentHash);
  let tree = trees.get(batch.id);
  if (!tree || !holdsLeaf(tree, values)) {
    tree = buildAnchorTree(await loadBatchRecords(handle, batch.id));
    if (tree.root === batch.root) trees.set(batch.id, tree);
    else trees.delete(batch.id);
  }
  const proof = tree.getProof(values);
  return {
    ...base,
    batchId: batch.id,
    leafIndex: record.leafIndex,
    root: batch.root,
    proof,
    status: batch.status,
    txHash: batch.txHash,
    blockNumber: batch.blockNumber === null ? null : Number(batch.blockNumber),
    verifiesOnChain: await registry.verify(batch.id, leaf, proof),
  };
}

function holdsLeaf(tree: StandardMerkleTree<AnchorLeafValues>, values: AnchorLeafValues): boolean {
  try {
    tree.leafLookup(values);
    return true;
  } catch {
    return false;
  }
}
