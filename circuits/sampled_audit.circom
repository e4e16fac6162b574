pragma circom 2.1.0;

// Sampled audit: s rows of a committed dataset of any size, at indices neither the provider
// nor the verifier picks, obey the declared column rules (抽样合规证明).
//
// Sample i (i = 0 … s-1) is row (Poseidon(root, nonce, i) mod 2^64) mod rowCount: the circuit
// checks each index against this derivation (Fiat–Shamir), so the provider cannot choose the
// rows it opens. The verifier must choose the nonce, after the commitment is recorded, and accept
// one proof per nonce: a provider free to pick nonces could retry until the samples miss its bad
// rows. The reduction mod rowCount is biased by at most rowCount / 2^64 (below 2^-44).
//
// Guarantee: if a fraction p of the rows breaks a rule, a proof exists only for nonces whose s
// samples all miss them, probability (1 − p)^s. With s = 16: p = 10% → 18.5%, p = 20% → 2.8%;
// with s = 128: p = 2% → 7.5%, p = 5% → 0.14%. Samples are drawn with repetition.
//
// Public signals, in this order: root, rulesHash, nonce, rowCount.
// Private signals: indices[s], values[s][4], isNull[s][4], restHash[s] (the sampled rows'
// proved cells and the hash of their other cells), siblings[s][20] (each sampled row's Merkle path), lastLeaf and lastSiblings[20] (row rowCount-1 and its path), and the rule
// records flags[4], min[4], max[4], forbiddenLow[4], forbiddenHigh[4], allowed[4][8].
//
// It proves:
//   1. The rule records hash to rulesHash (as in rule_chunk).
//   2. (root, rowCount) commits to exactly rowCount rows: 1 <= rowCount <= 2^20, leaf
//      rowCount-1 is not empty, and every subtree right of its path is empty.
//   3. For each i: indices[i] = (low 64 bits of Poseidon(root, nonce, i)) mod rowCount, using the
//      strict 254-bit decomposition so the low bits are unique; the sampled row hashes to leaf
//      indices[i] of the tree under root; and the row obeys every column rule as in rule_chunk.
//
// Limits: the rows between samples are not checked (that is the point, and the guarantee above
// is all it gives); the same column limits as rule_chunk.
//
// Constraints: 118,722 for s = 16 (circom 2.2.3 with --O2), about 7,000 per sample (a depth-20
// path ~4.9k, the index derivation ~0.9k, the row's rules ~0.85k, its hash ~0.36k) plus ~7k for
// the row-count binding and the rule set: ptau 2^17. The build's SampledAudit(2, 4, 8, 20): 22,164. s = 128 would take about 0.9M constraints
// and ptau 2^20: by estimate, a ~1.2 GB ptau, hours of local ceremony and on the order of a
// minute per proof on 2 cores (not built here).

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "lib/dataset.circom";
include "lib/merkle.circom";

/// index is the sample's row: the low 64 bits of Poseidon(root, nonce, sample), mod rowCount.
/// Outputs the index's bits, the Merkle path to its leaf.
template SampleIndex(depth) {
    signal input root;
    signal input nonce;
    signal input sample;
    signal input rowCount;
    signal input index;
    signal output indexBits[depth];

    component challenge = Poseidon(3);
    challenge.inputs[0] <== root;
    challenge.inputs[1] <== nonce;
    challenge.inputs[2] <== sample;
    // The strict decomposition: a Poseidon output may exceed 2^254 - p, where Num2Bits(254) would
    // admit a second set of low bits.
    component challengeBits = Num2Bits_strict();
    challengeBits.in <== challenge.out;
    var low = 0;
    for (var b = 0; b < 64; b++) low += challengeBits.out[b] * (1 << b);

    // low = quotient * rowCount + index, index < rowCount; quotient < 2^64 and rowCount <= 2^depth
    // keep the right side far below p, so this is integer division.
    signal quotient;
    quotient <-- low \ rowCount;
    component quotientBits = Num2Bits(64);
    quotientBits.in <== quotient;
    low === quotient * rowCount + index;
    component bits = Num2Bits(depth);
    bits.in <== index;
    component belowCount = LessThan(depth + 1);
    belowCount.in[0] <== index;
    belowCount.in[1] <== rowCount;
    belowCount.out === 1;
    indexBits <== bits.out;
}

template SampledAudit(s, C, E, depth) {
    signal input root;
    signal input rulesHash;
    signal input nonce;
    signal input rowCount;

    signal input indices[s];
    signal input values[s][C];
    signal input isNull[s][C];
    signal input restHash[s];
    signal input siblings[s][depth];
    signal input lastLeaf;
    signal input lastSiblings[depth];
    signal input flags[C];
    signal input min[C];
    signal input max[C];
    signal input forbiddenLow[C];
    signal input forbiddenHigh[C];
    signal input allowed[C][E];

    component rules = RuleSet(C, E);
    rules.flags <== flags;
    rules.min <== min;
    rules.max <== max;
    rules.forbiddenLow <== forbiddenLow;
    rules.forbiddenHigh <== forbiddenHigh;
    rules.allowed <== allowed;
    rules.hash === rulesHash;

    // (root, rowCount) is a commitment to exactly rowCount rows: leaf rowCount-1 holds a row and
    // every leaf after it is empty.
    component lastRowBits = Num2Bits(depth);
    lastRowBits.in <== rowCount - 1;
    component lastIsEmpty = IsZero();
    lastIsEmpty.in <== lastLeaf;
    lastIsEmpty.out === 0;
    component lastPath = BinaryMerkleRoot(depth);
    lastPath.leaf <== lastLeaf;
    lastPath.pathBits <== lastRowBits.out;
    lastPath.siblings <== lastSiblings;
    lastPath.root === root;
    component tail = NothingToTheRight(depth, 0);
    tail.enabled <== 1;
    tail.pathBits <== lastRowBits.out;
    tail.siblings <== lastSiblings;

    component index[s];
    component row[s];
    component path[s];
    component obeys[s];
    for (var i = 0; i < s; i++) {
        index[i] = SampleIndex(depth);
        index[i].root <== root;
        index[i].nonce <== nonce;
        index[i].sample <== i;
        index[i].rowCount <== rowCount;
        index[i].index <== indices[i];

        row[i] = RowHash(C);
        row[i].values <== values[i];
        row[i].isNull <== isNull[i];
        row[i].restHash <== restHash[i];

        path[i] = BinaryMerkleRoot(depth);
        path[i].leaf <== row[i].hash;
        path[i].pathBits <== index[i].indexBits;
        path[i].siblings <== siblings[i];
        path[i].root === root;

        obeys[i] = RowObeysRules(C, E);
        obeys[i].values <== values[i];
        obeys[i].isNull <== isNull[i];
        obeys[i].isReal <== 1;
        obeys[i].nonNull <== rules.nonNull;
        obeys[i].range <== rules.range;
        obeys[i].min <== min;
        obeys[i].max <== max;
        obeys[i].enumeration <== rules.enumeration;
        obeys[i].allowed <== allowed;
        obeys[i].forbidden <== rules.forbidden;
        obeys[i].forbiddenLow <== forbiddenLow;
        obeys[i].forbiddenHigh <== forbiddenHigh;
    }
}

component main {public [root, rulesHash, nonce, rowCount]} = SampledAudit(2, 4, 8, 20);
