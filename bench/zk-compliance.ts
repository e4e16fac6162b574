// Compliance proofs' costs: committing a dataset of 1,000,000 rows (row hashes and the depth-20
// tree; ZK_BENCH_ROWS overrides the count), extracting its paths, and one proof of each circuit.
// Standalone: node --import tsx bench/zk-compliance.ts
import { pathToFileURL } from 'node:url';
import { commitDataset } from '../sdk/zk/dataset-commitment.ts';
import { FixedMerkleTree } from '../sdk/zk/merkle-tree.ts';
import { DATASET_TREE_DEPTH } from '../sdk/zk/parameters.ts';
import { encodeRow, rowHash, SIGNED_OFFSET, type EncodedRow } from '../sdk/zk/dataset-schema.ts';
import { minGroupSizeInputs, proveMinGroupSize } from '../sdk/zk/min-group-size.ts';
import { PositiveList, provePositiveList } from '../sdk/zk/positive-list.ts';
import { proveRuleChunk, ruleChunkInput } from '../sdk/zk/rule-chunk.ts';
import { encodeRules } from '../sdk/zk/rules.ts';
import { proveSampledAudit, sampledAuditInput } from '../sdk/zk/sampled-audit.ts';
import { loadCircuit } from '../server/privacy/zk/artifacts.ts';
import { closeZk } from '../server/privacy/zk/verify.ts';
import { tradeRows, tradeRules, tradeSchema } from '../test/factories/compliance-datasets.ts';
import { printReport, type Figure } from './report.ts';
import type { CircuitName } from '../circuits/registry.ts';

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

async function timedProof(circuit: CircuitName, prove: (artifacts: { wasm: string; zkey: string }) => Promise<unknown>): Promise<Figure> {
  const { paths, manifest } = await loadCircuit(circuit);
  const started = performance.now();
  await prove({ wasm: paths.wasm, zkey: paths.zkey });
  return { name: `prove_${circuit}_s`, value: (performance.now() - started) / 1000, unit: 's', note: `${manifest.constraints} constraints, witness + Groth16 proof` };
}

export async function benchZkCompliance(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const n = Number(process.env.ZK_BENCH_ROWS ?? 1_000_000);
  const rows = syntheticRows(n);

  // commitEncodedRows does both steps; they are timed apart here to show where the time goes.
  let started = performance.now();
  const hashes = rows.map(rowHash);
  const hashSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const tree = FixedMerkleTree.build(hashes, DATASET_TREE_DEPTH);
  const treeSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (let i = 0; i < 10_000; i++) tree.siblings((i * 7919) % n);
  const pathMicros = ((performance.now() - started) * 1000) / 10_000;
  figures.push(
    { name: 'rowHashes_s', value: hashSeconds, unit: 's', note: `${n.toLocaleString('en')} rows, Poseidon(6) each (poseidon-lite, one core)` },
    { name: 'datasetTree_s', value: treeSeconds, unit: 's', note: `depth 20 over ${n.toLocaleString('en')} leaves: about n inner Poseidon(2)` },
    { name: 'commitDataset_s', value: hashSeconds + treeSeconds, unit: 's', note: 'the two together: what commitEncodedRows costs' },
    { name: 'merklePath_us', value: pathMicros, unit: 'µs', note: '20 siblings from the stored levels' },
  );

  const small = commitDataset(tradeSchema, tradeRows(100));
  const rules = encodeRules(tradeSchema, tradeRules);
  figures.push(await timedProof('rule_chunk', (a) => proveRuleChunk(ruleChunkInput({ dataset: small, rules, chunkIndex: 1 }), a)));
  figures.push(await timedProof('sampled_audit', (a) => proveSampledAudit(sampledAuditInput({ dataset: small, rules, nonce: 42n }), a)));
  const list = PositiveList.build([{ destination: 702n, category: 3101n }]);
  figures.push(await timedProof('positive_list', (a) => provePositiveList(list.input({ destination: 702n, category: 3101n }), a)));
  const [link] = minGroupSizeInputs({ dataset: commitDataset(tradeSchema, tradeRows(60)), groupColumn: 2, k: 5, salt: 1n });
  figures.push(await timedProof('min_group_size', (a) => proveMinGroupSize(link!, a)));
  // encodeRow is part of a provider's cost too; measured on the factory rows.
  started = performance.now();
  tradeRows(10_000).forEach((row) => encodeRow(tradeSchema, row));
  figures.push({ name: 'encodeRow_us', value: ((performance.now() - started) * 1000) / 10_000, unit: 'µs', note: 'schema-driven, one text cell hashed' });
  await closeZk();
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchZkCompliance());
}
