// The Pothos builder: plugins, context, auth scopes and scalars. Types live in the files
// beside this one, one per bounded context; schema.ts assembles them.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { AppError } from '../domain/errors.ts';
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
  relay: { clientMutationId: 'omit', cursorType: 'String' },
});

builder.scalarType('DateTime', {
  description: 'An ISO 8601 instant',
  serialize: (d) => d.toISOString(),
  parseValue: (v) => {
    const d = typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw new AppError('INVALID_INPUT', { message: 'not an ISO 8601 date-time' });
    return d;
  },
});

builder.scalarType('BigInt', {
  description: 'An integer of any size, as a decimal string (money is in fen, 分)',
  serialize: (n) => n.toString(),
  parseValue: (v) => {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    if (typeof v === 'string' && /^-?\d{1,78}$/.test(v)) return BigInt(v);
    throw new AppError('INVALID_INPUT', { message: 'not an integer' });
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (v) => v,
  parseValue: (v) => v,
});

builder.queryType({});
builder.mutationType({});
