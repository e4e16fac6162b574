// A buyer's key pair as SEAL objects: the bytes a KeySet keeps (or an export carries) loaded under
// the scheme's context, owned by the caller's scope so its finally deletes them.
import type { MainModule, PublicKey, SecretKey } from 'node-seal';
import type { HandleScope } from './handle-scope.ts';
import type { SchemeRuntime } from './params.ts';

export function loadKeyPair(
  seal: MainModule,
  runtime: SchemeRuntime,
  scope: HandleScope,
  bytes: { secretKey: Uint8Array; publicKey: Uint8Array },
): { secretKey: SecretKey; publicKey: PublicKey } {
  const secretKey = scope.own(new seal.SecretKey());
  secretKey.loadFromArray(runtime.context, bytes.secretKey);
  const publicKey = scope.own(new seal.PublicKey());
  publicKey.loadFromArray(runtime.context, bytes.publicKey);
  return { secretKey, publicKey };
}
