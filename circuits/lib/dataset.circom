pragma circom 2.1.0;

// A dataset as the compliance circuits see it, and the column rules they prove. The encoding is
// sdk/zk/dataset-schema.ts and sdk/zk/rules.ts; docs/zk-compliance.md describes both.
//
// Rows. The circuits read a row's first C cells (its proved cells) as C field elements plus one
// null flag per cell. A null cell holds 0 and its flag is 1; the flags travel packed as
// nullMask = sum(isNull[c] * 2^c). Every further cell is folded by the sdk into restHash (0 when
// the schema has at most C columns), so a row of any width hashes to
// rowHash = Poseidon(value[0], …, value[C-1], nullMask, restHash). restHash is a private input the
// circuits take as given: it binds the other cells to the leaf, and nothing is proved about them.
// Integers and fixed-point decimals are stored as x + 2^63 (so that 64-bit unsigned comparison
// orders signed values), category values as their code, text as a Poseidon hash of its UTF-8
// bytes.
//
// Dataset commitment. The row hashes are the leaves 0 … rowCount-1 of a depth-`depth` Poseidon
// Merkle tree (merkle.circom); every later leaf is 0. The public pair (root, rowCount) is the
// dataset version's commitment.
//
// Rules. Each column has one rule record:
//   flags           bit 0 non-null, bit 1 range, bit 2 enumeration, bit 3 forbidden interval
//   min, max        the range [min, max] (encoded values, each below 2^64)
//   forbiddenLow,   the interval [forbiddenLow, forbiddenHigh) no value may fall in (encoded,
//   forbiddenHigh   each below 2^64): the 18-digit resident-ID shape in a non-personal column
//   allowed[E]      the enumeration's codes; unused slots repeat a listed code
// columnHash = Poseidon(flags, min, max, forbiddenLow, forbiddenHigh, allowed[0..E-1]) and
// rulesHash = Poseidon(columnHash[0..C-1]). Rules other than non-null skip null cells (as SQL
// CHECK constraints do); a column without a flag set is not checked for that rule.

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "merkle.circom";

/// rowHash = Poseidon(values, nullMask, restHash); every null cell holds 0, so one row has one
/// encoding.
template RowHash(C) {
    signal input values[C];
    signal input isNull[C];
    signal input restHash;
    signal output hash;

    component hasher = Poseidon(C + 2);
    var nullMask = 0;
    for (var c = 0; c < C; c++) {
        isNull[c] * (isNull[c] - 1) === 0;
        isNull[c] * values[c] === 0;
        nullMask += isNull[c] * (1 << c);
        hasher.inputs[c] <== values[c];
    }
    hasher.inputs[C] <== nullMask;
    hasher.inputs[C + 1] <== restHash;
    hash <== hasher.out;
}

/// One column's rule record: its hash, and its flags as bits. The bounds are checked to fit 64
/// bits, which the comparisons in CellObeysRule rely on.
template ColumnRule(E) {
    signal input flags;
    signal input min;
    signal input max;
    signal input forbiddenLow;
    signal input forbiddenHigh;
    signal input allowed[E];
    signal output nonNull;
    signal output range;
    signal output enumeration;
    signal output forbidden;
    signal output hash;

    component flagBits = Num2Bits(4);
    flagBits.in <== flags;
    nonNull <== flagBits.out[0];
    range <== flagBits.out[1];
    enumeration <== flagBits.out[2];
    forbidden <== flagBits.out[3];

    component bounds[4];
    for (var b = 0; b < 4; b++) bounds[b] = Num2Bits(64);
    bounds[0].in <== min;
    bounds[1].in <== max;
    bounds[2].in <== forbiddenLow;
    bounds[3].in <== forbiddenHigh;

    component hasher = Poseidon(5 + E);
    hasher.inputs[0] <== flags;
    hasher.inputs[1] <== min;
    hasher.inputs[2] <== max;
    hasher.inputs[3] <== forbiddenLow;
    hasher.inputs[4] <== forbiddenHigh;
    for (var j = 0; j < E; j++) hasher.inputs[5 + j] <== allowed[j];
    hash <== hasher.out;
}

/// Checks one cell against its column's rule. `live` is 1 for a non-null cell of a real row and
/// 0 otherwise (null cells and padding rows are not range-, enumeration- or pattern-checked).
template CellObeysRule(E) {
    signal input value;
    signal input live;
    signal input range;
    signal input min;
    signal input max;
    signal input enumeration;
    signal input allowed[E];
    signal input forbidden;
    signal input forbiddenLow;
    signal input forbiddenHigh;

    // min <= value <= max: value - min and max - value are both below 2^64. With min and max
    // below 2^64 neither difference can wrap around the field, so this is the integer order,
    // and value itself is below 2^64 (a value of 2^64, or -1 = p - 1, fails).
    signal checkRange <== range * live;
    component aboveMin = Num2Bits(64);
    aboveMin.in <== (value - min) * checkRange;
    component belowMax = Num2Bits(64);
    belowMax.in <== (max - value) * checkRange;

    // value is one of allowed[]: the product of (value - allowed[j]) is zero.
    signal checkEnumeration <== enumeration * live;
    signal product[E];
    product[0] <== value - allowed[0];
    for (var j = 1; j < E; j++) product[j] <== product[j - 1] * (value - allowed[j]);
    product[E - 1] * checkEnumeration === 0;

    // value is not in [forbiddenLow, forbiddenHigh): either forbiddenLow - 1 - value or
    // value - forbiddenHigh fits 64 bits; the prover says which (above = 1: at or past the high
    // end). Inside the interval both differences are negative, i.e. near p, and neither fits.
    signal checkForbidden <== forbidden * live;
    signal above;
    above <-- (value >= forbiddenHigh) ? 1 : 0;
    above * (above - 1) === 0;
    signal distance <== (forbiddenLow - 1 - value) + above * (2 * value - forbiddenHigh - forbiddenLow + 1);
    component outside = Num2Bits(64);
    outside.in <== distance * checkForbidden;
}

