// How domain errors reach clients: every AppError becomes the `AppError` result type of the
// field that threw it, with its code from the documented ErrorCode enum. An error no field can
// return as a result still gets a code (maskError below). Anything else is an unexpected error
// and stays masked by yoga.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { AppError, ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
import { builder } from './builder.ts';
import { limitError } from './limits/limit-error.ts';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Why a request was refused. Each code is stable; clients switch on it.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, description]) => [code, { value: code as ErrorCode, description }]),
  ) as Record<ErrorCode, { value: ErrorCode; description: string }>,
});

const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'A refusal the client can act on',
  fields: (t) => ({
    message: t.exposeString('message'),
  }),
});

builder.objectType(AppError, {
  name: 'AppError',
  description: 'A request the exchange refused: bad input, a missing permission, an unknown id or a forbidden transition. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AppError,
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    field: t.string({ nullable: true, description: 'The input field at fault, as a dotted path', resolve: (e) => e.field ?? null }),
  }),
});

/** The error at the bottom of a chain of wrapped errors. */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  return e;
}

/**
 * yoga's error masking, except for refusals that cannot become a field's AppError result: an
 * AppError thrown outside a refusable field (a scalar refusing a variable, a nested field)
 * keeps its code; a malformed argument Pothos refuses (a global id of the wrong shape or type,
 * a negative page size) and a variable that does not fit its type (GraphQL's own coercion, which
 * leaves no code) become INVALID_INPUT; a stack overflow on a deeply nested operation is
 * QUERY_TOO_DEEP. Anything else stays masked as unexpected.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const cause = rootCause(error);
  const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path, source: error.source, positions: error.positions } : {};
  if (cause instanceof AppError) {
    // A variable's refusal keeps GraphQL's prefix naming the variable.
    const text = error instanceof GraphQLError ? error.message : cause.message;
    return new GraphQLError(text, { ...located, extensions: { code: cause.code, ...(cause.field ? { field: cause.field } : {}) } });
  }
  if (cause instanceof PothosValidationError) return new GraphQLError(cause.message, { ...located, extensions: { code: 'INVALID_INPUT' } });
  // Nesting the operation limits do not count (inline fragments thousands deep) can still
  // overflow GraphQL's recursive validation or execution: a refusal, not an unexpected error.
  if (cause instanceof RangeError && cause.message.includes('call stack')) return limitError('QUERY_TOO_DEEP', 'the operation is nested too deeply to run');
  // Before execution (no path): variables GraphQL could not coerce. They come without a code.
  if (error instanceof GraphQLError && cause instanceof GraphQLError && !error.path && !error.extensions.code) {
    return new GraphQLError(error.message, { ...located, extensions: { ...error.extensions, code: 'INVALID_INPUT' } });
  }
  return yogaMaskError(error, message, isDev);
}
