// The on-chain proof that any anchored record carries.
import type { AnchorProof } from '../chain/anchoring/get-anchor-proof.ts';
import { builder } from './builder.ts';

const AnchorStatusEnum = builder.enumType('AnchorStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Recorded, not yet in a batch' },
    SEALED: { value: 'sealed', description: 'In a batch whose root is not on chain yet' },
    ANCHORED: { value: 'anchored', description: "The batch's root is on chain" },
  } as const,
});

export const AnchorProofRef = builder.objectRef<AnchorProof>('AnchorProof').implement({
  description:
    "A record's inclusion in an anchored batch: check `proof` for `leaf` against `root` with OpenZeppelin's MerkleProof, and `root` against AnchorRegistry.rootOf(batchId).",
  fields: (t) => ({
    status: t.field({ type: AnchorStatusEnum, resolve: (p) => p.status }),
    kind: t.exposeString('kind'),
    recordId: t.exposeString('recordId'),
    contentHash: t.exposeString('contentHash'),
    leaf: t.exposeString('leaf'),
    batchId: t.exposeString('batchId', { nullable: true }),
    leafIndex: t.exposeInt('leafIndex', { nullable: true }),
    root: t.exposeString('root', { nullable: true }),
    proof: t.exposeStringList('proof'),
    txHash: t.exposeString('txHash', { nullable: true }),
    blockNumber: t.exposeInt('blockNumber', { nullable: true }),
    verifiesOnChain: t.exposeBoolean('verifiesOnChain'),
  }),
});
