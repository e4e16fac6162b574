// The leaf an anchored record contributes to its batch's Merkle tree, and the tree itself.
// It is OpenZeppelin's standard tree over (keccak256(kind), keccak256(record id), content
// hash), so the contract's MerkleProof.verifyCalldata and any third party's ethers code
// check the same proofs. Leaves are sorted by hash (the library's default), so a batch's
// root depends only on its set of records, never on the order they were read in.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, keccak256, toUtf8Bytes } from 'ethers';

export const ANCHOR_LEAF_ENCODING = ['bytes32', 'bytes32', 'bytes32'] as const;

export type AnchorLeafValues = [kindHash: string, recordIdHash: string, contentHash: string];

/** One record's place in a batch: the values it hashes to, at its leaf index. */
export interface AnchoredRecordLeaf {
  kind: string;
  recordId: string;
  contentHash: string;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

export function anchorLeafValues(kind: string, recordId: string, contentHash: string): AnchorLeafValues {
  if (!BYTES32.test(contentHash)) throw new TypeError(`content hash must be 0x and 64 hex digits, got ${contentHash}`);
  return [keccak256(toUtf8Bytes(kind)), keccak256(toUtf8Bytes(recordId)), contentHash.toLowerCase()];
}

/** keccak256(bytes.concat(keccak256(abi.encode(kindHash, recordIdHash, contentHash)))): what `verify` takes. */
export function anchorLeafHash(kind: string, recordId: string, contentHash: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode([...ANCHOR_LEAF_ENCODING], anchorLeafValues(kind, recordId, contentHash));
  return keccak256(keccak256(encoded));
}

/**
 * The batch's tree, with value index i = the record whose leaf_index is i. `records` must be
 * given in leaf-index order; proofs are then `tree.getProof(leafIndex)`.
 */
export function buildAnchorTree(records: readonly AnchoredRecordLeaf[]): StandardMerkleTree<AnchorLeafValues> {
  if (records.length === 0) throw new RangeError('an anchor batch holds at least one record');
  return StandardMerkleTree.of(
    records.map((r) => anchorLeafValues(r.kind, r.recordId, r.contentHash)),
    [...ANCHOR_LEAF_ENCODING],
  );
}
