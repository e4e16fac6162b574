// 确权登记: rights certificates and their chain of title.
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import { certificateHistory, getCertificatesByIds, type HoldingRow } from '../domain/rights/find-rights.ts';
import { type Right } from '../domain/rights/holdings.ts';
import { CERTIFICATE_KIND, type CertificateRow } from '../domain/rights/issue-certificate.ts';
import { registerRights } from '../domain/rights/register-rights.ts';
import { transferRights } from '../domain/rights/transfer-rights.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder } from './builder.ts';
import { DatasetRef, DatasetVersionRef } from './catalog.ts';
import { ParticipantRef } from './participants.ts';

const RightEnum = builder.enumType('DataRight', {
  description: 'The three registered rights of a dataset',
  values: {
    CONTROL: { value: 'control', description: '持有/控制权: the right to hold and control the data' },
    USE: { value: 'use', description: '使用/加工权: the right to use and process it' },
    INCOME: { value: 'income', description: '收益/经营权: the right to its income; shares drive the revenue split in clearing' },
  } as const,
});

const CertificateKindEnum = builder.enumType('CertificateKind', {
  values: { INITIAL: { value: 'initial' }, TRANSFER: { value: 'transfer' }, RE_REGISTRATION: { value: 're-registration' } } as const,
});

const HoldingRef = builder.objectRef<HoldingRow>('RightsHolding').implement({
  fields: (t) => ({
    right: t.field({ type: RightEnum, resolve: (h) => h.right as Right }),
    holder: t.field({ type: ParticipantRef, nullable: true, resolve: (h, _a, ctx) => ctx.loaders.participant.load(h.holderId) }),
    shareBps: t.exposeInt('shareBps', { description: 'Share in basis points (10,000 = 100%)' }),
  }),
});

export const CertificateRef = builder.objectRef<CertificateRow>('RightsCertificate');

builder.node(CertificateRef, {
  description: '确权证书: who holds the rights of a dataset version; anchored on chain; chained to the one it replaced',
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => getCertificatesByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    number: t.exposeString('number'),
    kind: t.field({ type: CertificateKindEnum, resolve: (c) => c.kind }),
    current: t.boolean({ resolve: (c) => c.status === 'current' }),
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (c, _a, ctx) => ctx.loaders.dataset.load(c.datasetId) }),
    version: t.field({ type: DatasetVersionRef, resolve: async (c, _a, ctx) => (await ctx.loaders.version.load(c.versionId))! }),
    previous: t.field({
      type: CertificateRef,
      nullable: true,
      description: 'The certificate this one replaced',
      resolve: async (c, _a, ctx) => (c.previousId ? (await getCertificatesByIds({ db: ctx.services.db, actor: ctx.viewer, ids: [c.previousId] }))[0] : null),
    }),
    holdings: t.field({ type: [HoldingRef], resolve: (c, _a, ctx) => ctx.loaders.holdings.load(c.id) }),
    content: t.field({ type: 'JSON', description: 'The content whose keccak256 (canonical JSON) is contentHash', resolve: (c) => c.content }),
    contentHash: t.exposeString('contentHash'),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      resolve: (c, _a, ctx) => getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: CERTIFICATE_KIND, recordId: c.id }),
    }),
  }),
});

builder.objectFields(DatasetRef, (t) => ({
  rights: t.field({
    type: CertificateRef,
    nullable: true,
    description: 'The current rights certificate',
    resolve: (d, _a, ctx) => ctx.loaders.currentCertificate.load(d.id),
  }),
  rightsHistory: t.field({
    type: [CertificateRef],
    description: 'Every certificate, oldest first: the chain of title',
    resolve: (d, _a, ctx) => certificateHistory({ db: ctx.services.db, actor: ctx.viewer, datasetId: d.id }),
  }),
}));

const HoldingInput = builder.inputType('RightsHoldingInput', {
  fields: (t) => ({
    right: t.field({ type: RightEnum, required: true }),
    holderId: t.globalID({ required: true, for: ParticipantRef }),
    shareBps: t.int({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  registerRights: t.field({
    type: CertificateRef,
    description: "Register the holders of your dataset's control, use and income rights (each right's shares sum to 10,000 bps)",
    authScopes: { provider: true },
    errors: {},
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      holdings: t.arg({ type: [HoldingInput], required: true }),
    },
    resolve: (_r, args, ctx) =>
      registerRights({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { datasetId: args.datasetId.id, holdings: args.holdings.map((h) => ({ right: h.right, holderId: h.holderId.id, shareBps: h.shareBps })) },
      }),
  }),
  transferRights: t.field({
    type: CertificateRef,
    description: 'Transfer part or all of your share of one right to another verified participant; issues a new certificate',
    authScopes: { verified: true },
    errors: {},
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      right: t.arg({ type: RightEnum, required: true }),
      toHolderId: t.arg.globalID({ required: true, for: ParticipantRef }),
      shareBps: t.arg.int({ required: true }),
    },
    resolve: (_r, args, ctx) =>
      transferRights({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { datasetId: args.datasetId.id, right: args.right, toHolderId: args.toHolderId.id, shareBps: args.shareBps },
      }),
  }),
}));

