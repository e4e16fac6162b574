// The one error the HE layer throws for input it refuses; the GraphQL layer maps `code` to a
// typed error, and nothing has been evaluated or stored when it is thrown.

export type HeInputErrorCode =
  /** Not base64, not a SEAL ciphertext, or not a fresh size-2 BFV ciphertext at the first level. */
  | 'MALFORMED_CIPHERTEXT'
  /** Made for other encryption parameters (fingerprint or parms_id differ, or another scheme). */
  | 'PARAMETER_MISMATCH'
  /** Larger than anything the parameters can produce; refused before it is decoded. */
  | 'OVERSIZED_INPUT'
  /** Keys that do not load, do not match their keyId/keysDigest, or lack a needed rotation. */
  | 'MALFORMED_KEY'
  /** Group totals that are not non-negative bigints, or whose sum could reach the plain modulus. */
  | 'TOTALS_OUT_OF_RANGE';

export class HeInputError extends Error {
  override readonly name = 'HeInputError';

  constructor(
    readonly code: HeInputErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
