import { AppError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a client is checked before it reaches SQL, so a bad one is NOT_FOUND, not a crash. */
export function requireUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new AppError('NOT_FOUND', { field });
  return value.toLowerCase();
}

/** Whether a client's id is a UUID at all (loaders drop the ones that are not, as unknown). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
