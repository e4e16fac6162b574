// 合规证明: zero-knowledge compliance proofs about dataset versions, their coverage, their
// on-chain record, the exchange-issued nonces of sampled audits, and everything a third party
// needs to verify a proof with the plain snarkjs CLI.
import { complianceCoverage, type ChunkRange, type ComplianceCoverage } from '../domain/compliance/compliance-coverage.ts';
import {
  getComplianceProofsByIds,
  listAuditChallenges,
  listComplianceProofs,
  onChainRecord,
  verificationKeyOf,
  type AuditChallengeRow,
  type AuditNonceRow,
  findVersion,
  type ComplianceProofRow,
  type OnChainRecord,
} from '../domain/compliance/find-compliance-proofs.ts';
import { requestSampledAudit } from '../domain/compliance/request-sampled-audit.ts';
import { submitComplianceProof } from '../domain/compliance/submit-compliance-proof.ts';
import type { VersionCircuit } from '../domain/compliance/compliance-target.ts';
import { AUDIT_SAMPLES } from '../../sdk/zk/parameters.ts';
import { builder } from './builder.ts';
import { DatasetRef, DatasetVersionRef } from './catalog.ts';
import { ParticipantRef } from './participants.ts';

const ComplianceCircuitEnum = builder.enumType('ComplianceCircuit', {
  description: 'The circuits a provider proves a dataset version with (docs/zk-compliance.md)',
  values: {
    RULE_CHUNK: { value: 'rule_chunk', description: 'One chunk of rows obeys the declared column rules; all chunks together cover the dataset' },
    SAMPLED_AUDIT: { value: 'sampled_audit', description: 'Rows sampled from an exchange-issued nonce obey the declared rules' },
    MIN_GROUP_SIZE: { value: 'min_group_size', description: 'One link of the chain proving every group of a column has 0 or at least k rows' },
    POSITIVE_LIST: {
      value: 'positive_list',
      description: "The version's classification is on the positive list for a destination (正面清单), under the list's current root",
    },
  } as const satisfies Record<string, { value: VersionCircuit; description: string }>,
});

const OnChainStatusEnum = builder.enumType('ComplianceRecordStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Verified by the exchange, waiting in the outbox' },
    RECORDED: { value: 'recorded', description: 'Verified again and recorded by the ComplianceRegistry contract' },
    FAILED: { value: 'failed', description: 'The outbox gave up recording it' },
  } as const,
});

const OnChainRecordRef = builder.objectRef<OnChainRecord>('ComplianceRecord').implement({
  description: "The proof's record in the ComplianceRegistry contract",
  fields: (t) => ({
    status: t.field({ type: OnChainStatusEnum, resolve: (r) => r.status }),
    recorded: t.boolean({ resolve: (r) => r.status === 'recorded' }),
    txHash: t.exposeString('txHash', { nullable: true }),
    blockNumber: t.exposeInt('blockNumber', { nullable: true }),
    recordHash: t.exposeString('recordHash', {
      description: 'The registry key: keccak256(abi.encode(keccak256(circuit), datasetId as bytes32, version, publicSignals)); recordOf(recordHash) reads it',
    }),
  }),
});

export const ComplianceProofRef = builder.objectRef<ComplianceProofRow>('ComplianceProof');

builder.node(ComplianceProofRef, {
  description: '合规证明: a verified zero-knowledge proof about a dataset version, recorded on chain',
  id: { resolve: (p) => p.id },
  loadMany: (ids, ctx) => getComplianceProofsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (p, _a, ctx) => ctx.loaders.dataset.load(p.datasetId) }),
    versionId: t.exposeID('versionId'),
    circuit: t.field({ type: ComplianceCircuitEnum, resolve: (p) => p.circuit as VersionCircuit }),
    statement: t.field({ type: 'JSON', description: 'The public signals by name (decimal strings): root, rulesHash, chunkIndex, nonce, …', resolve: (p) => p.statement }),
    publicSignals: t.field({ type: 'JSON', description: 'public.json for `snarkjs groth16 verify`', resolve: (p) => p.publicSignals }),
    proof: t.field({ type: 'JSON', description: 'proof.json for `snarkjs groth16 verify`', resolve: (p) => p.proof }),
    verificationKey: t.field({
      type: 'JSON',
      description: "The circuit's verification_key.json as the exchange verifies with now (compare its sha256 with vkeySha256)",
      resolve: async (p) => (await verificationKeyOf(p.circuit)).key,
    }),
    vkeySha256: t.exposeString('vkeySha256', { description: 'sha256 of the verification_key.json the proof was verified against; also the key hash on chain' }),
    submittedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (p, _a, ctx) => ctx.loaders.participant.load(p.submittedBy) }),
    verifiedAt: t.expose('createdAt', { type: 'DateTime' }),
    onChain: t.field({ type: OnChainRecordRef, resolve: (p, _a, ctx) => onChainRecord(ctx.services.db, p) }),
  }),
});

const ChunkRangeRef = builder.objectRef<ChunkRange>('ChunkRange').implement({
  fields: (t) => ({ from: t.exposeInt('from'), to: t.exposeInt('to') }),
});

const RuleChunkCoverageRef = builder.objectRef<ComplianceCoverage['ruleChunks']>('RuleChunkCoverage').implement({
  fields: (t) => ({
    expected: t.exposeInt('expected', { description: 'Chunks that cover the version: ⌈rowCount / rows per chunk⌉' }),
    proved: t.exposeInt('proved'),
    missing: t.field({ type: [ChunkRangeRef], resolve: (c) => c.missing }),
    complete: t.exposeBoolean('complete'),
  }),
});

