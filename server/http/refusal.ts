// A refusal made by the HTTP layer before GraphQL runs (rate limit, CORS). Its body carries the
// code both ways: `errors[]` as a GraphQL answer for /graphql clients (sdk/graphql reads it) and
// `error` with `message` as the file routes (/deliveries, /regulator/audit-log.csv) answer.
import type { Response } from 'express';

export function sendRefusal(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: code, message, errors: [{ message, extensions: { code } }] });
}
