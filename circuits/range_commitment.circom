pragma circom 2.1.0;

// Range commitment: the building block of the exchange's compliance proofs (合规证明).
//
// A provider commits to a 64-bit value, commitment = Poseidon(value, salt), and proves that the
// committed value lies in a declared interval [min, max] without revealing it: a row count at
// least k, a price under a cap, a date inside a licence term.
//
// Public signals, in this order: commitment, min, max.
// Private signals: value, salt.
//
// It proves:
//   1. value, min and max each fit in 64 bits (Num2Bits). Without these, a value near the field
//      modulus wraps around in the comparators' arithmetic and passes "min <= value <= max".
//   2. min <= value (GreaterEqThan(64)) and value <= max (LessEqThan(64)).
//   3. commitment == Poseidon(value, salt), circomlib's Poseidon(2), the same function as
//      poseidonHash([value, salt]) in sdk/poseidon.ts.
//
// The salt is any field element, chosen at random by the provider, so that a small value cannot
// be recovered from its commitment by trying every candidate.
//
// Constraints: 560 (circom 2.2.3 with --O2; 850 without linear simplification).

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";

template RangeCommitment(n) {
    signal input value;
    signal input salt;
    signal input commitment;
    signal input min;
    signal input max;

    component valueBits = Num2Bits(n);
    valueBits.in <== value;
    component minBits = Num2Bits(n);
    minBits.in <== min;
    component maxBits = Num2Bits(n);
    maxBits.in <== max;

    component atLeastMin = GreaterEqThan(n);
    atLeastMin.in[0] <== value;
    atLeastMin.in[1] <== min;
    atLeastMin.out === 1;

    component atMostMax = LessEqThan(n);
    atMostMax.in[0] <== value;
    atMostMax.in[1] <== max;
    atMostMax.out === 1;

    component hash = Poseidon(2);
    hash.inputs[0] <== value;
    hash.inputs[1] <== salt;
    commitment === hash.out;
}

component main {public [commitment, min, max]} = RangeCommitment(64);
