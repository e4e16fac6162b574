// The unit of HE work the pool hands to a worker, and the one function that runs it — in a
// worker thread (he-worker.ts) or in process; both give the same answers.

import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import type { GroupAggregateResult, IdSetMatchResult, LinearScoreResult } from '../../../sdk/he/query-result.ts';
import { getHeContext } from './context.ts';
import { uniformBelow } from './csprng.ts';
import { evaluateGroupAggregate, type GroupAggregateInput } from './evaluate-group-aggregate.ts';
import { evaluateIdSetMatch, type IdSetMatchInput } from './evaluate-id-set.ts';
import { evaluateLinearScore, type LinearScoreInput } from './evaluate-linear-score.ts';
import type { EvaluationCaches } from './seal-cache.ts';

/** A capacity probe: ciphertext × plaintext products in a loop, the evaluators' inner operation. */
export interface MulPlainProbe {
  /** How long to multiply for. */
  durationMs: number;
  /** 'ntt': both operands already in NTT form (what the evaluators do); 'coefficient': SEAL transforms each time. */
  form: 'ntt' | 'coefficient';
}

export interface MulPlainMeasurement {
  multiplications: number;
  slotsPerMultiplication: number;
  ms: number;
}

export type HeTask =
  | { kind: 'group-aggregate'; input: GroupAggregateInput }
  | { kind: 'id-set-match'; input: IdSetMatchInput }
  | { kind: 'linear-score'; input: LinearScoreInput }
  | { kind: 'measure-mul-plain'; input: MulPlainProbe };

export interface HeTaskResults {
  'group-aggregate': GroupAggregateResult;
  'id-set-match': IdSetMatchResult;
  'linear-score': LinearScoreResult;
  'measure-mul-plain': MulPlainMeasurement;
}

export type HeTaskKind = HeTask['kind'];

/** A task's result with what it cost: for logs and metering, never for the buyer. */
export interface HeTaskOutcome<K extends HeTaskKind = HeTaskKind> {
  result: HeTaskResults[K];
  ms: number;
  cache: { plaintextHits: number; plaintextMisses: number; keyHits: number; keyMisses: number };
}

async function measureMulPlain({ durationMs, form }: MulPlainProbe): Promise<MulPlainMeasurement> {
  if (!(durationMs > 0 && durationMs <= 60_000)) throw new RangeError('durationMs must be in (0, 60000]');
  const { seal, bfv } = await getHeContext();
  const scope = new HandleScope();
  try {
    const generator = scope.own(new seal.KeyGenerator(bfv.context));
    const publicKey = scope.own(generator.createPublicKey());
    const plain = scope.own(new seal.Plaintext());
    bfv.batchEncoder!.encode(uniformBelow(bfv.plainModulus, bfv.slots), plain);
    const cipher = scope.own(new seal.Ciphertext());
    scope.own(new seal.Encryptor(bfv.context, publicKey)).encrypt(plain, cipher);
    if (form === 'ntt') {
      bfv.evaluator.plainTransformToNttInplace(plain, scope.own(cipher.parmsId()));
      bfv.evaluator.cipherTransformToNttInplace(cipher);
    }
    const product = scope.own(new seal.Ciphertext());
    let multiplications = 0;
    const start = performance.now();
    while (performance.now() - start < durationMs) {
      for (let batch = 0; batch < 8; batch++) bfv.evaluator.multiplyPlain(cipher, plain, product);
      multiplications += 8;
    }
    return { multiplications, slotsPerMultiplication: bfv.slots, ms: performance.now() - start };
  } finally {
    scope.deleteAll();
  }
}

function dispatch(task: HeTask, caches: EvaluationCaches): Promise<HeTaskResults[HeTaskKind]> {
  switch (task.kind) {
    case 'group-aggregate':
      return evaluateGroupAggregate(task.input, { caches });
    case 'id-set-match':
      return evaluateIdSetMatch(task.input, { caches });
    case 'linear-score':
      return evaluateLinearScore(task.input, { caches });
    case 'measure-mul-plain':
      return measureMulPlain(task.input);
    default:
      throw new TypeError(`unknown HE task ${(task as { kind?: unknown }).kind}`);
  }
}

/**
 * Runs one task. The cache figures in the outcome are exact when tasks run one at a time on
 * these caches, as in a pool worker.
 */
export async function runHeTask<K extends HeTaskKind>(
  task: Extract<HeTask, { kind: K }>,
  caches: EvaluationCaches = {},
): Promise<HeTaskOutcome<K>> {
  const before = { plaintexts: caches.plaintexts?.stats(), keys: caches.keys?.stats() };
  const start = performance.now();
  const result = (await dispatch(task, caches)) as HeTaskResults[K];
  const ms = performance.now() - start;
  const after = { plaintexts: caches.plaintexts?.stats(), keys: caches.keys?.stats() };
  const delta = (cache: 'plaintexts' | 'keys', field: 'hits' | 'misses') =>
    (after[cache]?.[field] ?? 0) - (before[cache]?.[field] ?? 0);
  return {
    result,
    ms,
    cache: {
      plaintextHits: delta('plaintexts', 'hits'),
      plaintextMisses: delta('plaintexts', 'misses'),
      keyHits: delta('keys', 'hits'),
      keyMisses: delta('keys', 'misses'),
    },
  };
}
