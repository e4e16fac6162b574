// 市场主体: participants, API keys and the viewer.
import { registerParticipant, type ParticipantRow } from '../domain/participants/register-participant.ts';
import { reviewParticipant } from '../domain/participants/review-participant.ts';
import { createApiKey } from '../domain/participants/create-api-key.ts';
import { revokeApiKey } from '../domain/participants/revoke-api-key.ts';
import { getParticipant, getParticipantsByIds, listParticipants } from '../domain/participants/find-participants.ts';
import { getChainRegistration, type ChainRegistration } from '../domain/participants/get-chain-registration.ts';
import { ROLES, SCOPES, type Role, type Scope, type Viewer } from '../domain/participants/roles.ts';
import type { apiKeys } from '../db/schema.ts';
import { builder } from './builder.ts';

type ApiKeyRow = typeof apiKeys.$inferSelect;

const RoleEnum = builder.enumType('Role', {
  values: Object.fromEntries(ROLES.map((r) => [r.toUpperCase(), { value: r }])) as Record<string, { value: Role }>,
});
const ScopeEnum = builder.enumType('Scope', {
  values: Object.fromEntries(SCOPES.map((s) => [s.toUpperCase(), { value: s }])) as Record<string, { value: Scope }>,
});
const ParticipantStatusEnum = builder.enumType('ParticipantStatus', {
  values: { PENDING: { value: 'pending' }, VERIFIED: { value: 'verified' }, REJECTED: { value: 'rejected' }, SUSPENDED: { value: 'suspended' } } as const,
});
const RegistrationSchemeEnum = builder.enumType('RegistrationScheme', {
  values: {
    USCC: { value: 'uscc', description: '统一社会信用代码 (mainland China)' },
    FOREIGN: { value: 'foreign', description: "The home registry's number" },
  } as const,
});
const ChainWorkStatusEnum = builder.enumType('ChainWorkStatus', {
  values: { PENDING: { value: 'pending' }, DONE: { value: 'done' }, FAILED: { value: 'failed' } } as const,
});

const ChainRegistrationRef = builder.objectRef<ChainRegistration>('ChainRegistration').implement({
  description: "The participant's admission to the on-chain ParticipantRegistry",
  fields: (t) => ({
    status: t.field({ type: ChainWorkStatusEnum, resolve: (r) => r.status }),
    txHash: t.exposeString('txHash', { nullable: true }),
    blockNumber: t.field({ type: 'BigInt', nullable: true, resolve: (r) => r.blockNumber }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
  }),
});

export const ParticipantRef = builder.objectRef<ParticipantRow>('Participant');

builder.node(ParticipantRef, {
  id: { resolve: (p) => p.id },
  loadMany: (ids, ctx) => getParticipantsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  description: '市场主体: an organisation on the exchange',
  fields: (t) => ({
    name: t.exposeString('name'),
    jurisdiction: t.exposeString('jurisdiction', { description: 'ISO 3166 code: CN, CN-GD, SG…' }),
    registrationScheme: t.field({ type: RegistrationSchemeEnum, resolve: (p) => p.registrationScheme }),
    registrationCode: t.exposeString('registrationCode'),
    roles: t.field({ type: [RoleEnum], resolve: (p) => p.roles as Role[] }),
    status: t.field({ type: ParticipantStatusEnum, resolve: (p) => p.status }),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    controllerCode: t.exposeString('controllerCode', { nullable: true }),
    chainAddress: t.exposeString('chainAddress'),
    verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    chainRegistration: t.field({
      type: ChainRegistrationRef,
      nullable: true,
      resolve: (p, _args, ctx) => getChainRegistration({ db: ctx.services.db, participantId: p.id }),
    }),
  }),
});

const ApiKeyRef = builder.objectRef<ApiKeyRow>('ApiKey').implement({
  description: 'An API key; its secret is never shown again after it was issued',
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label'),
    prefix: t.exposeString('prefix'),
    scopes: t.field({ type: [ScopeEnum], resolve: (k) => k.scopes as Scope[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const IssuedApiKeyRef = builder.objectRef<{ id: string; token: string; scopes: Scope[] }>('IssuedApiKey').implement({
  description: 'A new API key. Send `token` as `Authorization: Bearer <token>`; it is shown only this once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    token: t.exposeString('token'),
    scopes: t.field({ type: [ScopeEnum], resolve: (k) => k.scopes }),
  }),
});

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The caller, as its API key identifies it',
  fields: (t) => ({
    participant: t.field({ type: ParticipantRef, resolve: (v, _a, ctx) => getParticipant({ db: ctx.services.db, actor: v, id: v.participantId }) }),
    scopes: t.field({ type: [ScopeEnum], resolve: (v) => v.scopes }),
    apiKeyId: t.exposeID('apiKeyId'),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    nullable: true,
    description: 'The caller, or null without an API key',
    errors: {},
    resolve: (_r, _a, ctx) => {
      if (ctx.authError) throw ctx.authError;
      return ctx.viewer;
    },
  }),
  me: t.field({
    type: ParticipantRef,
    description: "The caller's own participant",
    authScopes: { authenticated: true },
    errors: {},
    resolve: (_r, _a, ctx) => getParticipant({ db: ctx.services.db, actor: ctx.viewer, id: ctx.viewer!.participantId }),
  }),
  participants: t.connection({
    type: ParticipantRef,
    description: 'The register of participants, for the operator and the regulator',
    authScopes: { $any: { operator: true, regulator: true } },
    errors: {},
    args: { status: t.arg({ type: ParticipantStatusEnum, required: false }) },
    resolve: async (_r, args, ctx) => {
      const first = Math.min(args.first ?? 50, 200);
      const rows = await listParticipants({
        db: ctx.services.db,
        actor: ctx.viewer,
        status: args.status ?? undefined,
        after: args.after ?? undefined,
        first: first + 1,
      });
      const page = rows.slice(0, first);
      return {
        edges: page.map((node) => ({ node, cursor: node.id })),
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: !!args.after,
          startCursor: page[0]?.id ?? null,
          endCursor: page.at(-1)?.id ?? null,
        },
      };
    },
  }),
}));

