// 合规证明: submit zero-knowledge compliance proofs made with sdk/zk, ask for sampled-audit nonces,
// read a version's proofs and coverage, and export one proof for the plain snarkjs CLI.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import type { DatasetColumn } from './types.ts';

type Typed<T, N extends string> = T & { __typename: N };

/** proof.json as snarkjs writes it (the sdk/zk provers' `proof`). */
export interface Groth16ProofJson {
  pi_a: readonly string[];
  pi_b: readonly (readonly string[])[];
  pi_c: readonly string[];
  protocol?: string;
  curve?: string;
}

/** The circuits as sdk/zk names them. */
export type ComplianceCircuitName = 'rule_chunk' | 'sampled_audit' | 'min_group_size' | 'positive_list';
export type ComplianceCircuit = 'RULE_CHUNK' | 'SAMPLED_AUDIT' | 'MIN_GROUP_SIZE' | 'POSITIVE_LIST';
export type ComplianceRecordStatus = 'PENDING' | 'RECORDED' | 'FAILED';

export interface ComplianceProofSummary {
  id: string;
  versionId: string;
  circuit: ComplianceCircuit;
  /** Public signals by name, decimal strings. */
  statement: Record<string, string>;
  vkeySha256: string;
  verifiedAt: string;
  onChain: { status: ComplianceRecordStatus; recorded: boolean; txHash: string | null; blockNumber: number | null; recordHash: string };
}

export interface ComplianceCoverage {
  satisfied: boolean;
  detail: string;
  unprovable: string | null;
  ruleChunks: { expected: number; proved: number; complete: boolean; missing: { from: number; to: number }[] };
  sampledAudit: { requiredSamples: number; provedSamples: number; openNonces: number; complete: boolean };
  groupSize: { column: number; k: number } | null;
}

export interface SampledAuditChallenge {
  id: string;
  samples: number;
  samplesPerProof: number;
  byReviewer: boolean;
  nonces: { nonce: string; position: number; used: boolean }[];
  createdAt: string;
}

/** What `snarkjs groth16 verify verification_key.json public.json proof.json` needs. */
export interface ComplianceProofExport {
  circuit: ComplianceCircuit;
  proof: Groth16ProofJson;
  publicSignals: string[];
  verificationKey: unknown;
  vkeySha256: string;
}

const PROOF_SUMMARY = `{ id versionId circuit statement vkeySha256 verifiedAt onChain { status recorded txHash blockNumber recordHash } }`;
const CHALLENGE = `{ id samples samplesPerProof byReviewer nonces { nonce position used } createdAt }`;
const COVERAGE = `{ satisfied detail unprovable ruleChunks { expected proved complete missing { from to } }
  sampledAudit { requiredSamples provedSamples openNonces complete } groupSize { column k } }`;

/**
 * The dataset's provider submits a proof made with sdk/zk (proveRuleChunk, proveSampledAudit,
 * proveMinGroupSize, provePositiveList); a positive_list proof names its destination.
 */
export async function submitComplianceProof(
  client: ExchangeClient,
  versionId: string,
  circuit: ComplianceCircuitName,
  made: { proof: Groth16ProofJson; publicSignals: string[] },
  options: { destination?: string } = {},
): Promise<ComplianceProofSummary> {
  const data = await client.request<{ submitComplianceProof: Typed<ComplianceProofSummary, 'ComplianceProof'> | AppErrorResult }>(
    `mutation($versionId: ID!, $circuit: ComplianceCircuit!, $publicSignals: JSON!, $proof: JSON!, $destination: String) {
      submitComplianceProof(versionId: $versionId, circuit: $circuit, publicSignals: $publicSignals, proof: $proof, destination: $destination) { __typename
        ... on ComplianceProof ${PROOF_SUMMARY} ${APP_ERROR_FIELDS} } }`,
    { versionId, circuit: circuit.toUpperCase(), publicSignals: made.publicSignals, proof: made.proof, destination: options.destination ?? null },
  );
  return unwrap(data.submitComplianceProof);
}

/**
 * positive_list.circom's input, as sdk/zk's provePositiveList takes it (PositiveListInput; kept
 * apart here so the browser's GraphQL client does not pull in the prover).
 */
export interface PositiveListWitness {
  listRoot: bigint;
  destination: bigint;
  category: bigint;
  leafIndex: bigint;
  siblings: bigint[];
}

