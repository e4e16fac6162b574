// The encrypted query kinds' costs: raw ct × pt throughput on every core through the worker pool,
// the ID-set match against a 1,000,000-row provider list (hashing included), the group
// aggregate and the linear score with and without the caches, and the bytes that travel.
// The 1,000,000-row SQL comparison is bench/he-group-query.ts.
// Standalone: node --import tsx bench/he-queries.ts
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { decodeBase64 } from '../sdk/he/encoding.ts';
import { decryptIdSetMatch, encryptIdSet, expectedFalseMatches } from '../sdk/he/id-set-match.ts';
import { generateKeySet, type PublicKeyBundle } from '../sdk/he/key-set.ts';
import { decryptLinearScore, encryptLinearScore } from '../sdk/he/linear-score.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../sdk/he/private-aggregate.ts';
import { evaluateGroupAggregate, type GroupAggregateInput } from '../server/privacy/he/evaluate-group-aggregate.ts';
import { bucketProviderRows } from '../server/privacy/he/evaluate-id-set.ts';
import { evaluateLinearScore, type LinearScoreInput } from '../server/privacy/he/evaluate-linear-score.ts';
import { HeWorkerPool } from '../server/privacy/he/pool.ts';
import { SealCache } from '../server/privacy/he/seal-cache.ts';
import type { HeTaskOutcome } from '../server/privacy/he/tasks.ts';
import { printReport, type Figure } from './report.ts';

const RUNS = 5;
const PROVIDER_ROWS = 1_000_000;
const BUYER_IDS = 1_000;
const GROUPS = 64;
const MiB = 2 ** 20;

const bytes = (b64: string) => decodeBase64(b64)!.length;
const bundleBytes = (bundle: PublicKeyBundle) => bytes(bundle.publicKey) + bytes(bundle.relinKeys) + bytes(bundle.galoisKeys);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU time of the whole process (main thread and pool workers), in ms: steadier than wall time on a shared machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median wall time and median CPU time of `runs` runs. */
async function measure(run: () => Promise<unknown>, runs = RUNS): Promise<{ wallMs: number; cpuMs: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    const startCpu = cpuMs();
    await run();
    wall.push(performance.now() - start);
    cpu.push(cpuMs() - startCpu);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** ct × pt products per second, summed over one probe per worker running at once. */
async function mulPlainSlotsPerSec(pool: HeWorkerPool, form: 'ntt' | 'coefficient'): Promise<number> {
  const start = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: pool.size }, () => pool.run({ kind: 'measure-mul-plain', input: { durationMs: 2_000, form } })),
  );
  const seconds = (performance.now() - start) / 1000;
  return outcomes.reduce((sum, { result }) => sum + result.multiplications * result.slotsPerMultiplication, 0) / seconds;
}

