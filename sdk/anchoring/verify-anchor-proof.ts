// Checks an anchored record's proof without trusting the server: the content hash recomputed
// from the content (canonical JSON, keccak256), the leaf from (kind, record id, content hash)
// as OpenZeppelin's StandardMerkleTree makes it, and the Merkle path up to the batch's root.
// Whether that root is on chain is AnchorRegistry.rootOf(batchId): the API reports it
// (verifiesOnChain, txHash), and anyone with a chain node can ask the contract directly.
import { keccak256 } from 'ethers/crypto';
import { concat, getBytes, toUtf8Bytes } from 'ethers/utils';

export interface AnchorProofInput {
  kind: string;
  recordId: string;
  contentHash: string;
  leaf: string;
  root: string | null;
  proof: readonly string[];
}

export interface AnchorProofCheck {
  /** keccak256(canonical JSON of the content) equals contentHash; null when no content was given. */
  contentHashMatches: boolean | null;
  /** The leaf recomputed from kind, record id and content hash equals the proof's leaf. */
  leafMatches: boolean;
  /** The path from the leaf reaches the batch root; null while the record is not in a batch. */
  pathReachesRoot: boolean | null;
  /** The root the path reaches. */
  computedRoot: string;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * JSON with object keys sorted, no whitespace: the encoding the exchange hashes anchored
 * content with (RFC 8785 key order; numbers as JSON.stringify writes them).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON holds finite numbers only');
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString(10));
    case 'object':
      if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
      return (
        '{' +
        Object.keys(value)
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => JSON.stringify(k) + ':' + canonicalJson((value as Record<string, unknown>)[k]))
          .join(',') +
        '}'
      );
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

export function contentHashOf(content: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(content)));
}

/** keccak256(keccak256(abi.encode(keccak256(kind), keccak256(recordId), contentHash))). */
export function anchorLeafHash(kind: string, recordId: string, contentHash: string): string {
  if (!BYTES32.test(contentHash)) throw new TypeError('a content hash is 0x and 64 hex digits');
  // abi.encode of three bytes32 values is their concatenation.
  const encoded = concat([keccak256(toUtf8Bytes(kind)), keccak256(toUtf8Bytes(recordId)), contentHash.toLowerCase()]);
  return keccak256(keccak256(encoded));
}

/** OpenZeppelin's MerkleProof.processProof: each step hashes the sorted pair. */
export function processProof(leaf: string, proof: readonly string[]): string {
  let node = leaf;
  for (const sibling of proof) {
    const [a, b] = compareBytes(getBytes(node), getBytes(sibling)) <= 0 ? [node, sibling] : [sibling, node];
    node = keccak256(concat([a, b]));
  }
  return node;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function verifyAnchorProof(proof: AnchorProofInput, content?: unknown): AnchorProofCheck {
  const contentHashMatches = content === undefined ? null : contentHashOf(content).toLowerCase() === proof.contentHash.toLowerCase();
  const leafMatches = anchorLeafHash(proof.kind, proof.recordId, proof.contentHash).toLowerCase() === proof.leaf.toLowerCase();
  const computedRoot = processProof(proof.leaf, proof.proof);
  const pathReachesRoot = proof.root === null ? null : computedRoot.toLowerCase() === proof.root.toLowerCase();
  return { contentHashMatches, leafMatches, pathReachesRoot, computedRoot };
}
