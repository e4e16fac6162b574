// The Pothos builder: plugins, context, auth scopes and scalars. Types live in the files
// beside this one, one per bounded context; schema.ts assembles them.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { AppError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { actsAs, type Viewer } from '../domain/participants/roles.ts';
import type { Services } from '../services.ts';
import type { Loaders } from './loaders.ts';

export interface GraphQLContext {
  viewer: Viewer | null;
  /** Why a bearer token that came with the request was refused, if one was. */
  authError: AppError | null;
  services: Services;
  loaders: Loaders;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  AuthScopes: {
    authenticated: boolean;
    verified: boolean;
    operator: boolean;
    regulator: boolean;
    provider: boolean;
    buyer: boolean;
    arbiter: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    BigInt: { Input: bigint; Output: bigint };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Errors first: an authorisation failure then becomes a typed result in the field's union.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  errors: { defaultTypes: [AppError], directResult: true },
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: !!ctx.viewer,
      verified: ctx.viewer?.participantStatus === 'verified',
      operator: actsAs(ctx.viewer, 'operator'),
      regulator: actsAs(ctx.viewer, 'regulator'),
      provider: actsAs(ctx.viewer, 'provider'),
      buyer: actsAs(ctx.viewer, 'buyer'),
      arbiter: actsAs(ctx.viewer, 'arbiter'),
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer ? new AppError('FORBIDDEN') : (ctx.authError ?? new AppError('UNAUTHENTICATED')),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node(id)/nodes(ids) with an id that names no node type, or whose key is not a uuid (every
    // node's is), answer null as for any id the caller cannot see, instead of failing in the
    // type lookup or in SQL. resolveNodes reads args.ids itself, so unknown ids are blanked there.
    nodeQueryOptions: { resolve: (_root, args, _ctx, info, resolveNode) => (isNodeId(args.id, info) ? resolveNode(args.id) : null) },
    nodesQueryOptions: {
      resolve: (_root, args, _ctx, info, resolveNodes) => {
        args.ids = args.ids.map((id) => (isNodeId(id, info) ? id : (null as unknown as typeof id)));
        return resolveNodes(args.ids);
      },
    },
  },
});

function isNodeId(id: { typename: string; id: string } | null, info: GraphQLResolveInfo): boolean {
  const type = id ? info.schema.getType(id.typename) : undefined;
  return !!id && isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node') && isUuid(id.id);
}

builder.scalarType('DateTime', {
  description: 'An ISO 8601 instant',
  serialize: (d) => d.toISOString(),
  parseValue: (v) => {
    const d = typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw new AppError('INVALID_INPUT', { message: 'not an ISO 8601 date-time' });
    // Beyond four-digit years the database cannot read the instant back (JS writes +039108-…).
    const year = d.getUTCFullYear();
    if (year < 1 || year > 9999) throw new AppError('INVALID_INPUT', { message: 'a date-time must fall in the years 0001 to 9999' });
    return d;
  },
});

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

builder.scalarType('BigInt', {
  description: 'An integer as a decimal string (money is in fen, 分); an input must fit in 64 bits',
  serialize: (n) => n.toString(),
  parseValue: (v) => {
    const n = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'string' && /^-?\d{1,78}$/.test(v) ? BigInt(v) : null;
    if (n === null) throw new AppError('INVALID_INPUT', { message: 'not an integer' });
    // Every BigInt input is stored in a 64-bit column; a wider one would fail in SQL.
    if (n < INT64_MIN || n > INT64_MAX) throw new AppError('INVALID_INPUT', { message: 'an integer must fit in 64 bits' });
    return n;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (v) => v,
  parseValue: (v) => v,
});

builder.queryType({});
builder.mutationType({});
