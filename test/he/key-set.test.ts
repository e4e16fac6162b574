import { beforeAll, describe, expect, it } from 'vitest';
import { HeClientError, type HeClientErrorCode } from '../../sdk/he/errors.ts';
import { exportKeySet, importKeySet } from '../../sdk/he/key-set-export.ts';
import { generateKeySet, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../sdk/he/private-aggregate.ts';
import { evaluateGroupAggregate } from '../../server/privacy/he/evaluate-group-aggregate.ts';

async function clientRefusal(promise: Promise<unknown>): Promise<HeClientErrorCode> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeClientError);
  return (error as HeClientError).code;
}

let buyer: KeySet;

beforeAll(async () => {
  buyer = await generateKeySet({ scheme: 'bfv', groupCapacity: 8 });
});

describe('exportKeySet / importKeySet', () => {
  it('restores a key set that decrypts what the original’s bundle was used for', async () => {
    const restored = await importKeySet(await exportKeySet(buyer));
    expect(restored.keyId).toBe(buyer.keyId);
    expect(restored.queries).toEqual(['group-aggregate']);
    expect(restored.publicBundle()).toEqual(buyer.publicBundle());
    const query = await encryptGroupSelection(buyer, 8, [1, 6]);
    const sums = [1n, 20n, 300n, 4_000n, 50_000n, 600_000n, 7_000_000n, 80_000_000n];
    const result = await evaluateGroupAggregate({
      keys: buyer.publicBundle(),
      query,
      groups: sums.map((sum) => ({ rows: 3, sum })),
      policy: { kThreshold: 1, selection: 'subset' },
    });
    expect(await decryptGroupAggregate(restored, result)).toMatchObject({ count: 6n, sum: 7_000_020n });
  });

  it('seals the secret key under a passphrase', async () => {
    const exported = await exportKeySet(buyer, 'correct horse battery staple');
    const plain = JSON.parse(await exportKeySet(buyer)) as { keySet: { secretKey: string } };
    expect(exported).not.toContain(plain.keySet.secretKey.slice(0, 64));
    const restored = await importKeySet(exported, 'correct horse battery staple');
    expect(restored.keyId).toBe(buyer.keyId);
    expect(await clientRefusal(importKeySet(exported, 'wrong'))).toBe('BAD_PASSPHRASE');
    expect(await clientRefusal(importKeySet(exported))).toBe('BAD_PASSPHRASE');
  });

  it('refuses an export whose public key does not belong to its secret key', async () => {
    const other = await generateKeySet({ scheme: 'bfv', groupCapacity: 2 });
    const mine = JSON.parse(await exportKeySet(buyer)) as { keySet: Record<string, unknown> };
    const theirs = JSON.parse(await exportKeySet(other)) as { keySet: Record<string, unknown> };
    mine.keySet.secretKey = theirs.keySet.secretKey;
    expect(await clientRefusal(importKeySet(JSON.stringify(mine)))).toBe('MALFORMED_KEY_SET');
  });

  it('refuses an export made for other parameters', async () => {
    const exported = JSON.parse(await exportKeySet(buyer)) as { keySet: Record<string, unknown> };
    exported.keySet.paramsFingerprint = 'ff'.repeat(32);
    expect(await clientRefusal(importKeySet(JSON.stringify(exported)))).toBe('PARAMETER_MISMATCH');
  });
});

describe('generateKeySet', () => {
  it('makes the Galois keys of the query kinds asked for, and refuses kinds of the other scheme', async () => {
    const both = await generateKeySet({ scheme: 'bfv', queries: ['group-aggregate', 'id-set-match'], groupCapacity: 8 });
    expect(both.queries).toEqual(['group-aggregate', 'id-set-match']);
    const restored = await importKeySet(await exportKeySet(both));
    expect(restored.queries).toEqual(both.queries);
    expect(await clientRefusal(generateKeySet({ scheme: 'bfv', queries: ['linear-score'] }))).toBe('UNSUPPORTED_SCHEME');
  });
});

describe('encryptGroupSelection', () => {
  it('refuses indexes outside the groups and group counts beyond the key set', async () => {
    expect(await clientRefusal(encryptGroupSelection(buyer, 8, [8]))).toBe('INVALID_SELECTION');
    expect(await clientRefusal(encryptGroupSelection(buyer, 8, [2, 2]))).toBe('INVALID_SELECTION');
    expect(await clientRefusal(encryptGroupSelection(buyer, 9, [0]))).toBe('INVALID_SELECTION');
  });

  it('needs a BFV key set made for the group aggregate', async () => {
    const ckks = await generateKeySet({ scheme: 'ckks' });
    expect(await clientRefusal(encryptGroupSelection(ckks, 2, [0]))).toBe('UNSUPPORTED_SCHEME');
    const idSetOnly = await generateKeySet({ scheme: 'bfv', queries: ['id-set-match'] });
    expect(await clientRefusal(encryptGroupSelection(idSetOnly, 2, [0]))).toBe('UNSUPPORTED_QUERY');
  });
});
