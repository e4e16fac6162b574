// 市场主体: who is calling, registration, identity review and API keys.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { nodesOf, PAGE_INFO, PARTICIPANT, type ConnectionResult, type PageArgs } from './fragments.ts';
import type { Connection, IssuedApiKey, Participant, ParticipantStatus, Role, Scope, Viewer } from './types.ts';

type Typed<T, N extends string> = T & { __typename: N };

/** The caller as its API key identifies it; null without a key. Throws ExchangeError for a bad key. */
export async function getViewer(client: ExchangeClient): Promise<Viewer | null> {
  const data = await client.request<{ viewer: Typed<Viewer, 'Viewer'> | AppErrorResult | null }>(
    `{ viewer { __typename ... on Viewer { apiKeyId scopes participant ${PARTICIPANT} } ${APP_ERROR_FIELDS} } }`,
  );
  return data.viewer ? unwrap(data.viewer) : null;
}

export interface RegisterParticipantInput {
  name: string;
  jurisdiction: string;
  registrationCode: string;
  roles: Role[];
  chainAddress?: string;
  contactEmail?: string;
}

/** An organisation registers itself; its first API key is in the answer, shown only this once. */
export async function registerParticipant(client: ExchangeClient, input: RegisterParticipantInput): Promise<{ participant: Participant; apiKey: IssuedApiKey }> {
  const data = await client.request<{ registerParticipant: Typed<{ participant: Participant; apiKey: IssuedApiKey }, 'RegisterParticipantPayload'> | AppErrorResult }>(
    `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { __typename
      ... on RegisterParticipantPayload { participant ${PARTICIPANT} apiKey { id token scopes } } ${APP_ERROR_FIELDS} } }`,
    { input },
  );
  return unwrap(data.registerParticipant);
}

/** The register of participants (operator, regulator). */
export async function listParticipants(client: ExchangeClient, args: PageArgs & { status?: ParticipantStatus } = {}): Promise<Connection<Participant>> {
  const data = await client.request<{ participants: ConnectionResult<Participant> }>(
    `query($status: ParticipantStatus, $first: Int, $after: String) { participants(status: $status, first: $first, after: $after) { __typename
      ... on QueryParticipantsConnection { edges { node ${PARTICIPANT} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { status: args.status ?? null, first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.participants));
}

/** The operator's identity review: approve, or reject with a reason. */
export async function reviewParticipant(client: ExchangeClient, args: { participantId: string; approve: boolean; reason?: string }): Promise<Participant> {
  const data = await client.request<{ reviewParticipant: Typed<Participant, 'Participant'> | AppErrorResult }>(
    `mutation($id: ID!, $approve: Boolean!, $reason: String) { reviewParticipant(participantId: $id, approve: $approve, reason: $reason) { __typename
      ... on Participant ${PARTICIPANT} ${APP_ERROR_FIELDS} } }`,
    { id: args.participantId, approve: args.approve, reason: args.reason ?? null },
  );
  return unwrap(data.reviewParticipant);
}

/** Another key for your organisation, with scopes no wider than its roles. */
export async function createApiKey(client: ExchangeClient, args: { label: string; scopes: Scope[]; expiresAt?: string }): Promise<IssuedApiKey> {
  const data = await client.request<{ createApiKey: Typed<IssuedApiKey, 'IssuedApiKey'> | AppErrorResult }>(
    `mutation($label: String!, $scopes: [Scope!]!, $expiresAt: DateTime) { createApiKey(label: $label, scopes: $scopes, expiresAt: $expiresAt) { __typename
      ... on IssuedApiKey { id token scopes } ${APP_ERROR_FIELDS} } }`,
    { label: args.label, scopes: args.scopes, expiresAt: args.expiresAt ?? null },
  );
  return unwrap(data.createApiKey);
}
