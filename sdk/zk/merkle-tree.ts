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

/**
 * Fills levels[h] for h = from + 1 … to from the level below it, from the node above position
 * `first` of level `from` on: the filled prefix only, an absent right child being the empty
 * subtree's zero hash.
 */
function hashLevels(levels: bigint[][], zeros: readonly bigint[], from: number, to: number, first: number): void {
  let index = first;
  for (let h = from + 1; h <= to; h++) {
    const below = levels[h - 1]!;
    const level = levels[h]!;
    index >>= 1;
    const end = Math.ceil(below.length / 2);
    for (let i = index; i < end; i++) level[i] = poseidonPair(below[2 * i]!, below[2 * i + 1] ?? zeros[h - 1]!);
  }
}

/**
 * The levels 0 … height of the subtree over `leaves` (at most 2^height), as FixedMerkleTree
 * stores them: one block of a larger tree, for FixedMerkleTree.fromSubtrees.
 */
export function subtreeLevels(leaves: readonly bigint[], height: number): bigint[][] {
  if (!Number.isInteger(height) || height < 0 || height > 30) throw new RangeError('a subtree height is an integer from 0 to 30');
  if (leaves.length > 2 ** height) throw new RangeError(`${leaves.length} leaves do not fit a subtree of height ${height}`);
  leaves.forEach((leaf, i) => {
    if (!isFieldElement(leaf)) throw new RangeError(`leaf ${i} is not a field element`);
  });
  const levels: bigint[][] = [[...leaves], ...Array.from({ length: height }, () => [])];
  hashLevels(levels, zeroHashes(height), 0, height, 0);
  return levels;
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
    hashLevels(this.levels, this.zeros, 0, this.depth, start);
  }

  /**
   * The tree whose bottom `height` levels are `parts`, subtrees made by subtreeLevels over
   * consecutive blocks of 2^height leaves (every block full but the last), in order. The same
   * tree as build over all their leaves: the blocks are aligned, so no node below `height` spans
   * two of them. What lets the subtrees be hashed on several threads.
   */
  static fromSubtrees(depth: number, height: number, parts: readonly (readonly bigint[][])[]): FixedMerkleTree {
    if (!Number.isInteger(height) || height < 0 || height > depth) throw new RangeError(`a subtree height is an integer from 0 to ${depth}`);
    if (parts.length === 0 || parts.length > 2 ** (depth - height)) throw new RangeError(`a tree of depth ${depth} holds 1 to ${2 ** (depth - height)} subtrees of height ${height}`);
    parts.forEach((part, k) => {
      if (part.length !== height + 1) throw new RangeError(`subtree ${k} has ${part.length} levels, not ${height + 1}`);
      if (k < parts.length - 1 && part[0]!.length !== 2 ** height) throw new RangeError(`subtree ${k} is not full: only the last block may be partial`);
    });
    const tree = FixedMerkleTree.build([], depth);
    for (let h = 0; h <= height; h++) tree.levels[h] = parts.flatMap((part) => part[h]!);
    hashLevels(tree.levels, tree.zeros, height, depth, 0);
    return tree;
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
