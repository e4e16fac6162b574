pragma circom 2.1.0;

// Positive list (正面清单): a dataset's category may go to a destination jurisdiction.
//
// The regulator publishes, per version of its cross-border positive list, the root of a depth-10
// Poseidon Merkle tree (up to 1,024 entries) whose leaves are Poseidon(destination, category):
// the destination's ISO 3166-1 alpha-2 code and the catalog's classification, each as its ASCII
// bytes read big-endian (SG → 0x5347). Empty slots are 0. sdk/zk/positive-list.ts builds the tree and the witness.
//
// Public signals, in this order: listRoot, destination, category.
// Private signals: leafIndex (the entry's position), siblings[10] (its Merkle path).
//
// It proves: Poseidon(destination, category) is the leaf at position leafIndex (< 2^10, its bits
// from Num2Bits) of the tree with root listRoot. Nothing else: that listRoot is the regulator's
// current list, and that the category is the dataset's catalog category, are the verifier's to
// check against its own records. The list and the category are public, so this proof hides
// nothing; it exists so that the check is made by the same verifier, and recorded in the same
// ComplianceRegistry on chain, as every other compliance proof.
//
// Constraints: 2,660 (circom 2.2.3 with --O2).

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "lib/merkle.circom";

template PositiveList(depth) {
    signal input listRoot;
    signal input destination;
    signal input category;

    signal input leafIndex;
    signal input siblings[depth];

    component entry = Poseidon(2);
    entry.inputs[0] <== destination;
    entry.inputs[1] <== category;
    component indexBits = Num2Bits(depth);
    indexBits.in <== leafIndex;
    component path = BinaryMerkleRoot(depth);
    path.leaf <== entry.out;
    path.pathBits <== indexBits.out;
    path.siblings <== siblings;
    path.root === listRoot;
}

component main {public [listRoot, destination, category]} = PositiveList(10);
