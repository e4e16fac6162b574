// The one error class of the exchange's business rules. Each code is documented here;
// server/graphql/errors.ts maps every code to the GraphQL error type clients receive.

export const ERROR_CODES = {
  /** The input has the wrong shape or an out-of-range value; `field` names it. */
  INVALID_INPUT: 'The input is malformed or out of range.',
  /** A 统一社会信用代码 failed its format or check digits. */
  INVALID_CREDIT_CODE: 'The unified social credit code is malformed or its check digit is wrong.',
  /** Another participant already registered this credit code. */
  DUPLICATE_CREDIT_CODE: 'An organisation with this unified social credit code is already registered.',
  /** Another participant already uses this chain address. */
  DUPLICATE_CHAIN_ADDRESS: 'This chain address belongs to another participant.',
  /** No record with this id (or none the caller may see). */
  NOT_FOUND: 'No such record.',
  /** No valid API key came with the request. */
  UNAUTHENTICATED: 'A valid API key is required.',
  /** The caller's roles or key scopes do not allow this. */
  FORBIDDEN: 'The caller is not allowed to do this.',
  /** The record is not in a state that allows this transition. */
  INVALID_STATE: 'The record is not in a state that allows this.',
  /** The participant has not been verified by the operator yet. */
  NOT_VERIFIED: 'The participant has not been verified by the operator.',
  /** The automated listing checks failed; `details.checks` lists every rule and its outcome. */
  CHECKS_FAILED: 'The automated compliance checks failed.',
  /** Shares of a right do not sum to 10,000 basis points, or a holder repeats. */
  INVALID_SHARES: 'The shares of each right must be positive and sum to 10,000 basis points.',
  /** A rights holder is unknown or not verified. */
  UNKNOWN_HOLDER: 'A rights holder is not a verified participant.',
  /** The buyer's available balance does not cover the amount. */
  INSUFFICIENT_FUNDS: 'The available balance does not cover this.',
  /** The same idempotency key was used before for a different request. */
  IDEMPOTENCY_CONFLICT: 'This idempotency key was already used for a different request.',
  /** The licence's terms (purpose, territory, access, term, quota) do not allow this. */
  LICENCE_TERMS: 'The licence does not allow this.',
  /** The cross-border rules (positive list, security assessment) do not allow this. */
  CROSS_BORDER_DENIED: 'Cross-border rules do not allow this order.',
  /** A rate or quota limit was reached. */
  LIMIT_REACHED: 'A quota or rate limit was reached.',
  /** An ID-set query reused a hashing salt already spent with its licence; ask for a fresh one (issueIdSetSalt). */
  SALT_REUSED: 'This ID-set salt was already used with this licence.',
  /** A compliance proof is malformed, or does not verify against its circuit's verification key. */
  INVALID_PROOF: 'The proof is malformed or does not verify.',
  /**
   * A compliance proof's public statement is not about this dataset version: another commitment
   * or row count, rules other than the declared ones, or a nonce the exchange did not issue for it.
   */
  PROOF_MISMATCH: 'The proof is about another dataset version, other rules or a nonce the exchange did not issue.',
  /** The same proof, the same statement for this version, or an audit nonce was submitted before. */
  PROOF_REPLAYED: 'This proof, or its statement for this version, was already submitted.',
  /** A scope asked for an API key exceeds the participant's roles. */
  SCOPE_NOT_GRANTED: 'The participant does not hold a role for this scope.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: { message?: string; field?: string; details?: Record<string, unknown> } = {}) {
    super(options.message ?? ERROR_CODES[code]);
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
