// 合规证明 CLI for providers with large files: reads the CSV under the version's schema (fetched
// from the API), commits it, checks the root is the version's commitment, then proves and submits
// every rule chunk still missing — or, with --audit, answers the exchange-issued sampled-audit
// nonces — printing one progress line per proof with an ETA. The rows never leave this machine.
//
//   node --import tsx sdk/cli/prove-compliance.ts --api http://localhost:4000/graphql \
//     --key $KEY --version <versionId> --csv rows.csv [--audit] [--circuits circuits/build]
//
// Exit codes: 0 the coverage is complete, 1 an error, 2 usage.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { commitmentRow, commitmentSchema, type CatalogColumn } from '../catalog-commitment.ts';
import { createClient, type ExchangeClient } from '../graphql/client.ts';
import { getVersionToProve, requestSampledAudit, submitComplianceProof, type ComplianceCircuitName, type VersionToProve } from '../graphql/compliance.ts';
import type { DatasetColumn } from '../graphql/types.ts';
import { builtProverArtifacts } from '../zk/build-artifacts.ts';
import type { CommittedDataset } from '../zk/dataset-commitment.ts';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../zk/groth16.ts';
import { commitDatasetInParallel } from '../zk/parallel-commitment.ts';
import { proveRuleChunk, ruleChunkInput } from '../zk/rule-chunk.ts';
import { encodeRules, rowViolations, type DeclaredRules, type EncodedColumnRule } from '../zk/rules.ts';
import { proveSampledAudit, sampledAuditInput } from '../zk/sampled-audit.ts';
import { RULE_CHUNK_ROWS } from '../zk/parameters.ts';

const USAGE = `usage: prove-compliance --api <graphql url> --key <api key> --version <versionId> --csv <rows.csv> [--audit] [--circuits <dir>]
  --key may also come from EXCHANGE_API_KEY.
  Without --audit: proves every rule chunk (${RULE_CHUNK_ROWS} rows each) the version's coverage lacks.
  With --audit: proves the open exchange-issued sampled-audit nonces, asking for nonces when none are open.`;

/** One proof to make and submit. */
interface Job {
  circuit: ComplianceCircuitName;
  label: string;
  prove: () => Promise<Groth16ProofWithSignals>;
}

/** The version's catalog columns as the commitment reads them. */
export function catalogColumnsOf(columns: readonly DatasetColumn[]): CatalogColumn[] {
  return columns.map((c) => ({
    name: c.name,
    type: c.type.toLowerCase() as CatalogColumn['type'],
    ...(c.scale !== null ? { scale: c.scale } : {}),
    ...(c.categories ? { categories: c.categories } : {}),
    sensitivity: c.sensitivity.toLowerCase() as CatalogColumn['sensitivity'],
  }));
}

/** The CSV as the exchange's upload reads it: a header naming the schema's columns, empty cells null. */
export function readRows(csv: string, columns: readonly CatalogColumn[]): Record<string, string | null>[] {
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 1_000_000 }) as Record<string, string>[];
  if (records.length === 0) throw new Error('the CSV has no rows');
  const missing = columns.filter((c) => !(c.name in records[0]!)).map((c) => c.name);
  if (missing.length) throw new Error(`schema columns missing from the CSV header: ${missing.join(', ')}`);
  return records.map((r) => Object.fromEntries(columns.map((c) => [c.name, r[c.name] === '' ? null : r[c.name]!])));
}

/** The first row breaking a declared rule (the circuit would refuse to prove it), as a message. */
function firstViolation(dataset: CommittedDataset, rules: readonly EncodedColumnRule[]): string | null {
  for (let i = 0; i < dataset.rows.length; i++) {
    const violations = rowViolations(dataset.rows[i]!.values, dataset.rows[i]!.isNull, rules);
    if (violations.length) return `row ${i + 1} breaks the declared rules: ${violations.join('; ')}`;
  }
  return null;
}

function ruleChunkJobs(target: VersionToProve, dataset: CommittedDataset, rules: readonly EncodedColumnRule[], artifacts: ProverArtifacts): Job[] {
  return target.coverage.ruleChunks.missing.flatMap(({ from, to }) =>
    Array.from({ length: to - from + 1 }, (_, i): Job => ({
      circuit: 'rule_chunk',
      label: `chunk ${from + i}`,
      prove: () => proveRuleChunk(ruleChunkInput({ dataset, rules, chunkIndex: from + i }), artifacts),
    })),
  );
}

