// Decoding public signals into statements, and the coverage checks over sets of them, without
// proofs (the circuit test files check them on real, verified proofs).
import { RULE_CHUNK_ROWS } from '../../sdk/zk/parameters.ts';
import { describe, expect, it } from 'vitest';
import { SNARK_SCALAR_FIELD } from '../../sdk/poseidon.ts';
import {
  decodePublicSignals,
  encodePublicSignals,
  ruleChunkCoverageGaps,
  type Statement,
} from '../../server/privacy/zk/statements.ts';
import { MalformedProofError } from '../../server/privacy/zk/verify.ts';

describe('decodePublicSignals', () => {
  it('names the signals in the order of the registry, as bigints, and encodes them back', () => {
    const statement = decodePublicSignals('sampled_audit', ['11', '22', '33', '1000']);
    expect(statement).toEqual({ root: 11n, rulesHash: 22n, nonce: 33n, rowCount: 1000n });
    expect(encodePublicSignals('sampled_audit', statement)).toEqual(['11', '22', '33', '1000']);
  });

  it.each([
    { case: 'too few signals', signals: ['1', '2', '3'] },
    { case: 'a signal at the field modulus', signals: ['1', '2', '3', SNARK_SCALAR_FIELD.toString()] },
    { case: 'a number instead of a string', signals: ['1', '2', '3', 4] },
    { case: 'a non-canonical decimal', signals: ['1', '2', '3', '04'] },
  ])('throws MalformedProofError for $case', ({ signals }) => {
    expect(() => decodePublicSignals('rule_chunk', signals)).toThrow(MalformedProofError);
  });
});

describe('ruleChunkCoverageGaps', () => {
  // Three chunks: two full, the last with two rows.
  const rows = BigInt(2 * RULE_CHUNK_ROWS + 2);
  const expected = { root: 7n, rowCount: rows, rulesHash: 9n };
  const chunk = (chunkIndex: bigint, change: Partial<Statement<'rule_chunk'>> = {}): Statement<'rule_chunk'> => ({
    root: 7n,
    rowCount: rows,
    rulesHash: 9n,
    chunkIndex,
    ...change,
  });

  it('is empty for chunks 0 … 2 in any order, duplicates allowed', () => {
    expect(ruleChunkCoverageGaps([chunk(2n), chunk(0n), chunk(1n), chunk(1n)], expected)).toEqual([]);
  });

  it('names the chunk missing and the chunks about another commitment', () => {
    expect(ruleChunkCoverageGaps([chunk(0n), chunk(1n, { rowCount: rows - 1n }), chunk(2n)], expected)).toEqual([
      'chunk 1 is about another commitment',
      'chunk 1 is not proved',
    ]);
  });
});
