// How an evaluator turns its result ciphertext into the answer it returns. BFV: the answer
// slots get their last plaintext terms (the oblivious checks' offsets and the privacy noise),
// every other slot a uniform mask — they hold partial sums that would otherwise let the buyer
// difference out single group totals; then a fresh encryption of zero under the buyer's key
// re-randomizes the ciphertext, and it is switched down the modulus chain, which rounds away
// low-order noise and shrinks the response. CKKS answers hold their total in every slot, so
// they need no mask: they are re-randomized the same way.
//
// Limit: the remaining noise still depends on the computation (SEAL offers no noise flooding,
// and the parameters leave no budget for it).

import type { Ciphertext, PublicKey } from 'node-seal';
import type { HandleScope } from '../../../sdk/he/handle-scope.ts';
import { BFV_PARAMETERS } from '../../../sdk/he/params.ts';
import type { HeContext } from './context.ts';
import { uniformBelow } from './csprng.ts';

const RESPONSE_COMPRESSION = 'zstd';

function serialize({ seal }: HeContext, cipher: Ciphertext): string {
  const saved = cipher.saveToArray(seal.ComprModeType[RESPONSE_COMPRESSION]) as Uint8Array;
  return Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength).toString('base64');
}

/**
 * Adds `answerTerms` (slot → signed value) to the answer slots and a uniform mask to all
 * others, re-randomizes, switches down to the response level, and serializes. Consumes `result`.
 */
export function sealBfvAnswer(
  he: HeContext,
  result: Ciphertext,
  publicKey: PublicKey,
  answerTerms: ReadonlyMap<number, bigint>,
  scope: HandleScope,
): string {
  const { seal, bfv } = he;
  const t = bfv.plainModulus;
  const mask = uniformBelow(t, bfv.slots);
  for (const [slot, value] of answerTerms) mask[slot] = ((value % t) + t) % t;
  const plain = scope.own(new seal.Plaintext());
  bfv.batchEncoder!.encode(mask, plain);
  bfv.evaluator.addPlainInplace(result, plain);
  const zero = scope.own(new seal.Ciphertext());
  scope.own(new seal.Encryptor(bfv.context, publicKey)).encryptZero(zero);
  bfv.evaluator.addInplace(result, zero);
  for (let level = bfv.firstLevel.chainIndex; level > BFV_PARAMETERS.responseChainIndex; level--) {
    bfv.evaluator.cipherModSwitchToNextInplace(result);
  }
  return serialize(he, result);
}

/** Re-randomizes a CKKS answer with a fresh encryption of zero at its level and scale, and serializes it. */
export function sealCkksAnswer(he: HeContext, result: Ciphertext, publicKey: PublicKey, scope: HandleScope): string {
  const { seal, ckks } = he;
  const zero = scope.own(new seal.Ciphertext());
  scope.own(new seal.Encryptor(ckks.context, publicKey)).encryptZero(zero);
  const level = scope.own(result.parmsId());
  ckks.evaluator.cipherModSwitchToInplace(zero, level);
  zero.setScale(result.scale());
  ckks.evaluator.addInplace(result, zero);
  return serialize(he, result);
}
