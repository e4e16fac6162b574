// maskError (server/graphql/errors.ts): every refusal that cannot be a field's AppError result
// still reaches the client with a code; only unexpected errors are masked.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/domain/errors.ts';
import { maskError } from '../../server/graphql/errors.ts';

const located = (originalError: Error) => new GraphQLError(originalError.message, { path: ['field'], originalError });
const codeOf = (error: Error) => (error as GraphQLError).extensions?.code;

describe('maskError', () => {
  it('keeps the code of an AppError thrown outside a refusable field', () => {
    expect(codeOf(maskError(located(new AppError('FORBIDDEN')), 'Unexpected error.'))).toBe('FORBIDDEN');
  });
  it('gives INVALID_INPUT to an argument Pothos refuses and to a variable GraphQL cannot coerce', () => {
    expect(codeOf(maskError(located(new PothosValidationError('Invalid global ID: x')), 'Unexpected error.'))).toBe('INVALID_INPUT');
    expect(codeOf(maskError(new GraphQLError('Variable "$a" of required type "ID!" was not provided.'), 'Unexpected error.'))).toBe('INVALID_INPUT');
  });
  it('refuses a stack overflow on a deeply nested operation as QUERY_TOO_DEEP, with HTTP 400', () => {
    const masked = maskError(located(new RangeError('Maximum call stack size exceeded')), 'Unexpected error.') as GraphQLError;
    expect(masked.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', http: { status: 400 } });
  });
  it('masks anything else', () => {
    const masked = maskError(located(new TypeError('x is undefined')), 'Unexpected error.');
    expect([masked.message, codeOf(masked)]).toEqual(['Unexpected error.', 'INTERNAL_SERVER_ERROR']);
  });
});