const RegisterParticipantInput = builder.inputType('RegisterParticipantInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    jurisdiction: t.string({ required: true, description: 'ISO 3166 code: CN, CN-GD, SG…' }),
    registrationCode: t.string({ required: true, description: '统一社会信用代码 for mainland organisations' }),
    roles: t.field({ type: [RoleEnum], required: true }),
    chainAddress: t.string({ required: false, description: 'Your own EVM address; one is derived when omitted' }),
    contactEmail: t.string({ required: false }),
    controllerCode: t.string({ required: false, description: 'Registration code of the controlling organisation (实际控制人), if any' }),
  }),
});

const RegisterParticipantPayload = builder
  .objectRef<{ participant: ParticipantRow; apiKey: { id: string; token: string; scopes: Scope[] } }>('RegisterParticipantPayload')
  .implement({
    fields: (t) => ({
      participant: t.field({ type: ParticipantRef, resolve: (p) => p.participant }),
      apiKey: t.field({ type: IssuedApiKeyRef, resolve: (p) => p.apiKey }),
    }),
  });

builder.mutationFields((t) => ({
  registerParticipant: t.field({
    type: RegisterParticipantPayload,
    description: 'An organisation registers itself (provider, buyer) or the operator registers one (any role). Returns its first API key.',
    errors: {},
    args: { input: t.arg({ type: RegisterParticipantInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      registerParticipant({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: {
          ...input,
          chainAddress: input.chainAddress ?? undefined,
          contactEmail: input.contactEmail ?? undefined,
          controllerCode: input.controllerCode ?? undefined,
        },
      }),
  }),
  reviewParticipant: t.field({
    type: ParticipantRef,
    description: "The operator's identity review: approve (verified, admitted on chain) or reject with a reason",
    authScopes: { operator: true },
    errors: {},
    args: {
      participantId: t.arg.globalID({ required: true, for: ParticipantRef }),
      approve: t.arg.boolean({ required: true }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      reviewParticipant({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { participantId: args.participantId.id, approve: args.approve, reason: args.reason ?? undefined },
      }),
  }),
  createApiKey: t.field({
    type: IssuedApiKeyRef,
    description: 'Issues another key for your organisation with scopes no wider than its roles',
    authScopes: { authenticated: true },
    errors: {},
    args: {
      label: t.arg.string({ required: true }),
      scopes: t.arg({ type: [ScopeEnum], required: true }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: async (_r, args, ctx) => {
      const { apiKey, token } = await createApiKey({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { label: args.label, scopes: args.scopes, expiresAt: args.expiresAt ?? undefined },
      });
      return { id: apiKey.id, token, scopes: apiKey.scopes as Scope[] };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    description: 'Revokes one of your keys (the operator may revoke any)',
    authScopes: { authenticated: true },
    errors: {},
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => revokeApiKey({ db: ctx.services.db, actor: ctx.viewer, apiKeyId: String(args.id) }),
  }),
}));
