// The regulator's positive list (正面清单) for cross-border transfer, and the prover side of
// circuits/positive_list.circom: a (destination, category) pair is an entry of the list whose
// root the regulator publishes. Leaves are Poseidon(destination, category) in a depth-10 tree.

import { isFieldElement, poseidonHash } from '../poseidon.ts';
import { proveGroth16, type Groth16ProofWithSignals, type ProverArtifacts } from './groth16.ts';
import { FixedMerkleTree } from './merkle-tree.ts';
import { POSITIVE_LIST_DEPTH } from './parameters.ts';

/**
 * One entry as field elements: the destination's ISO 3166-1 alpha-2 code and the catalog's
 * classification (finance.credit), each as its ASCII bytes read big-endian (SG → 0x5347), the
 * encoding server/domain/crossborder/positive-list-tree.ts uses for the exchange's list.
 */
export interface PositiveListEntry {
  destination: bigint;
  category: bigint;
}

/** The circuit's signals one to one: public listRoot, destination, category; private leafIndex, siblings. */
export interface PositiveListInput {
  listRoot: bigint;
  destination: bigint;
  category: bigint;
  leafIndex: bigint;
  siblings: bigint[];
}

export const POSITIVE_LIST_PUBLIC_SIGNALS = ['listRoot', 'destination', 'category'] as const;

export function positiveListLeaf(entry: PositiveListEntry): bigint {
  if (!isFieldElement(entry.destination) || !isFieldElement(entry.category)) {
    throw new RangeError('destination and category must be field elements');
  }
  return poseidonHash([entry.destination, entry.category]);
}

export class PositiveList {
  private constructor(
    readonly entries: readonly PositiveListEntry[],
    private readonly tree: FixedMerkleTree,
  ) {}

  /** The list's tree, entries in the given order; duplicates are refused. */
  static build(entries: readonly PositiveListEntry[]): PositiveList {
    if (entries.length === 0) throw new RangeError('a positive list has at least one entry');
    const leaves = entries.map(positiveListLeaf);
    if (new Set(leaves).size !== leaves.length) throw new RangeError('a positive list names each entry once');
    return new PositiveList([...entries], FixedMerkleTree.build(leaves, POSITIVE_LIST_DEPTH));
  }

  get root(): bigint {
    return this.tree.root;
  }

  indexOf(entry: PositiveListEntry): number {
    return this.entries.findIndex((e) => e.destination === entry.destination && e.category === entry.category);
  }

  /** The witness for an entry on the list; throws when it is not on the list. */
  input(entry: PositiveListEntry): PositiveListInput {
    const index = this.indexOf(entry);
    if (index < 0) throw new RangeError(`category ${entry.category} is not on the positive list for destination ${entry.destination}`);
    return {
      listRoot: this.root,
      destination: entry.destination,
      category: entry.category,
      leafIndex: BigInt(index),
      siblings: this.tree.siblings(index),
    };
  }
}

export function provePositiveList(input: PositiveListInput, artifacts: ProverArtifacts): Promise<Groth16ProofWithSignals> {
  return proveGroth16({ ...input }, artifacts);
}
