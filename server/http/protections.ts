// The API's protections, wired from the configuration (README "Production settings"): what
// runs in express before any route, and what yoga adds around each GraphQL request.
import type { RequestHandler } from 'express';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { useOperationLimits } from '../graphql/limits/use-operation-limits.ts';
import { loadOperationAllowList } from '../graphql/operation-allow-list.ts';
import { usePersistedOperations } from '../graphql/persisted-operations.ts';
import { useBodyLimit } from './body-limit.ts';
import { cors } from './cors.ts';
import { rateLimit } from './rate-limit.ts';
import type { IdentityOf } from './request-identity.ts';
import { securityHeaders } from './security-headers.ts';

/** The paths that reach the exchange's data (the web UI's files and /health are not limited). */
export const RATE_LIMITED_PATHS = ['/graphql', '/deliveries', '/regulator', '/catalog'];

export function httpProtections(config: Config, identityOf: IdentityOf): { everyResponse: RequestHandler[]; rateLimit: RequestHandler } {
  return {
    everyResponse: [securityHeaders({ graphqlPath: '/graphql', hstsMaxAgeSeconds: config.protection.hstsMaxAgeSeconds }), cors(config.protection.corsOrigins)],
    rateLimit: rateLimit(config.protection.rateLimit, identityOf),
  };
}

export function graphqlProtections(config: Config, identityOf: IdentityOf): Plugin[] {
  return [
    useBodyLimit({ bodyBytes: config.protection.maxBodyBytes, uploadBytes: config.protection.maxUploadBytes }, identityOf) as Plugin,
    usePersistedOperations({ mode: config.graphql.persistedOperations, allowList: loadOperationAllowList() }),
    useOperationLimits(config.graphql),
  ];
}
