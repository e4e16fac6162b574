// Why a buyer-side HE operation refused its input or could not produce a result.

export type HeClientErrorCode =
  /** The key set or ciphertext was made for other encryption parameters. */
  | 'PARAMETER_MISMATCH'
  /** A ciphertext that does not decode or load. */
  | 'MALFORMED_CIPHERTEXT'
  /** An exported key set that does not parse, or whose parts do not belong together. */
  | 'MALFORMED_KEY_SET'
  /** Group count or selected indexes out of range for the key set. */
  | 'INVALID_SELECTION'
  /** The operation needs the other scheme (e.g. a group aggregate with a CKKS key set). */
  | 'UNSUPPORTED_SCHEME'
  /** The key set was not made for this query kind: its Galois keys lack the rotations. */
  | 'UNSUPPORTED_QUERY'
  /** Query parameters out of range: weights, identifiers, salt, domain size. */
  | 'INVALID_QUERY'
  /** The result's noise budget is exhausted: evaluated with keys not from this key set. */
  | 'UNDECRYPTABLE_RESULT'
  /** The passphrase does not open the exported key set. */
  | 'BAD_PASSPHRASE';

export class HeClientError extends Error {
  override readonly name = 'HeClientError';

  constructor(
    readonly code: HeClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
