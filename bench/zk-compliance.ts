// Compliance proofs' costs: committing a dataset of 1,000,000 rows (row hashes and the depth-20
// tree; ZK_BENCH_ROWS overrides the count), one rule_chunk proof, the full coverage of 1,024 rows,
// a sampled audit of s = 128 samples over the large tree (ZK_BENCH_SAMPLES overrides s), in-process
// verification, the gas of verifying and recording a proof on chain, and each circuit's size.
// Standalone: node --import tsx bench/zk-compliance.ts
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { circuits, pascalName, type CircuitName } from '../circuits/registry.ts';
import { ensureComplianceRegistry, solidityProof } from '../server/chain/compliance-registry.ts';
import { ChainClient } from '../server/chain/client.ts';
import { loadArtifact } from '../server/chain/contracts.ts';
import { PROJECT_ROOT } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { builtCircuitKeys, loadCircuit } from '../server/privacy/zk/artifacts.ts';
import { closeZk, toSolidityCalldata, verifyGroth16 } from '../server/privacy/zk/verify.ts';
import { commitDataset, type CommittedDataset } from '../sdk/zk/dataset-commitment.ts';
import { encodeRow, rowHash, SIGNED_OFFSET, type EncodedRow } from '../sdk/zk/dataset-schema.ts';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../sdk/zk/groth16.ts';
import { FixedMerkleTree } from '../sdk/zk/merkle-tree.ts';
import { minGroupSizeInputs, proveMinGroupSize } from '../sdk/zk/min-group-size.ts';
import { AUDIT_SAMPLES, DATASET_TREE_DEPTH, RULE_CHUNK_ROWS } from '../sdk/zk/parameters.ts';
import { PositiveList, provePositiveList } from '../sdk/zk/positive-list.ts';
import { proveRuleChunk, ruleChunkCount, ruleChunkInput } from '../sdk/zk/rule-chunk.ts';
import { encodeRules } from '../sdk/zk/rules.ts';
import { proveSampledAudit, sampledAuditInput } from '../sdk/zk/sampled-audit.ts';
import { tradeRows, tradeRules, tradeSchema } from '../test/factories/compliance-datasets.ts';
import { printReport, type Figure } from './report.ts';

/** Encoded rows that obey tradeRules (ages 18–97, amounts within ±50,000.00, regions 0–3). */
function syntheticRows(n: number): EncodedRow[] {
  const rows: EncodedRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      values: [SIGNED_OFFSET + BigInt(18 + (i % 80)), SIGNED_OFFSET + BigInt((i * 137) % 4_000_000), BigInt(i % 4), BigInt(i) * 1_000_003n],
      isNull: [0, 0, 0, i % 7 === 0 ? 1 : 0],
      restHash: 0n,
    };
    if (i % 7 === 0) rows[i]!.values[3] = 0n;
  }
  return rows;
}

