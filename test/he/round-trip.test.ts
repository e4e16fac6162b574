import { beforeAll, describe, expect, it } from 'vitest';
import { base64LengthFor, decodeBase64, encodeBase64 } from '../../sdk/he/encoding.ts';
import { HeClientError } from '../../sdk/he/errors.ts';
import { keysDigestOf } from '../../sdk/he/key-binding.ts';
import { exportKeySet, generateKeySet, type KeySet, type PublicKeyBundle } from '../../sdk/he/key-set.ts';
import { decryptAggregate, encryptSelection } from '../../sdk/he/private-aggregate.ts';
import { getHeContext, heReadiness } from '../../server/privacy/he/context.ts';
import { HeInputError, type HeInputErrorCode } from '../../server/privacy/he/errors.ts';
import { evaluateGroupAggregate } from '../../server/privacy/he/evaluate.ts';
import {
  compressionBomb,
  decryptSlots,
  encryptSlots,
  noiseBudget,
  selectionUnderOtherParameters,
} from './seal-fixtures.ts';

const GROUPS = 64;

// Per-group totals in fen, as the provider's database would aggregate them.
const groupTotals = Array.from({ length: GROUPS }, (_, group) => BigInt(1_000_003 * (group + 1) + group * group));

function sumOf(indexes: readonly number[], totals: readonly bigint[] = groupTotals): bigint {
  return indexes.reduce((sum, index) => sum + totals[index]!, 0n);
}

async function refusal(promise: Promise<unknown>): Promise<HeInputErrorCode> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeInputError);
  return (error as HeInputError).code;
}

let buyer: KeySet;
let otherBuyer: KeySet;
let bundle: PublicKeyBundle;
let validSelection: string;

beforeAll(async () => {
  [buyer, otherBuyer] = await Promise.all([
    generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS }),
    generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS }),
  ]);
  bundle = buyer.publicBundle();
  validSelection = await encryptSelection(buyer, GROUPS, [0, 5]);
});