/// The rule set: each column's record, and rulesHash = Poseidon(columnHash[0..C-1]).
template RuleSet(C, E) {
    signal input flags[C];
    signal input min[C];
    signal input max[C];
    signal input forbiddenLow[C];
    signal input forbiddenHigh[C];
    signal input allowed[C][E];
    signal output nonNull[C];
    signal output range[C];
    signal output enumeration[C];
    signal output forbidden[C];
    signal output hash;

    component column[C];
    component hasher = Poseidon(C);
    for (var c = 0; c < C; c++) {
        column[c] = ColumnRule(E);
        column[c].flags <== flags[c];
        column[c].min <== min[c];
        column[c].max <== max[c];
        column[c].forbiddenLow <== forbiddenLow[c];
        column[c].forbiddenHigh <== forbiddenHigh[c];
        column[c].allowed <== allowed[c];
        nonNull[c] <== column[c].nonNull;
        range[c] <== column[c].range;
        enumeration[c] <== column[c].enumeration;
        forbidden[c] <== column[c].forbidden;
        hasher.inputs[c] <== column[c].hash;
    }
    hash <== hasher.out;
}

/// A row obeys every column's rule; `isReal` is 0 for padding rows, which are not checked.
template RowObeysRules(C, E) {
    signal input values[C];
    signal input isNull[C];
    signal input isReal;
    signal input nonNull[C];
    signal input range[C];
    signal input min[C];
    signal input max[C];
    signal input enumeration[C];
    signal input allowed[C][E];
    signal input forbidden[C];
    signal input forbiddenLow[C];
    signal input forbiddenHigh[C];

    signal realNull[C];
    component cell[C];
    for (var c = 0; c < C; c++) {
        realNull[c] <== isReal * isNull[c];
        nonNull[c] * realNull[c] === 0;

        cell[c] = CellObeysRule(E);
        cell[c].value <== values[c];
        cell[c].live <== isReal - realNull[c];
        cell[c].range <== range[c];
        cell[c].min <== min[c];
        cell[c].max <== max[c];
        cell[c].enumeration <== enumeration[c];
        cell[c].allowed <== allowed[c];
        cell[c].forbidden <== forbidden[c];
        cell[c].forbiddenLow <== forbiddenLow[c];
        cell[c].forbiddenHigh <== forbiddenHigh[c];
    }
}

/// Chunk `chunkIndex` of a dataset committed as (root, rowCount): its R = 2^chunkLevels row
/// slots are the leaves chunkIndex*R … chunkIndex*R + R - 1 of the depth-`depth` tree.
/// Proves: 1 <= rowCount <= 2^depth; the chunk starts before rowCount; isReal[j] is 1 exactly
/// for the slots below rowCount; a real slot's leaf is its row's hash and every other slot's
/// leaf is 0; the chunk's subtree hangs under `root` at position chunkIndex (`siblings`); and,
/// in the chunk that holds row rowCount-1, every subtree to the right of the chunk is empty, so
/// the tree holds no leaf at or after rowCount.
template DatasetChunk(chunkLevels, depth, C) {
    var R = 1 << chunkLevels;
    var pathDepth = depth - chunkLevels;
    signal input root;
    signal input rowCount;
    signal input chunkIndex;
    signal input values[R][C];
    signal input isNull[R][C];
    signal input restHash[R];
    signal input siblings[pathDepth];
    signal output isReal[R];
    signal output isFirst;
    signal output isLast;

    component chunkBits = Num2Bits(pathDepth);
    chunkBits.in <== chunkIndex;
    component lastRowBits = Num2Bits(depth);
    lastRowBits.in <== rowCount - 1;

    var start = chunkIndex * R;
    component startsInside = LessThan(depth + 1);
    startsInside.in[0] <== start;
    startsInside.in[1] <== rowCount;
    startsInside.out === 1;
    // rowCount <= start + R: the chunk holds the dataset's last row.
    component holdsLastRow = LessThan(depth + 1);
    holdsLastRow.in[0] <== rowCount;
    holdsLastRow.in[1] <== start + R + 1;
    isLast <== holdsLastRow.out;
    component firstChunk = IsZero();
    firstChunk.in <== chunkIndex;
    isFirst <== firstChunk.out;

    // isReal is 1, …, 1, 0, …, 0 with as many ones as the chunk has rows.
    signal realRows <== R + isLast * (rowCount - start - R);
    var ones = 0;
    for (var j = 0; j < R; j++) {
        isReal[j] <-- (j < realRows) ? 1 : 0;
        isReal[j] * (isReal[j] - 1) === 0;
        if (j > 0) isReal[j] * (1 - isReal[j - 1]) === 0;
        ones += isReal[j];
    }
    ones === realRows;

    component row[R];
    signal leaves[R];
    for (var j = 0; j < R; j++) {
        row[j] = RowHash(C);
        row[j].values <== values[j];
        row[j].isNull <== isNull[j];
        row[j].restHash <== restHash[j];
        leaves[j] <== isReal[j] * row[j].hash;
    }
    component subtree = SubtreeRoot(chunkLevels);
    subtree.leaves <== leaves;

    component path = BinaryMerkleRoot(pathDepth);
    path.leaf <== subtree.root;
    path.pathBits <== chunkBits.out;
    path.siblings <== siblings;
    path.root === root;

    component tail = NothingToTheRight(pathDepth, chunkLevels);
    tail.enabled <== isLast;
    tail.pathBits <== chunkBits.out;
    tail.siblings <== siblings;
}
