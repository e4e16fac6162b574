import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySet, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptLinearScore, encryptLinearScore } from '../../sdk/he/linear-score.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../sdk/he/private-aggregate.ts';
import type { GroupAggregateQuery } from '../../sdk/he/query-result.ts';
import { HeInputError } from '../../server/privacy/he/errors.ts';
import { evaluateGroupAggregate, type GroupAggregateInput } from '../../server/privacy/he/evaluate-group-aggregate.ts';
import { evaluateLinearScore, type LinearScoreInput } from '../../server/privacy/he/evaluate-linear-score.ts';
import { HePoolError, HeWorkerPool } from '../../server/privacy/he/pool.ts';

const GROUPS = 16;
const groups = Array.from({ length: GROUPS }, (_, group) => ({ rows: 10 + group, sum: BigInt(25_000 * group + 7) }));
const scoreGroups = Array.from({ length: GROUPS }, (_, group) => ({ rows: 10 + group, columnSums: [(10 + group) * 42.5, (10 + group) * -3] }));
const columns = [
  { lower: 0, upper: 100 },
  { lower: -10, upper: 10 },
];
const policy = { kThreshold: 1, selection: 'subset' } as const;

let pool: HeWorkerPool;
let bfvBuyer: KeySet;
let ckksBuyer: KeySet;
let query: GroupAggregateQuery;

const groupInput = (overrides: Partial<GroupAggregateInput> = {}): GroupAggregateInput => ({
  keys: bfvBuyer.publicBundle(),
  query,
  groups,
  policy,
  ...overrides,
});

beforeAll(async () => {
  [pool, bfvBuyer, ckksBuyer] = await Promise.all([
    HeWorkerPool.start({ size: 2, maxQueue: 1 }),
    generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS }),
    generateKeySet({ scheme: 'ckks' }),
  ]);
  query = await encryptGroupSelection(bfvBuyer, GROUPS, [2, 3, 11]);
});

afterAll(async () => {
  await pool?.close();
});

describe('HeWorkerPool', () => {
  it('starts one worker per requested core, each with SEAL loaded', () => {
    expect(pool.stats()).toMatchObject({ size: 2, busy: 0, queued: 0 });
  });

  it('runs evaluations in parallel on two workers, with the answers of in-process evaluation', async () => {
    const scoreRequest = await encryptLinearScore(ckksBuyer, { groupCount: GROUPS, weights: [1, 0.5], selected: [4, 9] });
    const scoreInput: LinearScoreInput = { keys: ckksBuyer.publicBundle(), query: scoreRequest.query, groups: scoreGroups, columns, policy };
    const pooledGroupRun = pool.evaluateGroupAggregate(groupInput());
    const pooledScoreRun = pool.evaluateLinearScore(scoreInput);
    expect(pool.stats().busy).toBe(2);
    const [pooledGroup, pooledScore] = await Promise.all([pooledGroupRun, pooledScoreRun]);
    const [localGroup, localScore] = await Promise.all([evaluateGroupAggregate(groupInput()), evaluateLinearScore(scoreInput)]);
    // Fresh masks make every ciphertext differ; the answers must not.
    expect(await decryptGroupAggregate(bfvBuyer, pooledGroup)).toEqual(await decryptGroupAggregate(bfvBuyer, localGroup));
    const [pooledAnswer, localAnswer] = await Promise.all([
      decryptLinearScore(ckksBuyer, pooledScore, scoreRequest),
      decryptLinearScore(ckksBuyer, localScore, scoreRequest),
    ]);
    expect(pooledAnswer.count).toBeCloseTo(localAnswer.count, 3);
    expect(pooledAnswer.weightedSum).toBeCloseTo(localAnswer.weightedSum, 1);
    expect(pooledAnswer.count).toBeCloseTo(33, 3);
  });

  it('serves the second query on the same data from the worker’s plaintext and key caches', async () => {
    const input = groupInput({ cacheKey: 'version-3:amount' });
    const first = await pool.run({ kind: 'group-aggregate', input });
    const second = await pool.run({ kind: 'group-aggregate', input });
    expect(first.cache).toMatchObject({ plaintextMisses: 1, plaintextHits: 0 });
    expect(second.cache).toMatchObject({ plaintextHits: 1, plaintextMisses: 0, keyHits: 1, keyMisses: 0 });
    expect(await decryptGroupAggregate(bfvBuyer, second.result)).toMatchObject({ count: 12n + 13n + 21n, sum: 25_000n * 16n + 21n });
  });

  it('keeps the typed error of input it refuses', async () => {
    const error = await pool.evaluateGroupAggregate(groupInput({ query: { ...query, selection: 'AAAA' } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeInputError);
    expect((error as HeInputError).code).toBe('MALFORMED_CIPHERTEXT');
  });

  it('refuses a task at once when the bounded queue is full', async () => {
    const probe = { kind: 'measure-mul-plain', input: { durationMs: 200, form: 'ntt' } } as const;
    const tasks = [pool.run(probe), pool.run(probe), pool.run(probe)];
    const overflow = await pool.run(probe).catch((caught: unknown) => caught);
    expect(overflow).toBeInstanceOf(HePoolError);
    expect((overflow as HePoolError).code).toBe('QUEUE_FULL');
    const measured = await Promise.all(tasks);
    for (const { result } of measured) expect(result.multiplications).toBeGreaterThan(0);
  });

  it('lets running and queued tasks finish on close, then refuses new ones', async () => {
    const closing = await HeWorkerPool.start({ size: 1, maxQueue: 2 });
    const probe = { kind: 'measure-mul-plain', input: { durationMs: 100, form: 'coefficient' } } as const;
    const tasks = [closing.run(probe), closing.run(probe)];
    await closing.close();
    for (const { result } of await Promise.all(tasks)) expect(result.multiplications).toBeGreaterThan(0);
    const refused = await closing.run(probe).catch((caught: unknown) => caught);
    expect((refused as HePoolError).code).toBe('CLOSED');
    expect(closing.stats()).toMatchObject({ size: 0, busy: 0, queued: 0, completed: 2 });
  });
});
