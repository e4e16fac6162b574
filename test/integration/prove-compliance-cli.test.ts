// The provider's CLI (sdk/cli/prove-compliance.ts) run as a child process against a test
// exchange: it reads the CSV under the version's schema from the API, checks the commitment,
// proves every missing rule chunk (or answers the sampled-audit nonces) and submits them, until
// the coverage is complete. Needs `npm run build` (circuits and contracts).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { createDataset, submitDatasetForReview, uploadDatasetRows } from '../../sdk/graphql/catalog.ts';
import { createClient, type ExchangeClient } from '../../sdk/graphql/client.ts';
import { getCompliance, getVersionToProve } from '../../sdk/graphql/compliance.ts';
import type { DatasetInput } from '../../sdk/graphql/types.ts';
import { l3TradeDataset } from '../factories/compliance-datasets.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'sdk', 'cli', 'prove-compliance.ts');

/** 10 rows: 3 rule chunks; 6 rows for the sampled audit. */
const A = l3TradeDataset(10, { titleEn: 'Trade extract, proved by the CLI', titleZh: '交易明细（命令行证明）' });
const B = l3TradeDataset(6, { titleEn: 'Trade extract, audited by the CLI', titleZh: '交易明细（命令行抽样）' });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prove-compliance-'));
  await writeFile(path.join(dir, 'a.csv'), A.csv);
  await writeFile(path.join(dir, 'b.csv'), B.csv);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(await databaseTargets())('the prove-compliance CLI on %s', (database) => {
  let ex: TestExchange;
  let provider: ExchangeClient;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    provider = createClient({ url: `${ex.url}/graphql`, apiKey: ex.keyOf('provider') });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  async function draft(dataset: typeof A) {
    const created = await createDataset(provider, dataset.input as DatasetInput);
    await uploadDatasetRows(provider, created.dataset.id, dataset.csv);
    return { datasetId: created.dataset.id, versionId: created.version.id };
  }

  function cli(args: string[]) {
    const argv = ['--import', 'tsx', CLI, '--api', `${ex.url}/graphql`, '--key', ex.keyOf('provider'), ...args];
    return run(process.execPath, argv, { cwd: PROJECT_ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  it('refuses a CSV that is not the version’s data, submitting nothing', async () => {
    const a = await draft(A);
    const other = path.join(dir, `other-${database}.csv`);
    await writeFile(other, l3TradeDataset(9).csv);
    const result = await cli(['--version', a.versionId, '--csv', other]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the CSV is not the version's data: .* over 9 rows, the version declares .* over 10 rows/);
    expect((await getCompliance(provider, a.datasetId)).proofs).toEqual([]);
  });

  it('proves every missing rule chunk with a progress line per proof, until the coverage is complete', async () => {
    const a = await draft(A);
    const result = await cli(['--version', a.versionId, '--csv', path.join(dir, 'a.csv')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/commitment matches version 1/);
    expect(result.stdout.match(/^\[\d\/3\] rule_chunk chunk \d: proved and submitted in [\d.]+ s \(proof \S+\) · ETA [\d.]+ s$/gm)).toHaveLength(3);
    expect(result.stdout).toMatch(/coverage: rule proofs cover all 3 chunks \(10 rows\)/);

    const { coverage, proofs } = await getVersionToProve(provider, a.versionId);
    expect(coverage).toMatchObject({ satisfied: true, ruleChunks: { expected: 3, proved: 3, complete: true, missing: [] } });
    expect(proofs.map((p) => p.statement.chunkIndex).sort()).toEqual(['0', '1', '2']);
    expect((await submitDatasetForReview(provider, a.datasetId)).status).toBe('IN_REVIEW');

    // Run again: nothing left to prove.
    const again = await cli(['--version', a.versionId, '--csv', path.join(dir, 'a.csv')]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toMatch(/nothing to prove/);
  });

  it('answers the exchange-issued sampled-audit nonces with --audit', async () => {
    const b = await draft(B);
    const result = await cli(['--version', b.versionId, '--csv', path.join(dir, 'b.csv'), '--audit']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The default 16 samples: 8 nonces of 2 samples each.
    expect(result.stdout.match(/^\[\d+\/8\] sampled_audit nonce \d+ of 8: /gm)).toHaveLength(8);
    const { coverage, sampledAudits } = await getVersionToProve(provider, b.versionId);
    expect(coverage).toMatchObject({ satisfied: true, sampledAudit: { requiredSamples: 16, provedSamples: 16, openNonces: 0, complete: true } });
    expect(sampledAudits[0]!.nonces.every((n) => n.used)).toBe(true);
  });

  it('exits with usage on missing arguments', async () => {
    expect(await cli(['--csv', 'x.csv'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: prove-compliance/) });
  });
});