async function benchIdSet(pool: HeWorkerPool): Promise<Figure[]> {
  const providerIds = Array.from({ length: PROVIDER_ROWS }, (_, row) => `+86138${String(row * 13 + 7).padStart(8, '0')}`);
  const rows = { ids: providerIds, values: BigInt64Array.from(providerIds, (_, row) => BigInt((row * 7919) % 1_000_000)) };
  // Half the buyer's customers are in the provider's list.
  const buyerIds = [
    ...providerIds.slice(0, BUYER_IDS / 2),
    ...Array.from({ length: BUYER_IDS / 2 }, (_, index) => `+86150${String(index).padStart(8, '0')}`),
  ];
  const keySet = await generateKeySet({ scheme: 'bfv', queries: ['id-set-match'] });
  const keys = keySet.publicBundle();
  const encryptStart = performance.now();
  const request = await encryptIdSet(keySet, buyerIds);
  const encryptMs = performance.now() - encryptStart;
  const input = { keys, query: request.query, rows, policy: { minSetSize: null }, publicRowCount: PROVIDER_ROWS };
  // The first query loads the keys into the worker; the figure is a buyer's next query.
  await pool.run({ kind: 'id-set-match', input });
  let outcome: HeTaskOutcome<'id-set-match'> | undefined;
  const { wallMs: evalMs, cpuMs: evalCpuMs } = await measure(async () => {
    outcome = await pool.run({ kind: 'id-set-match', input });
  }, 1);
  const answer = await decryptIdSetMatch(keySet, outcome!.result, request);
  const trueMatches = BUYER_IDS / 2;
  if (answer.count < BigInt(trueMatches)) throw new Error('the ID-set match missed true matches');
  // Hashing alone, and a repeated query on a cached per-version salt.
  const hashStart = performance.now();
  bucketProviderRows(rows, request.query.salt, request.query.domainBits);
  const hashMs = performance.now() - hashStart;
  const cachedInput = { ...input, cacheKey: 'bench-version:msisdn' };
  await pool.run({ kind: 'id-set-match', input: cachedInput });
  let hits = 0;
  const { cpuMs: cachedCpuMs } = await measure(async () => {
    hits = (await pool.run({ kind: 'id-set-match', input: cachedInput })).cache.plaintextHits;
  }, 1);
  if (hits !== 1) throw new Error('the repeated ID-set query missed the plaintext cache');
  const formula = expectedFalseMatches(BUYER_IDS, PROVIDER_ROWS, request.query.domainBits);
  const chunks = request.query.chunks.length;
  return [
    {
      name: 'heIdSetRowsPerSec',
      value: PROVIDER_ROWS / (evalMs / 1000),
      unit: 'rows/s',
      note: `${PROVIDER_ROWS} provider rows vs ${BUYER_IDS} buyer ids, D = 2^${request.query.domainBits} (${chunks} ciphertexts), hashing included, one query on one worker, keys cached`,
    },
    { name: 'heIdSetEvalMs', value: evalMs, unit: 'ms', note: 'the same query, through the pool' },
    {
      name: 'heIdSetEvalCpuMs',
      value: evalCpuMs,
      unit: 'ms',
      note: `its CPU time (all threads): ${Math.round(PROVIDER_ROWS / (evalCpuMs / 1000))} rows per CPU-second, what an idle core would give`,
    },
    {
      name: 'heIdSetHashRowsPerSec',
      value: PROVIDER_ROWS / (hashMs / 1000),
      unit: 'rows/s',
      note: 'hashing and bucketing alone (SHA-256, main thread)',
    },
    {
      name: 'heIdSetCachedEvalCpuMs',
      value: cachedCpuMs,
      unit: 'ms',
      comparison: { name: 'heIdSetEvalCpuMs', value: evalCpuMs },
      note: 'CPU time of the same salt and cache key again: hashed, encoded buckets from the plaintext cache (only with a per-version salt)',
    },
    { name: 'heIdSetEncryptMs', value: encryptMs, unit: 'ms', note: `buyer: hash ${BUYER_IDS} ids, encrypt ${chunks} chunks` },
    {
      name: 'heIdSetFalseMatches',
      value: Number(answer.count) - trueMatches,
      unit: 'rows',
      comparison: { name: 'heIdSetFalseMatchesExpected', value: formula.expected },
      note: `measured vs (n − n∩)·m/D; sd ≈ ${formula.standardDeviation.toFixed(1)}; the buyer's estimate of n∩: ${answer.estimatedTrueCount?.toFixed(1)} (true ${trueMatches})`,
    },
    {
      name: 'heIdSetQueryBytesUp',
      value: request.query.chunks.reduce((sum, chunk) => sum + bytes(chunk), 0),
      unit: 'B',
      note: `${chunks} seeded ciphertexts, zstd`,
    },
    { name: 'heIdSetKeyBundleBytes', value: bundleBytes(keys), unit: 'B', note: 'once per key set: 13 Galois keys' },
  ];
}

async function benchGroupAggregate(pool: HeWorkerPool): Promise<Figure[]> {
  const keySet = await generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS });
  const groups = Array.from({ length: GROUPS }, (_, group) => ({ rows: 100 + group, sum: BigInt(group + 1) * 123_457n }));
  const query = await encryptGroupSelection(keySet, GROUPS, [1, 5, 9, 33]);
  const input: GroupAggregateInput = {
    keys: keySet.publicBundle(),
    query,
    groups,
    policy: { kThreshold: 10, selection: 'subset' },
    cacheKey: 'bench-version:amount',
  };
  await pool.run({ kind: 'group-aggregate', input });
  const pooled = await measure(() => pool.run({ kind: 'group-aggregate', input }));
  const result = await evaluateGroupAggregate(input);
  const answer = await decryptGroupAggregate(keySet, result);
  if (answer.count !== 101n + 105n + 109n + 133n) throw new Error('wrong group aggregate');
  // In process: nothing cached, keys cached, keys and plaintexts cached.
  const keys = new SealCache(256 * MiB);
  const plaintexts = new SealCache(256 * MiB);
  const cold = await measure(() => evaluateGroupAggregate(input));
  await evaluateGroupAggregate(input, { caches: { keys } });
  const keysCached = await measure(() => evaluateGroupAggregate({ ...input, cacheKey: undefined }, { caches: { keys } }));
  await evaluateGroupAggregate(input, { caches: { keys, plaintexts } });
  const warm = await measure(() => evaluateGroupAggregate(input, { caches: { keys, plaintexts } }));
  return [
    {
      name: 'heGroupEvalMs',
      value: pooled.wallMs,
      unit: 'ms',
      comparison: { name: 'heGroupEvalColdMs', value: cold.wallMs },
      note: `count + sum over ${GROUPS} groups through the pool, caches warm, median of ${RUNS}; cold: in process, keys parsed each time`,
    },
    {
      name: 'heGroupEvalCpuMs',
      value: warm.cpuMs,
      unit: 'ms',
      comparison: { name: 'heGroupEvalColdCpuMs', value: cold.cpuMs },
      note: 'CPU time in process: caches warm vs none (the key cache does most of it)',
    },
    {
      name: 'heGroupEvalPlaintextCachedCpuMs',
      value: warm.cpuMs,
      unit: 'ms',
      comparison: { name: 'heGroupEvalKeysCachedCpuMs', value: keysCached.cpuMs },
      note: 'CPU time in process, keys cached; with vs without the plaintext cache (one NTT plaintext: the gain is small)',
    },
    { name: 'heQueryBytesUp', value: bytes(query.selection), unit: 'B', note: 'group aggregate: one seeded ciphertext, zstd' },
    { name: 'heResultBytesDown', value: bytes(result.ciphertext), unit: 'B', note: 'count and sum in one ciphertext, 2 primes, zstd' },
    { name: 'heGroupKeyBundleBytes', value: bundleBytes(keySet.publicBundle()), unit: 'B', note: `${GROUPS} groups: 7 Galois keys` },
  ];
}

