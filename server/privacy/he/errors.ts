// The one error the HE layer throws for input it refuses; the GraphQL layer maps `code` to a
// typed error, and nothing has been evaluated or stored when it is thrown.

export type HeInputErrorCode =
  /** Not base64, not a SEAL ciphertext, or not a fresh size-2 ciphertext at the first level. */
  | 'MALFORMED_CIPHERTEXT'
  /** Made for other encryption parameters (fingerprint or parms_id differ, or another scheme). */
  | 'PARAMETER_MISMATCH'
  /** Larger than anything the parameters can produce; refused before it is decoded. */
  | 'OVERSIZED_INPUT'
  /** Keys that do not load, do not match their keyId/keysDigest, or lack a needed rotation. */
  | 'MALFORMED_KEY'
  /** The buyer's query does not fit the data: group or column count, domain size, salt, chunk count. */
  | 'INVALID_QUERY'
  /** The query breaks the dataset's policy: a declared ID-set smaller than the minimum. */
  | 'POLICY_VIOLATION'
  /**
   * The provider's data cannot be evaluated exactly: not integers/finite numbers, sums
   * outside the clipping bounds, or an aggregate (plus the noise margin) beyond the plain
   * modulus' signed range.
   */
  | 'TOTALS_OUT_OF_RANGE'
  /** The server-side policy or noise request is invalid (k < 1, ε ≤ 0, bounds reversed). */
  | 'INVALID_POLICY';

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

export const HE_INPUT_ERROR_CODES: readonly HeInputErrorCode[] = [
  'MALFORMED_CIPHERTEXT',
  'PARAMETER_MISMATCH',
  'OVERSIZED_INPUT',
  'MALFORMED_KEY',
  'INVALID_QUERY',
  'POLICY_VIOLATION',
  'TOTALS_OUT_OF_RANGE',
  'INVALID_POLICY',
];
