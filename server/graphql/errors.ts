// How domain errors reach clients: every AppError becomes the `AppError` result type of the
// field that threw it, with its code from the documented ErrorCode enum. Anything else is an
// unexpected error and stays masked by yoga.
import { AppError, ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
import { builder } from './builder.ts';

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
