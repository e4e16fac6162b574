import { describe, expect, it } from 'vitest';
import { poseidonHash, poseidonMerkleRoot, SNARK_SCALAR_FIELD } from '../../sdk/poseidon.ts';

// Reference outputs of circomlib's Poseidon (circomlibjs' test vectors).
const POSEIDON_1 = 18586133768512220936620570745912940619677854269274689475585506675881198879027n;
const POSEIDON_1_2 = 7853200120776062878684798364095072458815029376092732009249414926327459813530n;
const POSEIDON_1_2_3_4 = 18821383157269793795438455681495246036402687001665670618754263018637548127333n;

describe('poseidonHash', () => {
  it('matches the circomlib vectors', () => {
    expect(poseidonHash([1n])).toBe(POSEIDON_1);
    expect(poseidonHash([1n, 2n])).toBe(POSEIDON_1_2);
    expect(poseidonHash([1n, 2n, 3n, 4n])).toBe(POSEIDON_1_2_3_4);
  });

  it('hashes 16 inputs and refuses 0 or 17', () => {
    const inputs = Array.from({ length: 17 }, (_, i) => BigInt(i));
    expect(poseidonHash(inputs.slice(0, 16))).toBeLessThan(SNARK_SCALAR_FIELD);
    expect(() => poseidonHash([])).toThrow(RangeError);
    expect(() => poseidonHash(inputs)).toThrow(RangeError);
  });

  it('refuses inputs outside the field rather than reducing them', () => {
    expect(() => poseidonHash([-1n])).toThrow(RangeError);
    expect(() => poseidonHash([SNARK_SCALAR_FIELD])).toThrow(RangeError);
    expect(() => poseidonHash([1 as unknown as bigint])).toThrow(TypeError);
  });
});

describe('poseidonMerkleRoot', () => {
  const h = (left: bigint, right: bigint) => poseidonHash([left, right]);

  it('is the leaf itself for one leaf', () => {
    expect(poseidonMerkleRoot([7n])).toBe(7n);
  });

  it('hashes a pair once', () => {
    expect(poseidonMerkleRoot([1n, 2n])).toBe(POSEIDON_1_2);
  });

  it('pads three leaves with a zero to four', () => {
    expect(poseidonMerkleRoot([1n, 2n, 3n])).toBe(h(h(1n, 2n), h(3n, 0n)));
    expect(poseidonMerkleRoot([1n, 2n, 3n])).toBe(poseidonMerkleRoot([1n, 2n, 3n, 0n]));
  });

  it('builds a five-leaf tree over eight slots', () => {
    const expected = h(h(h(1n, 2n), h(3n, 4n)), h(h(5n, 0n), h(0n, 0n)));
    expect(poseidonMerkleRoot([1n, 2n, 3n, 4n, 5n])).toBe(expected);
  });

  it('depends on the order of the leaves', () => {
    expect(poseidonMerkleRoot([2n, 1n])).not.toBe(poseidonMerkleRoot([1n, 2n]));
  });

  it('refuses no leaves and leaves outside the field', () => {
    expect(() => poseidonMerkleRoot([])).toThrow(RangeError);
    expect(() => poseidonMerkleRoot([1n, SNARK_SCALAR_FIELD])).toThrow(RangeError);
  });
});
