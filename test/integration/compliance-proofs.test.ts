// 合规证明 end to end: the provider proves its L3 dataset with the sdk (never the server from raw
// rows), the exchange matches each proof with the version, verifies it, records it on chain, and
// the listing review lets the dataset through only with full coverage or a complete sampled audit.
// Needs `npm run build` (circuits and contracts). Proofs over the same rows are made once and
// submitted on both databases.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { count, eq, isNotNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetIdToBytes32 } from '../../server/chain/compliance-registry.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { auditLog, chainOutbox, complianceAuditNonces, complianceProofs } from '../../server/db/schema.ts';
import { closeZk } from '../../server/privacy/zk/verify.ts';
import { createDataset, reviewDataset, reviseDataset, submitDatasetForReview, uploadDatasetRows } from '../../sdk/graphql/catalog.ts';
import { createClient, type ExchangeClient } from '../../sdk/graphql/client.ts';
import {
  exportComplianceProof,
  getCompliance,
  requestSampledAudit,
  submitComplianceProof,
} from '../../sdk/graphql/compliance.ts';
import type { DatasetInput } from '../../sdk/graphql/types.ts';
import type { Groth16ProofWithSignals } from '../../sdk/zk/groth16.ts';
import { proveRuleChunk, ruleChunkCount, ruleChunkInput } from '../../sdk/zk/rule-chunk.ts';
import { encodeRules } from '../../sdk/zk/rules.ts';
import { commitmentSchema } from '../../sdk/catalog-commitment.ts';
import { proveSampledAudit, sampledAuditInput } from '../../sdk/zk/sampled-audit.ts';
import { l3TradeDataset, proverArtifacts, TRADE_COLUMNS, tradeRules } from '../factories/compliance-datasets.ts';
import { domainColumns } from '../factories/datasets.ts';
import { rawId, verifiedParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const run = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin');

/** A: 10 rows, proved chunk by chunk (3 chunks of 4). B: 6 rows, proved by a sampled audit. */
const A = l3TradeDataset(10);
const B = l3TradeDataset(6, { titleEn: 'Trade extract, audited by sampling', titleZh: '交易明细（抽样审计）' });

let chunkProofs: Groth16ProofWithSignals[];
/** A's chunk 0 under rules that also allow 东北: a true statement about other rules. */
let otherRulesProof: Groth16ProofWithSignals;
/** B audited under a nonce the provider picked itself. */
let selfNonceProof: Groth16ProofWithSignals;

beforeAll(async () => {
  const ruleChunk = await proverArtifacts('rule_chunk');
  chunkProofs = [];
  for (let chunkIndex = 0; chunkIndex < ruleChunkCount(A.committed.rowCount); chunkIndex++) {
    chunkProofs.push(await proveRuleChunk(ruleChunkInput({ dataset: A.committed, rules: A.rules, chunkIndex }), ruleChunk));
  }
  const looser = encodeRules(commitmentSchema(domainColumns(TRADE_COLUMNS)), {
    ...tradeRules,
    region: { nonNull: true, allowed: ['华北', '华东', '华南', '西部', '东北'] },
  });
  otherRulesProof = await proveRuleChunk(ruleChunkInput({ dataset: A.committed, rules: looser, chunkIndex: 0 }), ruleChunk);
  selfNonceProof = await proveSampledAudit(sampledAuditInput({ dataset: B.committed, rules: B.rules, nonce: 42n }), await proverArtifacts('sampled_audit'));
});

afterAll(async () => {
  await closeZk();
});

describe.each(await databaseTargets())('zero-knowledge compliance proofs on %s', (database) => {
  let ex: TestExchange;
  let as: (role: 'provider' | 'operator' | 'buyer') => ExchangeClient;
  let otherProvider: ExchangeClient;
  let a: { datasetId: string; versionId: string };
  let b: { datasetId: string; versionId: string };

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    const anonymous = createClient({ url: `${ex.url}/graphql` });
    as = (role) => anonymous.withApiKey(ex.keyOf(role));
    otherProvider = anonymous.withApiKey((await verifiedParticipant(ex, { roles: ['PROVIDER'] })).token);
  });
  afterAll(async () => {
    await ex?.stop();
  });

  /** What a refused submission must leave unchanged. */
  async function written() {
    const db = ex.built.services.db;
    const [proofs] = await db.select({ n: count() }).from(complianceProofs);
    const [audits] = await db.select({ n: count() }).from(auditLog).where(like(auditLog.action, 'compliance.proof%'));
    const [outbox] = await db.select({ n: count() }).from(chainOutbox).where(eq(chainOutbox.kind, 'compliance.record'));
    const [usedNonces] = await db.select({ n: count() }).from(complianceAuditNonces).where(isNotNull(complianceAuditNonces.proofId));
    return { proofs: proofs!.n, audits: audits!.n, outbox: outbox!.n, usedNonces: usedNonces!.n };
  }

  async function refusedWith(code: string, attempt: () => Promise<unknown>, message?: RegExp) {
    const before = await written();
    const error = await attempt().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, `expected ${code}`).toMatchObject({ name: 'ExchangeError', code });
    if (message) expect((error as Error).message).toMatch(message);
    expect(await written()).toEqual(before);
  }

  async function draft(dataset: typeof A) {
    const created = await createDataset(as('provider'), dataset.input as DatasetInput);
    expect((await uploadDatasetRows(as('provider'), created.dataset.id, dataset.csv)).matchesDeclaration).toBe(true);
    return { datasetId: created.dataset.id, versionId: created.version.id };
  }

  it('refuses an L3 dataset at submit-for-review without proofs', async () => {
    a = await draft(A);
    b = await draft(B);
    const refused = await submitDatasetForReview(as('provider'), a.datasetId).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CHECKS_FAILED' });
    expect((refused as Error).message).toMatch(/compliance_proof_for_grade \(L3 data needs a verified compliance proof: rule proofs cover 0 of 3 chunks; chunks 0–2 not proved/);
  });

  it('verifies a chunk proof, records it with an audit entry and an outbox row, and names the chunks still missing', async () => {
    const before = await written();
    const proof = await submitComplianceProof(as('provider'), a.versionId, 'rule_chunk', chunkProofs[0]!);
    expect(proof).toMatchObject({
      circuit: 'RULE_CHUNK',
      versionId: a.versionId,
      statement: { root: A.committed.root.toString(), rowCount: '10', chunkIndex: '0' },
      onChain: { status: 'PENDING', recorded: false, txHash: null },
    });
    expect(await written()).toEqual({ ...before, proofs: before.proofs + 1, audits: before.audits + 1, outbox: before.outbox + 1 });

    const { coverage } = await getCompliance(as('provider'), a.datasetId);
    expect(coverage).toMatchObject({ satisfied: false, ruleChunks: { expected: 3, proved: 1, complete: false, missing: [{ from: 1, to: 2 }] } });
    const refused = await submitDatasetForReview(as('provider'), a.datasetId).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/rule proofs cover 1 of 3 chunks; chunks 1–2 not proved/);
  });

  it('refuses forged, tampered, misdirected and replayed proofs and non-owners with typed errors, writing nothing', async () => {
    const [, chunk1, chunk2] = chunkProofs as [Groth16ProofWithSignals, Groth16ProofWithSignals, Groth16ProofWithSignals];
    const submit = (client: ExchangeClient, versionId: string, made: { proof: unknown; publicSignals: unknown }) =>
      submitComplianceProof(client, versionId, 'rule_chunk', made as Groth16ProofWithSignals);

    // Chunk 1's proof claiming to be chunk 2: the statement fits the version, the proof does not verify.
    await refusedWith('INVALID_PROOF', () => submit(as('provider'), a.versionId, { proof: chunk1.proof, publicSignals: chunk1.publicSignals.map((s, i) => (i === 2 ? '2' : s)) }), /does not verify/);
    // A proof point swapped for another valid one.
    await refusedWith('INVALID_PROOF', () => submit(as('provider'), a.versionId, { proof: { ...chunk1.proof, pi_a: chunk2.proof.pi_a }, publicSignals: chunk1.publicSignals }));
    // Not shaped like a proof or like the circuit's signals.
    await refusedWith('INVALID_PROOF', () => submit(as('provider'), a.versionId, { proof: { pi_a: ['1'] }, publicSignals: chunk1.publicSignals }));
    await refusedWith('INVALID_PROOF', () => submit(as('provider'), a.versionId, { proof: chunk1.proof, publicSignals: chunk1.publicSignals.slice(0, 3) }));
    // A true proof about another dataset's commitment.
    await refusedWith('PROOF_MISMATCH', () => submit(as('provider'), b.versionId, chunk1), /another commitment/);
    // A true proof about this commitment under rules other than the declared ones.
    await refusedWith('PROOF_MISMATCH', () => submit(as('provider'), a.versionId, otherRulesProof), /rules other than/);
    // The same proof again.
    await refusedWith('PROOF_REPLAYED', () => submit(as('provider'), a.versionId, chunkProofs[0]!));
    // Only the dataset's provider: another provider does not even see the draft; a buyer is no provider.
    await refusedWith('NOT_FOUND', () => submit(otherProvider, a.versionId, chunk1));
    await refusedWith('FORBIDDEN', () => submit(as('buyer'), a.versionId, chunk1));
  });

  it('lets the listing review proceed once the chunk proofs cover the dataset', async () => {
    for (const made of chunkProofs.slice(1)) await submitComplianceProof(as('provider'), a.versionId, 'rule_chunk', made);
    const { coverage, proofs } = await getCompliance(as('provider'), a.datasetId);
    expect(coverage).toMatchObject({ satisfied: true, ruleChunks: { proved: 3, complete: true, missing: [] } });
    expect(proofs.map((p) => p.statement.chunkIndex)).toEqual(['0', '1', '2']);

    const submitted = await submitDatasetForReview(as('provider'), a.datasetId);
    expect(submitted.status).toBe('IN_REVIEW');
    expect(submitted.checks.find((c) => c.rule === 'compliance_proof_for_grade')).toMatchObject({ passed: true, detail: 'rule proofs cover all 3 chunks (10 rows)' });
    expect(await reviewDataset(as('operator'), { datasetId: a.datasetId, approve: true })).toMatchObject({ status: 'LISTED' });
  });

  it('records every verified proof in the ComplianceRegistry once the outbox drains', async () => {
    await ex.built.services.outbox.drain();
    const { proofs } = await getCompliance(as('buyer'), a.datasetId);
    const registry = ex.built.services.contracts.complianceRegistry!;
    for (const proof of proofs) {
      expect(proof.onChain).toMatchObject({ status: 'RECORDED', recorded: true, txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      expect(await registry.isRecorded(proof.onChain.recordHash)).toBe(true);
      const record = await registry.recordOf(proof.onChain.recordHash);
      expect(record).toMatchObject({ datasetId: datasetIdToBytes32(rawId(a.datasetId)), version: 1n, verificationKeyHash: '0x' + proof.vkeySha256 });
    }
  });

  it('exports a proof that the plain snarkjs CLI verifies', async () => {
    const [first] = (await getCompliance(as('buyer'), a.datasetId)).proofs;
    const exported = await exportComplianceProof(as('buyer'), first!.id);
    const dir = await mkdtemp(path.join(tmpdir(), 'compliance-export-'));
    try {
      const files = { vkey: path.join(dir, 'verification_key.json'), pub: path.join(dir, 'public.json'), proof: path.join(dir, 'proof.json') };
      await writeFile(files.vkey, JSON.stringify(exported.verificationKey));
      await writeFile(files.pub, JSON.stringify(exported.publicSignals));
      await writeFile(files.proof, JSON.stringify(exported.proof));
      const env = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` };
      const { stdout } = await run(path.join(BIN, 'snarkjs'), ['groth16', 'verify', files.vkey, files.pub, files.proof], { env });
      expect(stdout).toMatch(/OK/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses the same proof for a newer version with the same rows', async () => {
    const revised = await reviseDataset(as('provider'), a.datasetId, { ...(A.input as DatasetInput), titleEn: 'Trade extract, second edition' });
    expect(revised.version.commitment).toBe(A.committed.root.toString());
    await refusedWith('PROOF_REPLAYED', () => submitComplianceProof(as('provider'), revised.version.id, 'rule_chunk', chunkProofs[0]!));
  });

  it('accepts a sampled audit under the nonces the exchange issued, and refuses a nonce the provider chose', async () => {
    // The reviewer picks s = 4: two proofs of AUDIT_SAMPLES = 2 rows, one per nonce.
    const challenge = await requestSampledAudit(as('operator'), b.versionId, 4);
    expect(challenge).toMatchObject({ samples: 4, samplesPerProof: 2, byReviewer: true });
    expect(challenge.nonces).toHaveLength(2);
    // The provider may ask for nonces, but not for fewer samples than the reviewer requires.
    await expect(requestSampledAudit(as('provider'), b.versionId, 2)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'samples' });

    await refusedWith('PROOF_MISMATCH', () => submitComplianceProof(as('provider'), b.versionId, 'sampled_audit', selfNonceProof), /nonce was not issued/);

    const sampledAudit = await proverArtifacts('sampled_audit');
    const [first, second] = await Promise.all(
      challenge.nonces.map((n) => proveSampledAudit(sampledAuditInput({ dataset: B.committed, rules: B.rules, nonce: BigInt(n.nonce) }), sampledAudit)),
    );
    await submitComplianceProof(as('provider'), b.versionId, 'sampled_audit', first!);
    let { coverage } = await getCompliance(as('provider'), b.datasetId);
    expect(coverage).toMatchObject({ satisfied: false, sampledAudit: { requiredSamples: 4, provedSamples: 2, openNonces: 1, complete: false } });
    await refusedWith('PROOF_REPLAYED', () => submitComplianceProof(as('provider'), b.versionId, 'sampled_audit', first!));

    await submitComplianceProof(as('provider'), b.versionId, 'sampled_audit', second!);
    ({ coverage } = await getCompliance(as('provider'), b.datasetId));
    expect(coverage).toMatchObject({ satisfied: true, sampledAudit: { requiredSamples: 4, provedSamples: 4, openNonces: 0, complete: true } });
    expect((await getCompliance(as('provider'), b.datasetId)).sampledAudits[0]!.nonces.every((n) => n.used)).toBe(true);

    const submitted = await submitDatasetForReview(as('provider'), b.datasetId);
    expect(submitted.checks.find((c) => c.rule === 'compliance_proof_for_grade')).toMatchObject({ passed: true, detail: 'a sampled audit of 4 samples passed (4 required)' });
  });
});
