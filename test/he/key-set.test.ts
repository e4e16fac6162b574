import { beforeAll, describe, expect, it } from 'vitest';
import { HeClientError, type HeClientErrorCode } from '../../sdk/he/errors.ts';
import { exportKeySet, generateKeySet, importKeySet, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptAggregate, encryptSelection } from '../../sdk/he/private-aggregate.ts';
import { evaluateGroupAggregate } from '../../server/privacy/he/evaluate.ts';

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
    expect(restored.publicBundle()).toEqual(buyer.publicBundle());
    const selection = await encryptSelection(buyer, 8, [1, 6]);
    const result = await evaluateGroupAggregate({
      keys: buyer.publicBundle(),
      selection,
      groupTotals: [1n, 20n, 300n, 4_000n, 50_000n, 600_000n, 7_000_000n, 80_000_000n],
    });
    expect(await decryptAggregate(restored, result)).toBe(7_000_020n);
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

describe('encryptSelection', () => {
  it('refuses indexes outside the groups and group counts beyond the key set', async () => {
    expect(await clientRefusal(encryptSelection(buyer, 8, [8]))).toBe('INVALID_SELECTION');
    expect(await clientRefusal(encryptSelection(buyer, 8, [2, 2]))).toBe('INVALID_SELECTION');
    expect(await clientRefusal(encryptSelection(buyer, 9, [0]))).toBe('INVALID_SELECTION');
  });

  it('needs a BFV key set', async () => {
    const ckks = await generateKeySet({ scheme: 'ckks', groupCapacity: 2 });
    expect(await clientRefusal(encryptSelection(ckks, 2, [0]))).toBe('UNSUPPORTED_SCHEME');
  });
});