const SampledAuditCoverageRef = builder.objectRef<ComplianceCoverage['sampledAudit']>('SampledAuditCoverage').implement({
  fields: (t) => ({
    requiredSamples: t.exposeInt('requiredSamples', { description: "s: the reviewer's latest choice, or the exchange's default" }),
    provedSamples: t.exposeInt('provedSamples', { description: 'Samples proved in the furthest challenge' }),
    openNonces: t.exposeInt('openNonces', { description: 'Issued nonces not yet used by a verified proof' }),
    complete: t.exposeBoolean('complete'),
  }),
});

const GroupSizeCoverageRef = builder.objectRef<NonNullable<ComplianceCoverage['groupSize']>>('GroupSizeCoverage').implement({
  fields: (t) => ({ column: t.exposeInt('column'), k: t.exposeInt('k') }),
});

const ComplianceCoverageRef = builder.objectRef<ComplianceCoverage>('ComplianceCoverage').implement({
  description: "How far a version's verified proofs go; L3 listing needs satisfied",
  fields: (t) => ({
    satisfied: t.exposeBoolean('satisfied', { description: 'Rule proofs cover every chunk, or a sampled audit reached the required samples' }),
    detail: t.exposeString('detail'),
    unprovable: t.exposeString('unprovable', { nullable: true, description: 'Why the version cannot be proved (e.g. no declared rules)' }),
    ruleChunks: t.field({ type: RuleChunkCoverageRef, resolve: (c) => c.ruleChunks }),
    sampledAudit: t.field({ type: SampledAuditCoverageRef, resolve: (c) => c.sampledAudit }),
    groupSize: t.field({
      type: GroupSizeCoverageRef,
      nullable: true,
      description: "A complete min_group_size chain with k at least the version's minimum group size",
      resolve: (c) => c.groupSize,
    }),
  }),
});

const AuditNonceRef = builder.objectRef<AuditNonceRow>('AuditNonce').implement({
  fields: (t) => ({
    nonce: t.exposeString('nonce', { description: 'A field element (decimal): prove sampled_audit under it' }),
    position: t.exposeInt('position'),
    used: t.boolean({ resolve: (n) => n.proofId !== null }),
  }),
});

const SampledAuditChallengeRef = builder.objectRef<AuditChallengeRow & { nonces: AuditNonceRow[] }>('SampledAuditChallenge').implement({
  description: '抽样审计: s samples, one exchange-issued nonce per proof',
  fields: (t) => ({
    id: t.exposeID('id'),
    samples: t.exposeInt('samples'),
    samplesPerProof: t.int({ resolve: () => AUDIT_SAMPLES }),
    byReviewer: t.exposeBoolean('byReviewer', { description: 'Asked for by the reviewer, whose s the listing check requires' }),
    requestedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (c, _a, ctx) => ctx.loaders.participant.load(c.requestedBy) }),
    nonces: t.field({ type: [AuditNonceRef], resolve: (c) => c.nonces }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(DatasetVersionRef, (t) => ({
  complianceProofs: t.field({
    type: [ComplianceProofRef],
    description: "The version's verified compliance proofs, oldest first",
    resolve: (v, _a, ctx) => listComplianceProofs({ db: ctx.services.db, versionId: v.id }),
  }),
  complianceCoverage: t.field({ type: ComplianceCoverageRef, resolve: (v, _a, ctx) => complianceCoverage(ctx.services.db, v) }),
  sampledAudits: t.field({
    type: [SampledAuditChallengeRef],
    description: 'Sampled-audit challenges with their exchange-issued nonces, newest first',
    resolve: (v, _a, ctx) => listAuditChallenges({ db: ctx.services.db, versionId: v.id }),
  }),
}));

builder.queryFields((t) => ({
  datasetVersion: t.field({
    type: DatasetVersionRef,
    description: 'One version of a dataset you may see, by its id: what a prover (sdk/cli/prove-compliance.ts) needs to commit and prove it',
    errors: {},
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => (await findVersion(ctx.services.db, ctx.viewer, String(args.id))).version,
  }),
}));

builder.mutationFields((t) => ({
  submitComplianceProof: t.field({
    type: ComplianceProofRef,
    description:
      "The dataset's provider submits a proof made with the sdk over its own rows; verified, matched with the version and its declared rules, then recorded on chain",
    authScopes: { provider: true },
    errors: {},
    args: {
      versionId: t.arg.id({ required: true }),
      circuit: t.arg({ type: ComplianceCircuitEnum, required: true }),
      publicSignals: t.arg({ type: 'JSON', required: true, description: 'public.json: the decimal strings snarkjs returned' }),
      proof: t.arg({ type: 'JSON', required: true, description: 'proof.json as snarkjs returned it' }),
      destination: t.arg.string({ description: 'POSITIVE_LIST only: the destination (ISO 3166-1 alpha-2) the proof is for' }),
    },
    resolve: (_r, args, ctx) =>
      submitComplianceProof({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: {
          versionId: String(args.versionId),
          circuit: args.circuit,
          publicSignals: args.publicSignals,
          proof: args.proof,
          destination: args.destination ?? undefined,
        },
      }),
  }),
  requestSampledAudit: t.field({
    type: SampledAuditChallengeRef,
    description:
      'Issue nonces for a sampled audit of s samples (one per proof). The reviewer (operator) picks s for the version; the provider may ask for at least the s required',
    authScopes: { $any: { operator: true, provider: true } },
    errors: {},
    args: { versionId: t.arg.id({ required: true }), samples: t.arg.int() },
    resolve: (_r, args, ctx) =>
      requestSampledAudit({ db: ctx.services.db, actor: ctx.viewer, input: { versionId: String(args.versionId), samples: args.samples ?? undefined } }),
  }),
}));