describe('HE context', () => {
  it('is built once per process', async () => {
    const first = getHeContext();
    expect(getHeContext()).toBe(first);
    expect(await getHeContext()).toBe(await first);
  });

  it('reports both parameter sets as ready at 128-bit security', async () => {
    const readiness = await heReadiness();
    expect(readiness.ready).toBe(true);
    expect(readiness.error).toBeUndefined();
    expect(readiness.schemes.map(({ scheme, polyModulusDegree, slots, securityLevel }) => ({
      scheme,
      polyModulusDegree,
      slots,
      securityLevel,
    }))).toEqual([
      { scheme: 'bfv', polyModulusDegree: 8192, slots: 8192, securityLevel: 128 },
      { scheme: 'ckks', polyModulusDegree: 8192, slots: 4096, securityLevel: 128 },
    ]);
  });

  it('binds key sets to the server’s parameters by fingerprint', async () => {
    const { bfv } = await getHeContext();
    expect(bundle.paramsFingerprint).toBe(bfv.fingerprint);
    expect(bfv.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('private group aggregate', () => {
  it('returns a single selected group’s total to the buyer', async () => {
    const selection = await encryptSelection(buyer, GROUPS, [41]);
    const result = await evaluateGroupAggregate({ keys: bundle, selection, groupTotals });
    expect(await decryptAggregate(buyer, result)).toBe(groupTotals[41]);
  });

  it('sums a set of selected groups out of 64', async () => {
    const selected = [0, 1, 2, 7, 13, 21, 34, 40, 55, 62, 63];
    const selection = await encryptSelection(buyer, GROUPS, selected);
    const result = await evaluateGroupAggregate({ keys: bundle, selection, groupTotals });
    expect(await decryptAggregate(buyer, result)).toBe(sumOf(selected));
  });

  it('returns zero for an empty selection and everything for a full one', async () => {
    const none = await encryptSelection(buyer, GROUPS, []);
    const all = await encryptSelection(buyer, GROUPS, groupTotals.keys());
    const [noneResult, allResult] = await Promise.all([
      evaluateGroupAggregate({ keys: bundle, selection: none, groupTotals }),
      evaluateGroupAggregate({ keys: bundle, selection: all, groupTotals }),
    ]);
    expect(await decryptAggregate(buyer, noneResult)).toBe(0n);
    expect(await decryptAggregate(buyer, allResult)).toBe(sumOf([...groupTotals.keys()]));
  });

  it('aggregates a single group with no rotation', async () => {
    const selection = await encryptSelection(buyer, 1, [0]);
    const result = await evaluateGroupAggregate({ keys: bundle, selection, groupTotals: [123_456_789n] });
    expect(await decryptAggregate(buyer, result)).toBe(123_456_789n);
  });

  it('sums across both rows of the batch, all 8192 slots, with noise budget to spare', async () => {
    const { bfv } = await getHeContext();
    const wide = await generateKeySet({ scheme: 'bfv', groupCapacity: bfv.slots });
    // The worst case for noise: every slot selected, totals spread over the whole range.
    const totals = Array.from({ length: bfv.slots }, (_, group) => bfv.maxExactSum / BigInt(bfv.slots) - BigInt(group));
    const selection = await encryptSelection(wide, bfv.slots, totals.keys());
    const result = await evaluateGroupAggregate({ keys: wide.publicBundle(), selection, groupTotals: totals });
    expect(await decryptAggregate(wide, result)).toBe(totals.reduce((sum, total) => sum + total, 0n));
    expect(await noiseBudget(wide, result)).toBeGreaterThanOrEqual(10);
  });

  it('decrypts exactly up to the largest exact aggregate, above 2^40', async () => {
    const { bfv } = await getHeContext();
    expect(bfv.maxExactSum).toBeGreaterThan(2n ** 40n);
    const totals = [bfv.maxExactSum - 5n, 2n, 3n];
    const selection = await encryptSelection(buyer, 3, [0, 1, 2]);
    const result = await evaluateGroupAggregate({ keys: bundle, selection, groupTotals: totals });
    expect(await decryptAggregate(buyer, result)).toBe(bfv.maxExactSum);
  });

  it('refuses totals whose sum could wrap around the plain modulus, or negative totals', async () => {
    const { bfv } = await getHeContext();
    const tooLarge = [bfv.maxExactSum, 1n];
    expect(await refusal(evaluateGroupAggregate({ keys: bundle, selection: validSelection, groupTotals: tooLarge }))).toBe(
      'TOTALS_OUT_OF_RANGE',
    );
    expect(await refusal(evaluateGroupAggregate({ keys: bundle, selection: validSelection, groupTotals: [5n, -1n] }))).toBe(
      'TOTALS_OUT_OF_RANGE',
    );
  });

  it('turns a selection that is not 0/1 into noise instead of packed totals', async () => {
    // s = (1, 2^20, 2^40 mod t) would pack three totals into one answer if it were summed.
    const small = [11n, 22n, 33n];
    const crafted = await encryptSlots(buyer, [1n, 1n << 20n, 1n << 40n]);
    const result = await evaluateGroupAggregate({ keys: bundle, selection: crafted, groupTotals: small });
    const { bfv } = await getHeContext();
    const packed = (11n + 22n * (1n << 20n) + 33n * (1n << 40n)) % bfv.plainModulus;
    expect(await decryptAggregate(buyer, result)).not.toBe(packed);
  });

  it('reveals slot 0 only: the partial sums in other slots are masked', async () => {
    const selection = await encryptSelection(buyer, GROUPS, groupTotals.keys());
    const result = await evaluateGroupAggregate({ keys: bundle, selection, groupTotals });
    const slots = await decryptSlots(buyer, result);
    expect(slots[0]).toBe(sumOf([...groupTotals.keys()]));
    // Unmasked, slot 1 would be Σ totals[1..63] and slot 0 − slot 1 would be totals[0].
    expect(slots[0]! - slots[1]!).not.toBe(groupTotals[0]);
    // Masked slots are uniform below t ≈ 2^41: barely any fall below the largest partial sum.
    const small = slots.subarray(1).filter((value) => value <= sumOf([...groupTotals.keys()]));
    expect(small.length).toBeLessThan(16);
  });
});

describe('public key bundle', () => {
  it('holds public material only, no secret key bytes', async () => {
    const exported = JSON.parse(await exportKeySet(buyer)) as { keySet: { secretKey: string } };
    const secretKeyB64 = exported.keySet.secretKey;
    expect(secretKeyB64.length).toBeGreaterThan(1000);
    expect(Object.keys(bundle).sort()).toEqual(
      ['galoisKeys', 'keyId', 'keysDigest', 'paramsFingerprint', 'publicKey', 'relinKeys', 'scheme'].sort(),
    );
    const serialized = JSON.stringify(bundle);
    expect(serialized).not.toContain(secretKeyB64);
    expect(JSON.stringify(buyer)).toBe(serialized);
    // Nor any 48-byte run of the secret key, in base64 or in the decoded key blobs.
    const secretKey = decodeBase64(secretKeyB64)!;
    const blobs = [bundle.publicKey, bundle.relinKeys, bundle.galoisKeys].map((b64) =>
      Buffer.from(decodeBase64(b64)!),
    );
    for (let offset = 64; offset + 48 <= secretKey.length; offset += Math.floor(secretKey.length / 16)) {
      const run = secretKey.subarray(offset, offset + 48);
      expect(serialized).not.toContain(encodeBase64(run));
      for (const blob of blobs) expect(blob.includes(Buffer.from(run))).toBe(false);
    }
  });

  it('names the key set by the sha256 of its public key', async () => {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', Buffer.from(decodeBase64(bundle.publicKey)!));
    expect(bundle.keyId).toBe(Buffer.from(digest).toString('hex'));
    expect(buyer.keyId).toBe(bundle.keyId);
  });
});

describe('evaluateGroupAggregate refuses bad input', () => {
  const evaluate = (selection: string, keys: PublicKeyBundle = bundle) =>
    refusal(evaluateGroupAggregate({ keys, selection, groupTotals }));

  it('random bytes as the selection', async () => {
    const random = encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(4096)));
    expect(await evaluate(random)).toBe('MALFORMED_CIPHERTEXT');
  });

  it('a truncated ciphertext', async () => {
    const bytes = decodeBase64(validSelection)!;
    expect(await evaluate(encodeBase64(bytes.subarray(0, bytes.length >> 1)))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('a ciphertext whose compressed body is corrupt', async () => {
    const bytes = decodeBase64(validSelection)!.slice();
    const middle = bytes.length >> 1;
    bytes.set([bytes[middle]! ^ 0xff, bytes[middle + 1]! ^ 0xff], middle);
    expect(await evaluate(encodeBase64(bytes))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('an empty selection or one that is not base64', async () => {
    expect(await evaluate('')).toBe('MALFORMED_CIPHERTEXT');
    expect(await evaluate('not base64!')).toBe('MALFORMED_CIPHERTEXT');
  });

  it('an oversized selection, before decoding it', async () => {
    const { bfv } = await getHeContext();
    expect(await evaluate('A'.repeat(base64LengthFor(bfv.limits.ciphertext) + 4))).toBe('OVERSIZED_INPUT');
  });

  it('a small upload that would inflate past the size limit', async () => {
    expect(await evaluate(await compressionBomb(64 * 1024 * 1024))).toBe('OVERSIZED_INPUT');
  });

  it('more groups than a ciphertext has slots', async () => {
    const { bfv } = await getHeContext();
    const totals = Array.from({ length: bfv.slots + 1 }, () => 1n);
    expect(
      await refusal(evaluateGroupAggregate({ keys: bundle, selection: validSelection, groupTotals: totals })),
    ).toBe('OVERSIZED_INPUT');
  });

  it('a ciphertext made under other parameters', async () => {
    expect(await evaluate(await selectionUnderOtherParameters())).toBe('PARAMETER_MISMATCH');
  });

  it('a key bundle made for other parameters', async () => {
    const ckks = (await generateKeySet({ scheme: 'ckks', groupCapacity: 2 })).publicBundle();
    expect(await evaluate(validSelection, ckks)).toBe('PARAMETER_MISMATCH');
    expect(await evaluate(validSelection, { ...bundle, paramsFingerprint: '00'.repeat(32) })).toBe(
      'PARAMETER_MISMATCH',
    );
  });

  it('Galois keys from another key set', async () => {
    const mixed = { ...bundle, galoisKeys: otherBuyer.publicBundle().galoisKeys };
    expect(await evaluate(validSelection, mixed)).toBe('MALFORMED_KEY');
  });

  it('a public key that is not the one keyId names', async () => {
    const mixed = { ...bundle, publicKey: otherBuyer.publicBundle().publicKey };
    expect(await evaluate(validSelection, mixed)).toBe('MALFORMED_KEY');
  });

  it('Galois keys that do not cover the group count', async () => {
    const narrow = await generateKeySet({ scheme: 'bfv', groupCapacity: 4 });
    const selection = await encryptSelection(narrow, 4, [0]);
    const code = await refusal(
      evaluateGroupAggregate({ keys: narrow.publicBundle(), selection, groupTotals }),
    );
    expect(code).toBe('MALFORMED_KEY');
  });

  it('key bytes that are not SEAL keys', async () => {
    const galoisKeys = encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(1024)));
    const parts = {
      publicKey: decodeBase64(bundle.publicKey)!,
      relinKeys: decodeBase64(bundle.relinKeys)!,
      galoisKeys: decodeBase64(galoisKeys)!,
    };
    const forged = { ...bundle, galoisKeys, keysDigest: await keysDigestOf(parts) };
    expect(await evaluate(validSelection, forged)).toBe('MALFORMED_KEY');
  });
});

describe('decryptAggregate', () => {
  it('refuses a result evaluated with someone else’s Galois keys, even with a recomputed digest', async () => {
    // A deliberate mix passes the server's digest check; the buyer still notices.
    const galoisKeys = otherBuyer.publicBundle().galoisKeys;
    const keysDigest = await keysDigestOf({
      publicKey: decodeBase64(bundle.publicKey)!,
      relinKeys: decodeBase64(bundle.relinKeys)!,
      galoisKeys: decodeBase64(galoisKeys)!,
    });
    const selection = await encryptSelection(buyer, GROUPS, [3]);
    const result = await evaluateGroupAggregate({
      keys: { ...bundle, galoisKeys, keysDigest },
      selection,
      groupTotals,
    });
    const error = await decryptAggregate(buyer, result).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeClientError);
    expect((error as HeClientError).code).toBe('UNDECRYPTABLE_RESULT');
  });
});
