// A third party's check of an anchored record, with plain ethers and the AnchorRegistry's
// address: nothing of the exchange's server is trusted or imported. Given the record's leaf
// (its kind, id and content hash, or the leaf hash itself), the Merkle proof and the batch id,
// it recomputes the leaf (OpenZeppelin's StandardMerkleTree encoding), follows the proof to a
// root, reads the batch's root from the chain, and asks the contract's own `verify`.
import { AbiCoder, Contract, keccak256, toUtf8Bytes, type ContractRunner } from 'ethers';

const ANCHOR_REGISTRY_ABI = [
  'function verify(bytes32 batchId, bytes32 leaf, bytes32[] proof) view returns (bool)',
  'function rootOf(bytes32 batchId) view returns (bytes32)',
  'function recordCountOf(bytes32 batchId) view returns (uint32)',
];

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ZERO = '0x' + '00'.repeat(32);

export interface AnchoredLeafValues {
  /** The record's kind, e.g. 'rights.certificate'. */
  kind: string;
  /** The record's id in the exchange. */
  recordId: string;
  /** keccak256 of the record's canonical JSON, 0x and 64 hex digits. */
  contentHash: string;
}

export interface AnchorCheckInput {
  /** The leaf's values, or (leafHash) the leaf itself. */
  leaf: AnchoredLeafValues | { leafHash: string };
  proof: readonly string[];
  /** The batch's uuid as the exchange shows it, or its bytes32 form. */
  batchId: string;
  /** The root the exchange claims for the batch, to compare with the chain's (optional). */
  root?: string;
  /** The AnchorRegistry contract's address. */
  anchorRegistry: string;
}

export interface AnchorCheck {
  leaf: string;
  /** The root the proof leads to from the leaf. */
  computedRoot: string;
  /** The root the chain holds for the batch (null: the chain has none). */
  onChainRoot: string | null;
  recordCount: number;
  /** The proof leads to the root on chain. */
  proofReachesOnChainRoot: boolean;
  /** The exchange's claimed root is the one on chain (null when no root was claimed). */
  claimedRootOnChain: boolean | null;
  /** The contract's own verify(batchId, leaf, proof). */
  contractVerifies: boolean;
  verified: boolean;
}

/** keccak256(keccak256(abi.encode(keccak256(kind), keccak256(recordId), contentHash))). */
export function anchoredLeafHash(values: AnchoredLeafValues): string {
  if (!BYTES32.test(values.contentHash)) throw new TypeError('contentHash must be 0x and 64 hex digits');
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ['bytes32', 'bytes32', 'bytes32'],
    [keccak256(toUtf8Bytes(values.kind)), keccak256(toUtf8Bytes(values.recordId)), values.contentHash],
  );
  return keccak256(keccak256(encoded));
}

/** A batch uuid as the contract's bytes32 (hex digits left-aligned, zero-padded); bytes32 as is. */
export function batchIdBytes32(batchId: string): string {
  if (BYTES32.test(batchId)) return batchId.toLowerCase();
  const hex = batchId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a batch id: ${batchId}`);
  return '0x' + hex.toLowerCase().padEnd(64, '0');
}

/** Follows a proof from a leaf: each step hashes the pair in sorted order (OpenZeppelin's MerkleProof). */
export function processProof(leaf: string, proof: readonly string[]): string {
  let node = leaf.toLowerCase();
  for (const sibling of proof) {
    const s = sibling.toLowerCase();
    node = keccak256(node < s ? node + s.slice(2) : s + node.slice(2));
  }
  return node;
}

export async function verifyAnchor(input: AnchorCheckInput, runner: ContractRunner): Promise<AnchorCheck> {
  const leaf = ('leafHash' in input.leaf ? input.leaf.leafHash : anchoredLeafHash(input.leaf)).toLowerCase();
  if (!BYTES32.test(leaf)) throw new TypeError('the leaf hash must be 0x and 64 hex digits');
  const wellFormed = input.proof.every((p) => BYTES32.test(p));
  const proof = wellFormed ? [...input.proof] : [];
  const batchId = batchIdBytes32(input.batchId);
  const registry = new Contract(input.anchorRegistry, ANCHOR_REGISTRY_ABI, runner);
  const [rootOnChain, count, contractVerifies] = await Promise.all([
    registry.getFunction('rootOf').staticCall(batchId) as Promise<string>,
    registry.getFunction('recordCountOf').staticCall(batchId) as Promise<bigint>,
    wellFormed ? (registry.getFunction('verify').staticCall(batchId, leaf, proof) as Promise<boolean>) : Promise.resolve(false),
  ]);
  const onChainRoot = rootOnChain === ZERO ? null : rootOnChain.toLowerCase();
  const computedRoot = wellFormed ? processProof(leaf, proof) : '';
  const proofReachesOnChainRoot = onChainRoot !== null && computedRoot === onChainRoot;
  const claimedRootOnChain = input.root === undefined ? null : onChainRoot !== null && input.root.toLowerCase() === onChainRoot;
  return {
    leaf,
    computedRoot,
    onChainRoot,
    recordCount: Number(count),
    proofReachesOnChainRoot,
    claimedRootOnChain,
    contractVerifies,
    verified: proofReachesOnChainRoot && contractVerifies && claimedRootOnChain !== false,
  };
}