async function artifactsOf(circuit: CircuitName): Promise<ProverArtifacts> {
  const { paths } = await loadCircuit(circuit);
  return { wasm: paths.wasm, zkey: paths.zkey };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** The 1,000,000-row commitment, timed in its two steps; the dataset is kept for the sampled audit. */
function benchCommitment(n: number): { figures: Figure[]; dataset: CommittedDataset } {
  const rows = syntheticRows(n);
  let started = performance.now();
  const hashes = rows.map(rowHash);
  const hashSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const tree = FixedMerkleTree.build(hashes, DATASET_TREE_DEPTH);
  const treeSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (let i = 0; i < 10_000; i++) tree.siblings((i * 7919) % n);
  const pathMicros = ((performance.now() - started) * 1000) / 10_000;
  return {
    dataset: { root: tree.root, rowCount: n, rows, tree },
    figures: [
      { name: 'rowHashes_s', value: hashSeconds, unit: 's', note: `${n.toLocaleString('en')} rows, Poseidon(6) each (poseidon-lite, one core)` },
      { name: 'datasetTree_s', value: treeSeconds, unit: 's', note: `depth 20 over ${n.toLocaleString('en')} leaves: about n inner Poseidon(2)` },
      { name: 'commitDataset_s', value: hashSeconds + treeSeconds, unit: 's', note: 'the two together: what commitEncodedRows costs' },
      { name: 'merklePath_us', value: pathMicros, unit: 'µs', note: '20 siblings from the stored levels' },
    ],
  };
}

/** Gas of recordProof (the registry verifies, then stores), and of the bare verifier call for comparison. */
async function benchGas(proof: Groth16ProofWithSignals): Promise<Figure> {
  const log = pino({ level: 'silent' });
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  const chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
  try {
    const registry = await ensureComplianceRegistry({ client: chain, db: database.db, log, projectRoot: PROJECT_ROOT, circuits: await builtCircuitKeys() });
    const calldata = toSolidityCalldata(proof.proof, proof.publicSignals);
    const verifier = loadArtifact(PROJECT_ROOT, 'contracts/generated/RuleChunkVerifier.sol', 'RuleChunkVerifier');
    const { verifier: verifierAddress } = await registry.circuitOf('rule_chunk');
    const data = chain.contract(verifierAddress, verifier.abi).interface.encodeFunctionData('verifyProof', [calldata.a, calldata.b, calldata.c, calldata.input]);
    const verifierGas = await chain.provider.estimateGas({ to: verifierAddress, data });
    const recorded = await registry.recordProof({
      circuit: 'rule_chunk',
      datasetId: '0b6f3a52-7c1e-4d2a-9f00-00000000be4c',
      version: 1,
      publicSignals: proof.publicSignals.map(BigInt),
      proof: solidityProof(calldata),
    });
    const receipt = await chain.provider.getTransactionReceipt(recorded.txHash);
    return {
      name: 'zkVerifyGas',
      value: Number(receipt!.gasUsed),
      unit: 'gas',
      comparison: { name: 'verifier call alone', value: Number(verifierGas) },
      note: 'ComplianceRegistry.recordProof of a rule_chunk proof (4 public signals): pairing check + record',
    };
  } finally {
    await chain.close();
    await database.close();
  }
}

export async function benchZkCompliance(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const n = Number(process.env.ZK_BENCH_ROWS ?? 1_000_000);
  const samples = Number(process.env.ZK_BENCH_SAMPLES ?? 128);
  const rules = encodeRules(tradeSchema, tradeRules);
  const ruleChunk = await artifactsOf('rule_chunk');

  for (const { name } of circuits) {
    const { manifest } = await loadCircuit(name);
    figures.push({ name: `zkConstraints${pascalName(name)}`, value: manifest.constraints, unit: 'constraints', note: `ptau 2^${manifest.ptau.power}` });
  }

  // One chunk, then full coverage of 1,024 rows chunk by chunk (what a small dataset's provider runs).
  const small = commitDataset(tradeSchema, tradeRows(1024));
  // The first proof also loads the wasm and proving key and starts the curve's worker threads.
  await proveRuleChunk(ruleChunkInput({ dataset: small, rules, chunkIndex: 0 }), ruleChunk);
  const chunk = await timed(() => proveRuleChunk(ruleChunkInput({ dataset: small, rules, chunkIndex: 1 }), ruleChunk));
  figures.push({ name: 'zkChunkProofMs', value: chunk.ms, unit: 'ms', note: `one rule_chunk proof: ${RULE_CHUNK_ROWS} rows × 4 columns, witness + Groth16` });
  const chunks = ruleChunkCount(small.rowCount);
  const full = await timed(async () => {
    for (let chunkIndex = 0; chunkIndex < chunks; chunkIndex++) await proveRuleChunk(ruleChunkInput({ dataset: small, rules, chunkIndex }), ruleChunk);
  });
  figures.push({
    name: 'zkFullProof1024RowsMs',
    value: full.ms,
    unit: 'ms',
    comparison: { name: `${chunks} × zkChunkProofMs`, value: chunks * chunk.ms },
    note: `${chunks} rule_chunk proofs in sequence cover 1,024 rows`,
  });

  const verify = await timed(async () => {
    for (let i = 0; i < 20; i++) if (!(await verifyGroth16('rule_chunk', chunk.result.publicSignals, chunk.result.proof))) throw new Error('the chunk proof does not verify');
  });
  figures.push({ name: 'zkVerifyMs', value: verify.ms / 20, unit: 'ms', comparison: { name: 'zkChunkProofMs', value: chunk.ms }, note: 'snarkjs groth16.verify in process, mean of 20' });
  figures.push(await benchGas(chunk.result));

  const large = benchCommitment(n);
  figures.push(...large.figures);
  // s samples: one proof of AUDIT_SAMPLES rows per exchange-issued nonce, nonces 1 … ⌈s/AUDIT_SAMPLES⌉ here.
  const sampledAudit = await artifactsOf('sampled_audit');
  const proofs = Math.ceil(samples / AUDIT_SAMPLES);
  const audit = await timed(async () => {
    for (let nonce = 1; nonce <= proofs; nonce++) await proveSampledAudit(sampledAuditInput({ dataset: large.dataset, rules, nonce: BigInt(nonce) }), sampledAudit);
  });
  figures.push({
    name: 'zkSampledAuditMs',
    value: audit.ms,
    unit: 'ms',
    comparison: { name: 'zkFullProof1024RowsMs', value: full.ms },
    note: `s = ${samples}: ${proofs} sampled_audit proofs of ${AUDIT_SAMPLES} samples over a ${n.toLocaleString('en')}-row tree`,
  });

  const list = PositiveList.build([{ destination: 702n, category: 3101n }]);
  const listed = await timed(async () => provePositiveList(list.input({ destination: 702n, category: 3101n }), await artifactsOf('positive_list')));
  figures.push({ name: 'zkPositiveListProofMs', value: listed.ms, unit: 'ms', note: 'one positive_list proof' });
  const [link] = minGroupSizeInputs({ dataset: commitDataset(tradeSchema, tradeRows(60)), groupColumn: 2, k: 5, salt: 1n });
  const linked = await timed(async () => proveMinGroupSize(link!, await artifactsOf('min_group_size')));
  figures.push({ name: 'zkMinGroupSizeLinkMs', value: linked.ms, unit: 'ms', note: 'one min_group_size link' });

  // encodeRow is part of a provider's cost too; measured on the factory rows.
  const started = performance.now();
  tradeRows(10_000).forEach((row) => encodeRow(tradeSchema, row));
  figures.push({ name: 'encodeRow_us', value: ((performance.now() - started) * 1000) / 10_000, unit: 'µs', note: 'schema-driven, one text cell hashed' });
  await closeZk();
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchZkCompliance());
}
