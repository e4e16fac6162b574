// A fixed-depth Poseidon Merkle tree as circuits/lib/merkle.circom checks it: node =
// Poseidon(left, right), empty leaves 0, empty subtrees their zero hash. Only the filled prefix of
// each level is stored (a levels array), so a tree of depth 20 over n leaves costs about n + 20
// hashes, not 2^20, a path is `depth` look-ups, and appending rows rehashes only what is above them.

import { isFieldElement, poseidonPair } from '../poseidon.ts';

const zeroHashCache: bigint[] = [0n];

/** zeroHashes(d)[h] is the root of an empty subtree of height h, for h = 0 … d. */
export function zeroHashes(depth: number): readonly bigint[] {
  while (zeroHashCache.length <= depth) {
    const below = zeroHashCache[zeroHashCache.length - 1]!;
    zeroHashCache.push(poseidonPair(below, below));
  }
  return zeroHashCache.slice(0, depth + 1);
}

export class FixedMerkleTree {
  /** levels[h] holds the filled nodes at height h, left to right; levels[0] the leaves. */
  private readonly levels: bigint[][];
  private readonly zeros: readonly bigint[];

  private constructor(
    readonly depth: number,
    levels: bigint[][],
  ) {
    this.levels = levels;
    this.zeros = zeroHashes(depth);
  }

  /** The tree over `leaves` at positions 0 … n-1, every later leaf empty (0). */
  static build(leaves: readonly bigint[], depth: number): FixedMerkleTree {
    if (!Number.isInteger(depth) || depth < 1 || depth > 30) throw new RangeError('a tree depth is an integer from 1 to 30');
    const levels: bigint[][] = Array.from({ length: depth + 1 }, () => []);
    const tree = new FixedMerkleTree(depth, levels);
    tree.append(leaves);
    return tree;
  }

  /**
   * Adds leaves after the last one and rehashes only the nodes above them: appending k leaves
   * to a tree of n costs about k + depth hashes, so a new dataset version that adds rows does
   * not rehash the old ones.
   */
  append(leaves: readonly bigint[]): void {
    const start = this.size;
    if (start + leaves.length > 2 ** this.depth) throw new RangeError(`${start + leaves.length} leaves do not fit a tree of depth ${this.depth}`);
    leaves.forEach((leaf, i) => {
      if (!isFieldElement(leaf)) throw new RangeError(`leaf ${start + i} is not a field element`);
    });
    const bottom = this.levels[0]!;
    for (const leaf of leaves) bottom.push(leaf);
    let first = start;
    for (let h = 1; h <= this.depth; h++) {
      const below = this.levels[h - 1]!;
      const level = this.levels[h]!;
      first >>= 1;
      const end = Math.ceil(below.length / 2);
      for (let i = first; i < end; i++) level[i] = poseidonPair(below[2 * i]!, below[2 * i + 1] ?? this.zeros[h - 1]!);
    }
  }

  get root(): bigint {
    return this.node(this.depth, 0);
  }

  /** The number of leaves the tree was built over (later positions are empty). */
  get size(): number {
    return this.levels[0]!.length;
  }

  /** The node at `height` and position `index` in that level (an empty subtree's zero hash past the filled prefix). */
  node(height: number, index: number): bigint {
    if (height < 0 || height > this.depth || index < 0 || index >= 2 ** (this.depth - height)) {
      throw new RangeError(`no node ${index} at height ${height} in a tree of depth ${this.depth}`);
    }
    return this.levels[height]![index] ?? this.zeros[height]!;
  }

  /**
   * The siblings from the node at (`height`, `index`) up to the root, bottom first: the Merkle
   * path a circuit's BinaryMerkleRoot(depth - height) takes with the bits of `index`.
   */
  siblings(index: number, height = 0): bigint[] {
    const path: bigint[] = [];
    let position = index;
    for (let h = height; h < this.depth; h++) {
      path.push(this.node(h, position ^ 1));
      position >>= 1;
    }
    return path;
  }

  /** The root reached from `leaf` at position `index` along `siblings` (for checking a path off circuit). */
  static rootFromPath(leaf: bigint, index: number, siblings: readonly bigint[]): bigint {
    let node = leaf;
    let position = index;
    for (const sibling of siblings) {
      node = position & 1 ? poseidonPair(sibling, node) : poseidonPair(node, sibling);
      position >>= 1;
    }
    return node;
  }
}
