// Built batch trees, least recently used first out, so serving a page of proofs from one
// batch builds its tree once rather than once per record.
import type { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { AnchorLeafValues } from './leaf.ts';

export class BatchTreeCache {
  private readonly trees = new Map<string, StandardMerkleTree<AnchorLeafValues>>();

  constructor(private readonly capacity = 16) {}

  get(batchId: string): StandardMerkleTree<AnchorLeafValues> | undefined {
    const tree = this.trees.get(batchId);
    if (tree) {
      this.trees.delete(batchId);
      this.trees.set(batchId, tree);
    }
    return tree;
  }

  set(batchId: string, tree: StandardMerkleTree<AnchorLeafValues>): void {
    this.trees.delete(batchId);
    this.trees.set(batchId, tree);
    while (this.trees.size > this.capacity) this.trees.delete(this.trees.keys().next().value!);
  }

  delete(batchId: string): void {
    this.trees.delete(batchId);
  }
}
