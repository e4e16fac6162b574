// The exchange's typed refusals (the `AppError` result type) as a class clients can catch.

/** The ErrorCode enum of schema.graphql. Each code is stable; switch on it. */
export type ErrorCode =
  | 'CHECKS_FAILED'
  | 'CROSS_BORDER_DENIED'
  | 'DUPLICATE_CHAIN_ADDRESS'
  | 'DUPLICATE_CREDIT_CODE'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID_CREDIT_CODE'
  | 'INVALID_INPUT'
  | 'INVALID_PROOF'
  | 'INVALID_SHARES'
  | 'INVALID_STATE'
  | 'LICENCE_TERMS'
  | 'LIMIT_REACHED'
  | 'NOT_FOUND'
  | 'NOT_VERIFIED'
  | 'PROOF_MISMATCH'
  | 'PROOF_REPLAYED'
  | 'SALT_REUSED'
  | 'SCOPE_NOT_GRANTED'
  | 'UNAUTHENTICATED'
  | 'UNKNOWN_HOLDER';

export interface AppErrorResult {
  __typename: 'AppError';
  code: ErrorCode;
  message: string;
  field: string | null;
}

/** The selection every operation asks for on a union result. */
export const APP_ERROR_FIELDS = '... on AppError { code message field }';

/** A request the exchange refused; nothing was changed. */
export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, as a dotted path. */
    readonly field: string | null = null,
  ) {
    super(message);
  }

  static from(result: AppErrorResult): ExchangeError {
    return new ExchangeError(result.code, result.message, result.field);
  }
}
