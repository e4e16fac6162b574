pragma circom 2.1.0;

// Rule chunk: one chunk of a committed dataset obeys the declared column rules (合规证明).
//
// The dataset version is committed as (root, rowCount): a depth-20 Poseidon Merkle tree whose
// leaves 0 … rowCount-1 are row hashes and whose other leaves are 0 (lib/dataset.circom has the
// row encoding and the rule records). A chunk is the R = 64 row slots chunkIndex*64 …
// chunkIndex*64 + 63; one proof per chunk, 0 … ⌈rowCount/64⌉ − 1, all against the same root and
// rulesHash, proves the whole dataset (server/privacy/zk/statements.ts checks the set).
//
// Public signals, in this order: root, rulesHash, chunkIndex, rowCount.
// Private signals: values[64][4], isNull[64][4] (the chunk's proved cells; zeros past the last
// row), restHash[64] (each row's hash of its other cells, 0 past the last row), siblings[14] (the
// chunk subtree's path to the root), and the rule records flags[4], min[4], max[4],
// forbiddenLow[4], forbiddenHigh[4], allowed[4][8].
//
// It proves:
//   1. The rule records hash to rulesHash, their flags are 4 bits and their bounds fit 64 bits:
//      the verifier, who recomputes rulesHash from the declared rules (sdk/zk/rules.ts), knows
//      exactly which rules were checked.
//   2. 1 <= rowCount <= 2^20 and the chunk starts before rowCount. The slots below rowCount hold
//      rows whose hashes are the chunk's leaves, the others hold 0, and the chunk's subtree
//      hangs under root at position chunkIndex.
//   3. In the chunk holding row rowCount-1, every subtree right of the chunk's path is empty:
//      with that proof, no leaf at or after rowCount holds anything, so rowCount is the true row
//      count of the committed tree.
//   4. Every cell of every real row obeys its column's rule: non-null; min <= value <= max as
//      64-bit integers (a value of 2^64 or a field-wrapped negative such as p - 1 fails);
//      value among the listed codes; value outside [forbiddenLow, forbiddenHigh) — for a column
//      declared non-personal, the magnitude of an 18-digit resident ID number (10^17 … 10^18 − 1).
//      Null cells pass every rule but non-null.
//
// Limits: rules apply to a row's 4 proved columns, the first 4 of the schema (the others are
// bound to the commitment by restHash but not checked); 8 codes per enumeration; the resident-ID rule tests magnitude
// only, not the ISO 7064 MOD 11-2 check digit (checking it would cost ~250 constraints per cell
// and only applies to numeric columns: text is hashed before it reaches a circuit); full
// coverage of 1,000,000 rows takes 15,625 proofs — use sampled_audit for large datasets.
//
// Constraints: 99,230 at these sizes (circom 2.2.3 with --O2): ~54k for the 256 cell rules
// (about 211 per cell, most of it three 64-bit decompositions), ~23k for 64 row hashes
// (Poseidon(6), 357 each), ~15k for the chunk's subtree, ~3.4k for its path, ~2k for the rule
// set. ptau 2^17. The build's RuleChunk(2, 4, 8, 20): 13,506.

include "lib/dataset.circom";

template RuleChunk(chunkLevels, C, E, depth) {
    var R = 1 << chunkLevels;
    signal input root;
    signal input rulesHash;
    signal input chunkIndex;
    signal input rowCount;

    signal input values[R][C];
    signal input isNull[R][C];
    signal input restHash[R];
    signal input siblings[depth - chunkLevels];
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

    component chunk = DatasetChunk(chunkLevels, depth, C);
    chunk.root <== root;
    chunk.rowCount <== rowCount;
    chunk.chunkIndex <== chunkIndex;
    chunk.values <== values;
    chunk.isNull <== isNull;
    chunk.restHash <== restHash;
    chunk.siblings <== siblings;

    component row[R];
    for (var j = 0; j < R; j++) {
        row[j] = RowObeysRules(C, E);
        row[j].values <== values[j];
        row[j].isNull <== isNull[j];
        row[j].isReal <== chunk.isReal[j];
        row[j].nonNull <== rules.nonNull;
        row[j].range <== rules.range;
        row[j].min <== min;
        row[j].max <== max;
        row[j].enumeration <== rules.enumeration;
        row[j].allowed <== allowed;
        row[j].forbidden <== rules.forbidden;
        row[j].forbiddenLow <== forbiddenLow;
        row[j].forbiddenHigh <== forbiddenHigh;
    }
}

component main {public [root, rulesHash, chunkIndex, rowCount]} = RuleChunk(2, 4, 8, 20);
