// The content hash and the leaf of an anchored record: deterministic, and the leaf is
// exactly OpenZeppelin's standard-tree leaf, so the contract's MerkleProof accepts it.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { canonicalContentHash, canonicalJson } from '../../server/chain/anchoring/content-hash.ts';
import { ANCHOR_LEAF_ENCODING, anchorLeafHash, anchorLeafValues, buildAnchorTree } from '../../server/chain/anchoring/leaf.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: '中文' } })).toBe('{"a":{"c":"中文","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('writes bigint as a decimal string, Date as ISO, and leaves undefined members out', () => {
    const at = new Date('2025-03-01T08:00:00.000Z');
    expect(canonicalJson({ amount: 12345678901234567890n, at, gone: undefined, list: [undefined, 1] })).toBe(
      '{"amount":"12345678901234567890","at":"2025-03-01T08:00:00.000Z","list":[null,1]}',
    );
  });

  it('gives what a JSON column gives back the same hash', () => {
    const content = { holders: [{ id: 'p-1', shareBps: 6000 }, { id: 'p-2', shareBps: 4000 }], issuedAt: new Date(0), total: 10n };
    const stored = JSON.parse(JSON.stringify({ ...content, total: content.total.toString() }));
    expect(canonicalContentHash(stored)).toBe(canonicalContentHash(content));
    expect(canonicalContentHash({ ...content, total: 11n })).not.toBe(canonicalContentHash(content));
  });

  it('refuses values JSON would alter or drop', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/x/);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/Map/);
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('anchor leaf', () => {
  const contentHash = canonicalContentHash({ decision: 'approve' });

  it('hashes (keccak256(kind), keccak256(recordId), contentHash) as OpenZeppelin standard leaf', () => {
    const values = anchorLeafValues('catalog.listing-decision', 'd-1', contentHash);
    expect(values).toEqual([keccak256(toUtf8Bytes('catalog.listing-decision')), keccak256(toUtf8Bytes('d-1')), contentHash]);
    const expected = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'bytes32', 'bytes32'], values)));
    expect(anchorLeafHash('catalog.listing-decision', 'd-1', contentHash)).toBe(expected);
    const tree = StandardMerkleTree.of([values], [...ANCHOR_LEAF_ENCODING]);
    expect(tree.leafHash(values)).toBe(expected);
  });

  it('gives a batch a root that does not depend on the order its records are read in', () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ kind: 'k', recordId: `r-${i}`, contentHash: canonicalContentHash({ i }) }));
    const tree = buildAnchorTree(records);
    expect(buildAnchorTree([...records].reverse()).root).toBe(tree.root);
    for (const [i, r] of records.entries()) {
      expect(StandardMerkleTree.verify(tree.root, [...ANCHOR_LEAF_ENCODING], anchorLeafValues(r.kind, r.recordId, r.contentHash), tree.getProof(i))).toBe(true);
    }
    expect(() => buildAnchorTree([])).toThrow();
  });
});
