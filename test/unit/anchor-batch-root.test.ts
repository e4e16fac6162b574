// The audit's fast batch root is OpenZeppelin's StandardMerkleTree root, on any records; and
// the proof walk it uses is OpenZeppelin's MerkleProof.processProof.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchRootPool } from '../../server/chain/anchoring/batch-root-pool.ts';
import { anchorBatchRoot, processAnchorProof } from '../../server/chain/anchoring/batch-root.ts';
import { anchorLeafHash, buildAnchorTree } from '../../server/chain/anchoring/leaf.ts';
import { anchoredLeafHash, processProof } from '../../sdk/audit/verify-anchor.ts';

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => '0x' + Buffer.from(b).toString('hex'));
const record = fc.record({
  kind: fc.constantFrom('rights.certificate', 'catalog.listing-decision', 'trading.trade-filing', '数据.记录', ''),
  recordId: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 })),
  contentHash: fc.oneof(hex32, hex32.map((h) => h.toUpperCase().replace('0X', '0x'))),
});

describe('anchorBatchRoot', () => {
  it("equals buildAnchorTree's root on random batches of 1 to 300 records", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 300 }), (records) => {
        expect(anchorBatchRoot(records)).toBe(buildAnchorTree(records).root);
      }),
      { numRuns: 150 },
    );
  });

  it('equals it on a batch of 5,000, with duplicate records and every size near a power of two', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ kind: `k${i % 4}`, recordId: randomUUID(), contentHash: '0x' + randomBytes(32).toString('hex') }));
    expect(anchorBatchRoot(records)).toBe(buildAnchorTree(records).root);
    const twice = [...records.slice(0, 10), ...records.slice(0, 10)];
    expect(anchorBatchRoot(twice)).toBe(buildAnchorTree(twice).root);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65]) {
      expect(anchorBatchRoot(records.slice(0, n)), `${n} records`).toBe(buildAnchorTree(records.slice(0, n)).root);
    }
  });

  it('does not depend on the order of the records', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ kind: 'k', recordId: `r-${i}`, contentHash: '0x' + randomBytes(32).toString('hex') }));
    expect(anchorBatchRoot([...records].reverse())).toBe(anchorBatchRoot(records));
  });

  it('refuses an empty batch and a malformed content hash', () => {
    expect(() => anchorBatchRoot([])).toThrow(RangeError);
    expect(() => anchorBatchRoot([{ kind: 'k', recordId: 'r', contentHash: '0x1234' }])).toThrow(/content hash/);
  });
});

describe('processAnchorProof', () => {
  it("leads every leaf's OpenZeppelin proof to the root, as the sdk's does", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 60 }), (records) => {
        const tree = buildAnchorTree(records);
        records.forEach((r, i) => {
          const proof = tree.getProof(i);
          const leaf = anchorLeafHash(r.kind, r.recordId, r.contentHash);
          expect(anchoredLeafHash(r)).toBe(leaf);
          expect(processAnchorProof(leaf, proof)).toBe(tree.root);
          expect(processProof(leaf, proof)).toBe(tree.root);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('leads a forged proof elsewhere, and a malformed one nowhere', () => {
    const records = Array.from({ length: 8 }, (_, i) => ({ kind: 'k', recordId: `r-${i}`, contentHash: '0x' + randomBytes(32).toString('hex') }));
    const tree = buildAnchorTree(records);
    const leaf = anchorLeafHash('k', 'r-0', records[0]!.contentHash);
    const forged = tree.getProof(0).map((h, i) => (i === 0 ? '0x' + randomBytes(32).toString('hex') : h));
    expect(processAnchorProof(leaf, forged)).not.toBe(tree.root);
    expect(processAnchorProof(leaf, ['0xnot-a-hash'])).toBeNull();
  });
});

describe('BatchRootPool', () => {
  it('gives the same roots as anchorBatchRoot from its worker threads, and refuses a malformed batch', async () => {
    const pool = new BatchRootPool(2);
    try {
      const batches = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 50 + b * 37 }, (_, i) => ({ kind: `k${i % 3}`, recordId: `${b}-${i}-${randomUUID()}`, contentHash: '0x' + randomBytes(32).toString('hex') })),
      );
      expect(await Promise.all(batches.map((records) => pool.root(records)))).toEqual(batches.map((records) => anchorBatchRoot(records)));
      await expect(pool.root([{ kind: 'k', recordId: 'r', contentHash: 'nonsense' }])).rejects.toThrow(/content hash/);
      await expect(pool.root([])).rejects.toThrow(/at least one record/);
    } finally {
      await pool.close();
    }
    await expect(pool.root([])).rejects.toThrow(/closed/);
  });
});
