// Who is calling, worked out once per request: the rate limiter, the body limit and the GraphQL
// context all need it, and authenticating an API key costs a database read.
import type { Request, Response } from 'express';
import type { AppError } from '../domain/errors.ts';
import type { Viewer } from '../domain/participants/roles.ts';

export interface Identity {
  viewer: Viewer | null;
  authError: AppError | null;
}

export type IdentityOf = (req: Request, res: Response) => Promise<Identity>;

export function memoisedIdentity(identify: (authorization: string | null) => Promise<Identity>): IdentityOf {
  return (req, res) => {
    const locals = res.locals as { identity?: Promise<Identity> };
    locals.identity ??= identify(req.get('authorization') ?? null);
    return locals.identity;
  };
}
