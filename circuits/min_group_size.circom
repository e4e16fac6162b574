pragma circom 2.1.0;

// Minimum group size: every group of a declared categorical column holds no rows or at least k
// rows (the k-anonymity of one column, 最小分组规模).
//
// Counting groups is a property of the whole dataset, so it is proved as a chain with one link
// per chunk of R = 64 rows: link i opens chunk i (as rule_chunk does), adds each real row to the
// count of its group, and commits to the running counts with a salted hash, the tally. Link i
// starts from the tally link i-1 ended with; link 0 starts from zero counts; the link holding
// row rowCount-1 also checks every final count against k and that no row lies past rowCount.
// The verifier checks the links are chunks 0 … ⌈rowCount/64⌉ − 1 and that the tallies chain
// (server/privacy/zk/statements.ts, groupSizeChainGaps). The counts stay hidden: the tally is
// Poseidon over a secret salt and the 65 counts.
//
// Groups are the column's codes 0 … G-1 (G = 64: a category column's code index) and one more
// group for nulls. A non-null value that is not a code below G cannot be counted and the link
// cannot be proved.
//
// Public signals, in this order: root, rowCount, chunkIndex, groupColumn, k, tallyBefore,
// tallyAfter.
// Private signals: values[64][4], isNull[64][4], restHash[64], siblings[14], countsBefore[65],
// salt.
//
// It proves, for its chunk:
//   1. The chunk is part of the tree committed as (root, rowCount), as rule_chunk 2–3.
//   2. groupColumn < 4 (one of the proved columns, the first 4 of the schema), k < 2^21;
//      countsBefore hash with salt to tallyBefore, and are zero when chunkIndex = 0.
//   3. countsAfter = countsBefore + this chunk's count per group (each < 2^21), hashing with the
//      same salt to tallyAfter.
//   4. In the last chunk: every count in countsAfter is 0 or at least k.
//
// Limits: one column (a combination of quasi-identifiers must first be encoded as one category
// column); 64 codes; a chain of ⌈rowCount/64⌉ proofs (15,625 for a million rows: production
// would prove larger chunks, or fold the chain recursively); the bound is on the committed data,
// which is what the exchange's encrypted queries run on.
//
// Constraints: 55,486 at these sizes (circom 2.2.3 with --O2): ~23k row hashes (Poseidon(6)),
// ~15k subtree, ~6k for the two tallies, ~4.4k for the per-row group decoders, ~1.6k for the
// final check. ptau 2^16. The build's MinGroupSize(2, 4, 8, 20): 8,088.

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/multiplexer.circom";
include "circomlib/circuits/poseidon.circom";
include "lib/dataset.circom";

/// tally = Poseidon(… Poseidon(Poseidon(salt, counts[0..14]), counts[15..29]) …, counts[..n-1]):
/// a hiding, binding commitment to a count vector, folded 15 counts at a time.
template TallyCommitment(n) {
    signal input salt;
    signal input counts[n];
    signal output tally;

    var folds = (n + 14) \ 15;
    component fold[folds];
    for (var f = 0; f < folds; f++) {
        var width = (n - 15 * f < 15) ? n - 15 * f : 15;
        fold[f] = Poseidon(width + 1);
        fold[f].inputs[0] <== (f == 0) ? salt : fold[f - 1].out;
        for (var i = 0; i < width; i++) fold[f].inputs[1 + i] <== counts[15 * f + i];
    }
    tally <== fold[folds - 1].out;
}

template MinGroupSize(chunkLevels, C, G, depth) {
    var R = 1 << chunkLevels;
    var countBits = depth + 1;
    signal input root;
    signal input rowCount;
    signal input chunkIndex;
    signal input groupColumn;
    signal input k;
    signal input tallyBefore;
    signal input tallyAfter;

    signal input values[R][C];
    signal input isNull[R][C];
    signal input restHash[R];
    signal input siblings[depth - chunkLevels];
    signal input countsBefore[G + 1];
    signal input salt;

    component chunk = DatasetChunk(chunkLevels, depth, C);
    chunk.root <== root;
    chunk.rowCount <== rowCount;
    chunk.chunkIndex <== chunkIndex;
    chunk.values <== values;
    chunk.isNull <== isNull;
    chunk.restHash <== restHash;
    chunk.siblings <== siblings;

    component kBits = Num2Bits(countBits);
    kBits.in <== k;

    // The group column, one-hot: groupColumn < C.
    component column = Decoder(C);
    column.inp <== groupColumn;
    column.success === 1;

    // The running counts: zero before the first chunk, committed to tallyBefore.
    component before = TallyCommitment(G + 1);
    before.salt <== salt;
    before.counts <== countsBefore;
    before.tally === tallyBefore;
    for (var g = 0; g <= G; g++) chunk.isFirst * countsBefore[g] === 0;

    // Each real row adds one to its group's count: codes 0 … G-1, and slot G for null. A real
    // non-null row whose code is not below G cannot be counted, and the proof fails.
    signal groupValue[R][C];
    signal groupNull[R][C];
    signal nullHere[R];
    signal decoderInput[R];
    component group[R];
    var added[G + 1];
    for (var g = 0; g <= G; g++) added[g] = 0;
    for (var j = 0; j < R; j++) {
        var value = 0;
        var isNullHere = 0;
        for (var c = 0; c < C; c++) {
            groupValue[j][c] <== column.out[c] * values[j][c];
            groupNull[j][c] <== column.out[c] * isNull[j][c];
            value += groupValue[j][c];
            isNullHere += groupNull[j][c];
        }
        nullHere[j] <== chunk.isReal[j] * isNullHere;
        var live = chunk.isReal[j] - nullHere[j];
        // Rows that are not counted go to code G, which the decoder cannot place (success 0).
        group[j] = Decoder(G);
        decoderInput[j] <== live * (value - G) + G;
        group[j].inp <== decoderInput[j];
        group[j].success === live;
        for (var g = 0; g < G; g++) added[g] += group[j].out[g];
        added[G] += nullHere[j];
    }

    signal countsAfter[G + 1];
    component countFits[G + 1];
    for (var g = 0; g <= G; g++) {
        countsAfter[g] <== countsBefore[g] + added[g];
        countFits[g] = Num2Bits(countBits);
        countFits[g].in <== countsAfter[g];
    }
    component after = TallyCommitment(G + 1);
    after.salt <== salt;
    after.counts <== countsAfter;
    after.tally === tallyAfter;

    // After the last chunk every group is empty or holds at least k rows.
    component empty[G + 1];
    component enough[G + 1];
    signal lastAndOccupied[G + 1];
    for (var g = 0; g <= G; g++) {
        empty[g] = IsZero();
        empty[g].in <== countsAfter[g];
        enough[g] = GreaterEqThan(countBits);
        enough[g].in[0] <== countsAfter[g];
        enough[g].in[1] <== k;
        lastAndOccupied[g] <== chunk.isLast * (1 - empty[g].out);
        lastAndOccupied[g] * (1 - enough[g].out) === 0;
    }
}

component main {public [root, rowCount, chunkIndex, groupColumn, k, tallyBefore, tallyAfter]} = MinGroupSize(2, 4, 8, 20);
