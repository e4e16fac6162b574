// 可用不可见: encrypted queries. Buyers upload public HE keys once, submit encrypted queries
// under a licence, and fetch encrypted answers that only their own secret key opens.
import { issueIdSetSalt, type IdSetSaltRow } from '../domain/queries/issue-id-set-salt.ts';
import { getEncryptedQuery, listEncryptedQueries, listKeySets } from '../domain/queries/find-queries.ts';
import { getLicence } from '../domain/trading/find-trading.ts';
import { QUERY_KINDS, type QueryKind } from '../domain/queries/query-params.ts';
import { submitEncryptedQuery, type EncryptedQueryRow } from '../domain/queries/submit-encrypted-query.ts';
import { uploadKeySet } from '../domain/queries/upload-key-set.ts';
import { builder } from './builder.ts';
import { watch } from './subscriptions.ts';
import { LicenceRef } from './trading.ts';

const QueryKindEnum = builder.enumType('EncryptedQueryKind', {
  values: Object.fromEntries(QUERY_KINDS.map((k) => [k.toUpperCase().replace(/-/g, '_'), { value: k }])) as Record<string, { value: QueryKind }>,
});
const QueryStatusEnum = builder.enumType('EncryptedQueryStatus', {
  values: { QUEUED: { value: 'queued' }, RUNNING: { value: 'running' }, DONE: { value: 'done' }, FAILED: { value: 'failed' } } as const,
});

const KeySetRef = builder.objectRef<{ keyId: string; scheme: string; bytes: number; createdAt: Date; revokedAt: Date | null }>('HeKeySet').implement({
  description: 'The public half of a buyer’s HE key set (public, relinearisation and Galois keys); the secret key never leaves the buyer',
  fields: (t) => ({
    keyId: t.exposeString('keyId'),
    scheme: t.exposeString('scheme'),
    bytes: t.exposeInt('bytes'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const decode = (bytes: Uint8Array | null) => (bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null);

export const EncryptedQueryRef = builder.objectRef<EncryptedQueryRow>('EncryptedQuery').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: QueryKindEnum, resolve: (q) => q.kind as QueryKind }),
    status: t.field({ type: QueryStatusEnum, resolve: (q) => q.status }),
    params: t.field({ type: 'JSON', resolve: (q) => q.params }),
    keyId: t.exposeString('keyId'),
    licence: t.field({ type: LicenceRef, nullable: true, resolve: (q, _a, ctx) => getLicence({ db: ctx.services.db, actor: ctx.viewer, id: q.licenceId }).catch(() => null) }),
    /** The encrypted answer (sdk/he/query-result.ts HeQueryResult): decrypt it with the sdk. */
    result: t.field({ type: 'JSON', nullable: true, description: 'The encrypted answer; decrypt it with the buyer’s sdk', resolve: (q) => decode(q.result) }),
    resultMeta: t.field({ type: 'JSON', nullable: true, description: 'Suppressed groups, noise disclosure, evaluation time', resolve: (q) => q.resultMeta ?? null }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const IdSetSaltRef = builder.objectRef<IdSetSaltRow>('IdSetSalt').implement({
  description: 'A hashing salt for one private ID-set match under a licence: pass it to the sdk (encryptIdSet salt); a second query with it is refused (SALT_REUSED)',
  fields: (t) => ({
    salt: t.exposeString('salt'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  encryptedQuery: t.field({
    type: EncryptedQueryRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => getEncryptedQuery({ db: ctx.services.db, actor: ctx.viewer, id: String(args.id) }),
  }),
  myEncryptedQueries: t.field({
    type: [EncryptedQueryRef],
    authScopes: { authenticated: true },
    errors: {},
    args: { first: t.arg.int(), before: t.arg({ type: 'DateTime' }) },
    resolve: (_r, args, ctx) => listEncryptedQueries({ db: ctx.services.db, actor: ctx.viewer, first: args.first ?? 50, before: args.before ?? undefined }),
  }),
  myHeKeySets: t.field({
    type: [KeySetRef],
    authScopes: { authenticated: true },
    errors: {},
    resolve: (_r, _a, ctx) => listKeySets({ db: ctx.services.db, actor: ctx.viewer }),
  }),
}));

builder.mutationFields((t) => ({
  uploadHeKeySet: t.field({
    type: KeySetRef,
    description: 'Upload the public bundle of a key set (sdk/he publicBundle, as JSON). Idempotent per key id.',
    authScopes: { buyer: true },
    errors: {},
    args: { bundle: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => uploadKeySet({ db: ctx.services.db, actor: ctx.viewer, bundle: args.bundle }),
  }),
  issueIdSetSalt: t.field({
    type: IdSetSaltRef,
    description: 'A fresh salt for the next ID-set query under this licence; each salt serves one query',
    authScopes: { buyer: true },
    errors: {},
    args: { licenceId: t.arg.globalID({ required: true, for: LicenceRef }) },
    resolve: (_r, args, ctx) => issueIdSetSalt({ db: ctx.services.db, actor: ctx.viewer, licenceId: args.licenceId.id }),
  }),
  submitEncryptedQuery: t.field({
    type: EncryptedQueryRef,
    description: 'Queue an encrypted query under a licence; poll encryptedQuery or subscribe to encryptedQueryStatus for the answer',
    authScopes: { authenticated: true },
    errors: {},
    args: {
      licenceId: t.arg.globalID({ required: true, for: LicenceRef }),
      keyId: t.arg.string({ required: true }),
      kind: t.arg({ type: QueryKindEnum, required: true }),
      params: t.arg({ type: 'JSON', required: true, description: 'Column names: { groupColumn, valueColumn } | { keyColumn, valueColumn } | { groupColumn, columns }' }),
      query: t.arg({ type: 'JSON', required: true, description: 'The encrypted query the sdk built' }),
      epsilon: t.arg.float({ description: 'Differential-privacy budget to spend (required when the licence has one)' }),
    },
    resolve: (_r, args, ctx) =>
      submitEncryptedQuery({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: {
          licenceId: args.licenceId.id,
          keyId: args.keyId,
          kind: args.kind,
          params: args.params,
          query: args.query as Record<string, unknown>,
          epsilon: args.epsilon ?? undefined,
        },
      }),
  }),
}));

builder.subscriptionFields((t) => ({
  encryptedQueryStatus: t.field({
    type: EncryptedQueryRef,
    description: 'The query now and at each change of status, until it is done or failed',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_r, args, ctx) =>
      watch<EncryptedQueryRow>(
        () => getEncryptedQuery({ db: ctx.services.db, actor: ctx.viewer, id: String(args.id) }),
        (q) => q.status,
        (q) => q.status === 'done' || q.status === 'failed',
      ),
    resolve: (q) => q,
  }),
}));
