import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Parses a use case's input with its zod schema; the first problem becomes INVALID_INPUT naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new AppError('INVALID_INPUT', { field: field || undefined, message: field ? `${field}: ${issue.message}` : issue.message });
}
