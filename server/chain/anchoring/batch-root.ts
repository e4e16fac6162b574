// A batch's Merkle root computed straight from its records, for the regulator's full audit of
// millions of records. It is OpenZeppelin's StandardMerkleTree root (the same leaves, sorted
// by hash, the same array-heap layout and sorted-pair node hash) without the library's
// per-node hex strings, ABI encoder and validation: the same keccak256 from ethers on reused
// byte buffers. test/unit/anchor-batch-root.test.ts holds it equal to buildAnchorTree's root.
import { keccak256, toUtf8Bytes } from 'ethers';
import type { AnchoredRecordLeaf } from './leaf.ts';

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

const HEX_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i;
    table[97 + i] = 10 + i;
  }
  return table;
})();

/** Writes the 32 bytes of a 0x-prefixed 64-digit hex string into `out` at `offset`. */
function writeHex32(hex: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 32; i++) {
    const hi = HEX_VALUES[hex.charCodeAt(2 + 2 * i)]!;
    const lo = HEX_VALUES[hex.charCodeAt(3 + 2 * i)]!;
    out[offset + i] = (hi << 4) | lo;
  }
}

function hashBytes(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  writeHex32(keccak256(data), out, 0);
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the record's content hash is a 0x-prefixed 32-byte hex string, as every leaf needs. */
export function isWellFormedContentHash(contentHash: string): boolean {
  return BYTES32.test(contentHash);
}

/**
 * The standard leaf hash of each record, as bytes: keccak256(keccak256(abi.encode(
 * keccak256(kind), keccak256(recordId), contentHash))). Three bytes32 words encode as their
 * 96 bytes side by side, so no ABI coder is needed.
 */
export function anchorLeafHashes(records: Iterable<AnchoredRecordLeaf>): Uint8Array[] {
  const kindHashes = new Map<string, Uint8Array>();
  const encoded = new Uint8Array(96);
  const leaves: Uint8Array[] = [];
  for (const r of records) {
    if (!BYTES32.test(r.contentHash)) throw new TypeError(`content hash must be 0x and 64 hex digits, got ${r.contentHash}`);
    let kindHash = kindHashes.get(r.kind);
    if (!kindHash) kindHashes.set(r.kind, (kindHash = hashBytes(toUtf8Bytes(r.kind))));
    encoded.set(kindHash, 0);
    writeHex32(keccak256(toUtf8Bytes(r.recordId)), encoded, 32);
    writeHex32(r.contentHash, encoded, 64);
    leaves.push(hashBytes(hashBytes(encoded)));
  }
  return leaves;
}

/** The root of the standard tree over these leaf hashes (sorted here; the array is sorted in place). */
export function rootOfLeafHashes(leaves: Uint8Array[]): string {
  if (leaves.length === 0) throw new RangeError('an anchor batch holds at least one record');
  leaves.sort(compareBytes);
  const n = leaves.length;
  // OpenZeppelin's layout: a heap of 2n − 1 nodes, leaf i at position 2n − 2 − i, node i
  // hashing its children 2i + 1 and 2i + 2 in sorted order. Only the n − 1 internal nodes are
  // stored here (internal[i] is heap node i); children past them are leaves.
  const internal: Uint8Array[] = new Array(n - 1);
  const node = (i: number): Uint8Array => (i < n - 1 ? internal[i]! : leaves[2 * n - 2 - i]!);
  const pair = new Uint8Array(64);
  for (let i = n - 2; i >= 0; i--) {
    const a = node(2 * i + 1);
    const b = node(2 * i + 2);
    if (compareBytes(a, b) <= 0) {
      pair.set(a, 0);
      pair.set(b, 32);
    } else {
      pair.set(b, 0);
      pair.set(a, 32);
    }
    internal[i] = hashBytes(pair);
  }
  // A one-leaf tree's root is the leaf itself.
  return '0x' + Buffer.from(n === 1 ? leaves[0]! : internal[0]!).toString('hex');
}

/** The root buildAnchorTree(records).root would give, computed several times faster. */
export function anchorBatchRoot(records: Iterable<AnchoredRecordLeaf>): string {
  return rootOfLeafHashes(anchorLeafHashes(records));
}

/**
 * The root a proof leads to from a leaf hash (OpenZeppelin's MerkleProof.processProof: each
 * step hashes the pair in sorted order). A malformed leaf or sibling leads nowhere: null.
 */
export function processAnchorProof(leaf: string, proof: readonly string[]): string | null {
  if (!BYTES32.test(leaf) || !proof.every((p) => BYTES32.test(p))) return null;
  const pair = new Uint8Array(64);
  let node: Uint8Array = new Uint8Array(32);
  writeHex32(leaf, node, 0);
  const sibling = new Uint8Array(32);
  for (const p of proof) {
    writeHex32(p, sibling, 0);
    if (compareBytes(node, sibling) <= 0) {
      pair.set(node, 0);
      pair.set(sibling, 32);
    } else {
      pair.set(sibling, 0);
      pair.set(node, 32);
    }
    node = hashBytes(pair);
  }
  return '0x' + Buffer.from(node).toString('hex');
}
