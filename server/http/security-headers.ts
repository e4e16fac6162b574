// Security headers on every response. The Content-Security-Policy fits the Vite-built web UI:
// its scripts, styles, workers and SEAL's wasm all come from this origin ('wasm-unsafe-eval'
// lets the HE worker compile SEAL; nothing needs inline script), the icon is a data: URL and
// downloads are blob: URLs. GraphiQL (GET /graphql from a browser) loads its editor from unpkg
// with inline script, so its page gets a policy of its own. X-Powered-By is off (app.ts).
import type { RequestHandler } from 'express';

const APP_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const GRAPHIQL_CDN = 'https://unpkg.com';
const GRAPHIQL_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline' ${GRAPHIQL_CDN}`,
  `style-src 'self' 'unsafe-inline' ${GRAPHIQL_CDN}`,
  `img-src 'self' data: blob: ${GRAPHIQL_CDN} https://raw.githubusercontent.com`,
  `font-src 'self' data: ${GRAPHIQL_CDN}`,
  `connect-src 'self' ${GRAPHIQL_CDN}`,
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(options: { graphqlPath: string; hstsMaxAgeSeconds: number }): RequestHandler {
  return (req, res, next) => {
    const isGraphiql = req.method === 'GET' && req.path === options.graphqlPath && (req.get('accept') ?? '').includes('text/html');
    res.set('Content-Security-Policy', isGraphiql ? GRAPHIQL_POLICY : APP_POLICY);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('X-Frame-Options', 'DENY');
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.hstsMaxAgeSeconds > 0) res.set('Strict-Transport-Security', `max-age=${options.hstsMaxAgeSeconds}`); // this host only: subdomains are the operator's call
    next();
  };
}
