// CORS: only the origins in EXCHANGE_CORS_ORIGINS may call the API from a browser page of their
// own (none by default; the web UI is served from the same origin and needs no CORS). A
// preflight from any other origin is refused with 403; other requests from it get no
// Access-Control-Allow-Origin, so the browser keeps the answer from the page.
import type { RequestHandler } from 'express';
import { sendRefusal } from './refusal.ts';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, accept';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin) return next();
    res.vary('Origin');
    const isAllowed = allowed.has(origin);
    if (isAllowed) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', 'Retry-After');
    }
    const isPreflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!isPreflight) return next();
    if (!isAllowed) return sendRefusal(res, 403, 'CORS_ORIGIN_NOT_ALLOWED', `the origin ${origin} may not call this API from a browser`);
    res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}