/** The open nonces of a challenge with at least the required samples; asks for one when there is none. */
async function auditJobs(client: ExchangeClient, target: VersionToProve, dataset: CommittedDataset, rules: readonly EncodedColumnRule[], artifacts: ProverArtifacts): Promise<Job[]> {
  const required = target.coverage.sampledAudit.requiredSamples;
  let challenge = target.sampledAudits.find((c) => c.samples >= required && c.nonces.some((n) => !n.used));
  if (!challenge) challenge = await requestSampledAudit(client, target.versionId, required);
  return challenge.nonces
    .filter((n) => !n.used)
    .map((n): Job => ({
      circuit: 'sampled_audit',
      label: `nonce ${n.position + 1} of ${challenge.nonces.length}`,
      prove: () => proveSampledAudit(sampledAuditInput({ dataset, rules, nonce: BigInt(n.nonce) }), artifacts),
    }));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function runJobs(client: ExchangeClient, versionId: string, jobs: readonly Job[], log: (line: string) => void): Promise<void> {
  const started = Date.now();
  for (const [i, job] of jobs.entries()) {
    const t0 = Date.now();
    const made = await job.prove();
    const submitted = await submitComplianceProof(client, versionId, job.circuit, made);
    const done = i + 1;
    const eta = ((Date.now() - started) / done) * (jobs.length - done);
    log(`[${done}/${jobs.length}] ${job.circuit} ${job.label}: proved and submitted in ${seconds(Date.now() - t0)} (proof ${submitted.id}) · ETA ${seconds(eta)}`);
  }
}

export async function proveCompliance(options: { api: string; key: string; versionId: string; csvPath: string; audit: boolean; circuitsDir?: string; log?: (line: string) => void }): Promise<VersionToProve['coverage']> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = createClient({ url: options.api, apiKey: options.key });
  const target = await getVersionToProve(client, options.versionId);
  if (target.coverage.unprovable) throw new Error(`the version cannot be proved: ${target.coverage.unprovable}`);
  const columns = catalogColumnsOf(target.columns);

  const t0 = Date.now();
  const rows = readRows(await readFile(options.csvPath, 'utf8'), columns);
  log(`read ${rows.length} rows; committing…`);
  // On every core: encoding and hashing a million rows takes ~16 min on one.
  const dataset = await commitDatasetInParallel(commitmentSchema(columns), rows.map((row) => commitmentRow(columns, row)));
  if (dataset.root.toString() !== target.commitment || dataset.rowCount !== target.rowCount) {
    throw new Error(
      `the CSV is not the version's data: root ${dataset.root} over ${dataset.rowCount} rows, the version declares ${target.commitment} over ${target.rowCount} rows`,
    );
  }
  log(`commitment matches version ${target.version} (${seconds(Date.now() - t0)})`);
  const rules = encodeRules(commitmentSchema(columns), target.complianceRules as DeclaredRules);
  const violation = firstViolation(dataset, rules);
  if (violation) throw new Error(violation);

  const complete = options.audit ? target.coverage.sampledAudit.complete : target.coverage.ruleChunks.complete;
  const jobs = complete
    ? []
    : options.audit
      ? await auditJobs(client, target, dataset, rules, await builtProverArtifacts('sampled_audit', options.circuitsDir))
      : ruleChunkJobs(target, dataset, rules, await builtProverArtifacts('rule_chunk', options.circuitsDir));
  log(jobs.length ? `${jobs.length} proofs to make` : 'nothing to prove');
  await runJobs(client, options.versionId, jobs, log);

  const { coverage } = await getVersionToProve(client, options.versionId);
  log(`coverage: ${coverage.detail}`);
  return coverage;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        api: { type: 'string' },
        key: { type: 'string' },
        version: { type: 'string' },
        csv: { type: 'string' },
        audit: { type: 'boolean', default: false },
        circuits: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const key = values.key ?? process.env.EXCHANGE_API_KEY;
  if (values.help || !values.api || !key || !values.version || !values.csv) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const coverage = await proveCompliance({ api: values.api, key, versionId: values.version, csvPath: values.csv, audit: values.audit, circuitsDir: values.circuits });
    const complete = values.audit ? coverage.sampledAudit.complete : coverage.ruleChunks.complete;
    return complete ? 0 : 1;
  } catch (err) {
    const code = (err as { code?: string }).code;
    console.error(`prove-compliance: ${code ? `${code}: ` : ''}${(err as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // snarkjs's curve keeps worker threads alive: exit explicitly.
  process.exit(await main());
}
