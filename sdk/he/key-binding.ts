// How a key set is named and how its evaluation keys are bound to its public key. Both sides
// compute these over the exact bytes that travel (the decoded base64 of SEAL's save()).

import { concatBytes, sha256, sha256Hex } from './encoding.ts';

/** keyId: sha256 of the serialized public key, hex. */
export function keyIdOf(publicKey: Uint8Array): Promise<string> {
  return sha256Hex(publicKey);
}

/**
 * keysDigest: sha256(sha256(publicKey) ‖ sha256(relinKeys) ‖ sha256(galoisKeys)), hex.
 *
 * Nothing public proves that evaluation keys were made from the same secret key as the
 * public key (that is an RLWE decision problem), so the buyer's sdk states which keys belong
 * together and the server refuses a bundle whose parts no longer match that statement —
 * catching mixed-up uploads and stored bundles; the buyer is the only one a deliberate mix
 * could hurt, since only the buyer decrypts. The digest also names parsed keys in caches.
 */
export async function keysDigestOf(parts: {
  publicKey: Uint8Array;
  relinKeys: Uint8Array;
  galoisKeys: Uint8Array;
}): Promise<string> {
  const digests = await Promise.all([
    sha256(parts.publicKey),
    sha256(parts.relinKeys),
    sha256(parts.galoisKeys),
  ]);
  return sha256Hex(concatBytes(digests));
}