/** The witness for (destination, classification) on the current list. */
export async function getPositiveListWitness(client: ExchangeClient, destination: string, classification: string): Promise<PositiveListWitness> {
  type Raw = { listRoot: string; destination: string; category: string; leafIndex: number; siblings: string[] };
  const data = await client.request<{ positiveListWitness: Typed<Raw, 'PositiveListWitness'> | AppErrorResult }>(
    `query($destination: String!, $classification: String!) { positiveListWitness(destination: $destination, classification: $classification) { __typename
      ... on PositiveListWitness { listRoot destination category leafIndex siblings } ${APP_ERROR_FIELDS} } }`,
    { destination, classification },
  );
  const w = unwrap(data.positiveListWitness);
  return { listRoot: BigInt(w.listRoot), destination: BigInt(w.destination), category: BigInt(w.category), leafIndex: BigInt(w.leafIndex), siblings: w.siblings.map(BigInt) };
}

/** Nonces for a sampled audit of `samples` samples (the reviewer's choice; a provider gets at least the s required). */
export async function requestSampledAudit(client: ExchangeClient, versionId: string, samples?: number): Promise<SampledAuditChallenge> {
  const data = await client.request<{ requestSampledAudit: Typed<SampledAuditChallenge, 'SampledAuditChallenge'> | AppErrorResult }>(
    `mutation($versionId: ID!, $samples: Int) { requestSampledAudit(versionId: $versionId, samples: $samples) { __typename
      ... on SampledAuditChallenge ${CHALLENGE} ${APP_ERROR_FIELDS} } }`,
    { versionId, samples: samples ?? null },
  );
  return unwrap(data.requestSampledAudit);
}

export interface VersionCompliance {
  versionId: string;
  coverage: ComplianceCoverage;
  proofs: ComplianceProofSummary[];
  sampledAudits: SampledAuditChallenge[];
}

/** The current version's compliance proofs, coverage and sampled-audit challenges. */
export async function getCompliance(client: ExchangeClient, datasetId: string): Promise<VersionCompliance> {
  type Raw = { currentVersion: { id: string; complianceCoverage: ComplianceCoverage; complianceProofs: ComplianceProofSummary[]; sampledAudits: SampledAuditChallenge[] } };
  const data = await client.request<{ dataset: Typed<Raw, 'Dataset'> | AppErrorResult }>(
    `query($id: ID!) { dataset(id: $id) { __typename ... on Dataset { currentVersion { id
      complianceCoverage ${COVERAGE} complianceProofs ${PROOF_SUMMARY}
      sampledAudits ${CHALLENGE} } }
      ${APP_ERROR_FIELDS} } }`,
    { id: datasetId },
  );
  const { currentVersion: v } = unwrap(data.dataset);
  return { versionId: v.id, coverage: v.complianceCoverage, proofs: v.complianceProofs, sampledAudits: v.sampledAudits };
}

/** One proof with its verification key: write the three files and run `snarkjs groth16 verify`. */
export async function exportComplianceProof(client: ExchangeClient, proofId: string): Promise<ComplianceProofExport> {
  const data = await client.request<{ node: Typed<ComplianceProofExport, 'ComplianceProof'> | AppErrorResult | null }>(
    `query($id: ID!) { node(id: $id) { __typename ... on ComplianceProof { circuit proof publicSignals verificationKey vkeySha256 } } }`,
    { id: proofId },
  );
  if (!data.node) throw new Error(`no compliance proof ${proofId} visible to this key`);
  return unwrap(data.node);
}

/** What a prover needs about one version: its schema, declared rules, commitment and coverage. */
export interface VersionToProve extends VersionCompliance {
  version: number;
  commitment: string;
  rowCount: number;
  columns: DatasetColumn[];
  /** The declared rules (sdk/zk/rules.ts DeclaredRules), or null when the version declares none. */
  complianceRules: Record<string, unknown> | null;
}

/** A version by its id (the provider's own drafts included), with its compliance state. */
export async function getVersionToProve(client: ExchangeClient, versionId: string): Promise<VersionToProve> {
  type Raw = Omit<VersionToProve, 'versionId' | 'proofs' | 'coverage'> & { id: string; complianceCoverage: ComplianceCoverage; complianceProofs: ComplianceProofSummary[] };
  const data = await client.request<{ datasetVersion: Typed<Raw, 'DatasetVersion'> | AppErrorResult }>(
    `query($id: ID!) { datasetVersion(id: $id) { __typename ... on DatasetVersion { id version commitment rowCount complianceRules
      columns { name type unit nullable sensitivity scale categories description }
      complianceCoverage ${COVERAGE} complianceProofs ${PROOF_SUMMARY} sampledAudits ${CHALLENGE} }
      ${APP_ERROR_FIELDS} } }`,
    { id: versionId },
  );
  const { id, complianceCoverage, complianceProofs, ...v } = unwrap(data.datasetVersion);
  return { ...v, versionId: id, coverage: complianceCoverage, proofs: complianceProofs };
}