async function benchLinearScore(): Promise<Figure[]> {
  const columns = [
    { lower: 0, upper: 10_000 },
    { lower: -500, upper: 500 },
    { lower: 0, upper: 1 },
    { lower: 0, upper: 120 },
  ];
  const keySet = await generateKeySet({ scheme: 'ckks' });
  const groups = Array.from({ length: GROUPS }, (_, group) => {
    const rows = 1_000 + 10 * group;
    return { rows, columnSums: [rows * 812.5, rows * (group - 30), rows * 0.37, rows * 41] };
  });
  const request = await encryptLinearScore(keySet, { groupCount: GROUPS, weights: [0.001, 0.5, 20, -0.1], selected: [3, 17, 40] });
  const input: LinearScoreInput = {
    keys: keySet.publicBundle(),
    query: request.query,
    groups,
    columns,
    policy: { kThreshold: 10, selection: 'subset' },
    cacheKey: 'bench-version:score',
  };
  const keys = new SealCache(256 * MiB);
  const plaintexts = new SealCache(256 * MiB);
  const result = await evaluateLinearScore(input, { caches: { keys, plaintexts } });
  const answer = await decryptLinearScore(keySet, result, request);
  const expectedCount = groups[3]!.rows + groups[17]!.rows + groups[40]!.rows;
  if (Math.abs(answer.count - expectedCount) > 0.5) throw new Error('wrong linear score');
  const keysCached = await measure(() => evaluateLinearScore({ ...input, cacheKey: undefined }, { caches: { keys } }));
  const warm = await measure(() => evaluateLinearScore(input, { caches: { keys, plaintexts } }));
  return [
    {
      name: 'heScoreEvalMs',
      value: warm.wallMs,
      unit: 'ms',
      comparison: { name: 'heScoreEvalKeysCachedMs', value: keysCached.wallMs },
      note: `linear score, ${GROUPS} groups × ${columns.length} columns, in process, keys cached; with vs without the plaintext cache`,
    },
    {
      name: 'heScoreEvalCpuMs',
      value: warm.cpuMs,
      unit: 'ms',
      comparison: { name: 'heScoreEvalKeysCachedCpuMs', value: keysCached.cpuMs },
      note: 'the same in CPU time',
    },
    { name: 'heScoreQueryBytesUp', value: bytes(request.query.selection) + bytes(request.query.weights), unit: 'B', note: 'two seeded CKKS ciphertexts' },
    { name: 'heScoreResultBytesDown', value: bytes(result.weightedSum) + bytes(result.count), unit: 'B', note: 'two CKKS ciphertexts at the last level' },
    { name: 'heScoreKeyBundleBytes', value: bundleBytes(keySet.publicBundle()), unit: 'B', note: '12 Galois keys' },
  ];
}

export async function benchHeQueries(): Promise<Figure[]> {
  const pool = await HeWorkerPool.start({ size: os.availableParallelism() });
  try {
    const ntt = await mulPlainSlotsPerSec(pool, 'ntt');
    const coefficient = await mulPlainSlotsPerSec(pool, 'coefficient');
    return [
      {
        name: 'rawMulPlainSlotsPerSec',
        value: ntt,
        unit: 'slots/s',
        comparison: { name: 'rawMulPlainCoefficientSlotsPerSec', value: coefficient },
        note: `BFV N = 8192 ct × pt, operands in NTT form, ${pool.size} workers; compared with SEAL transforming each time`,
      },
      ...(await benchGroupAggregate(pool)),
      ...(await benchLinearScore()),
      ...(await benchIdSet(pool)),
    ];
  } finally {
    await pool.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReport(await benchHeQueries());
}
