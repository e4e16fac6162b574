import { describe, expect, it } from 'vitest';
import { anchorLeafHash as sdkLeaf, canonicalJson as sdkCanonical, contentHashOf, processProof, verifyAnchorProof } from '../../sdk/anchoring/verify-anchor-proof.ts';
import { canonicalContentHash, canonicalJson } from '../../server/chain/anchoring/content-hash.ts';
import { anchorLeafHash, buildAnchorTree } from '../../server/chain/anchoring/leaf.ts';

const content = { number: 'DXR-2025-000001', holdings: [{ right: 'income', shareBps: 10_000, holder: 'p-1' }], issuedAt: '2025-01-02T00:00:00.000Z', note: null, zh: '确权' };

describe('verifyAnchorProof (sdk, for browsers and integrators)', () => {
  it('hashes content and leaves exactly as the server anchors them', () => {
    expect(sdkCanonical(content)).toBe(canonicalJson(content));
    expect(contentHashOf(content)).toBe(canonicalContentHash(content));
    const hash = canonicalContentHash(content);
    expect(sdkLeaf('rights_certificate', 'abc', hash)).toBe(anchorLeafHash('rights_certificate', 'abc', hash));
  });

  it('accepts every record of a batch with its proof and refuses a changed record or path', () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ kind: i % 2 ? 'listing_decision' : 'rights_certificate', recordId: `r-${i}`, contentHash: canonicalContentHash({ ...content, i }) }));
    const tree = buildAnchorTree(records);
    records.forEach((r, i) => {
      const proof = { ...r, leaf: anchorLeafHash(r.kind, r.recordId, r.contentHash), root: tree.root, proof: tree.getProof(i) };
      expect(processProof(proof.leaf, proof.proof)).toBe(tree.root);
      expect(verifyAnchorProof(proof, { ...content, i })).toEqual({ contentHashMatches: true, leafMatches: true, pathReachesRoot: true, computedRoot: tree.root });
      expect(verifyAnchorProof(proof, { ...content, i: i + 1 }).contentHashMatches).toBe(false);
      expect(verifyAnchorProof({ ...proof, recordId: 'other' }).leafMatches).toBe(false);
      expect(verifyAnchorProof({ ...proof, proof: [...proof.proof].reverse() }).pathReachesRoot).toBe(proof.proof.length < 2);
    });
  });

  it('reports a record not yet in a batch as unproven, not as failed', () => {
    const hash = canonicalContentHash(content);
    const check = verifyAnchorProof({ kind: 'k', recordId: 'r', contentHash: hash, leaf: anchorLeafHash('k', 'r', hash), root: null, proof: [] });
    expect(check.pathReachesRoot).toBeNull();
    expect(check.leafMatches).toBe(true);
  });
});
