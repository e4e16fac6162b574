// Recognises PostgreSQL's unique_violation (23505) from either driver, through drizzle's wrapper.

/** The violated constraint's name, or null when the error is something else. */
export function isUniqueViolation(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: string; constraint?: string; constraint_name?: string; detail?: string; message?: string };
    if (x.code === '23505') return x.constraint ?? x.constraint_name ?? constraintFromMessage(x.message) ?? 'unknown';
  }
  return null;
}

function constraintFromMessage(message: string | undefined): string | null {
  const m = message && /unique constraint "([^"]+)"/.exec(message);
  return m ? m[1]! : null;
}
