// Participants beyond the seeded four, registered through the API and approved by the
// operator: foreign buyers (数据跨境), arbiters, more buyers for sealed-bid rounds.
import { randomInt, randomUUID } from 'node:crypto';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import type { TestExchange } from '../support/app.ts';

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
export const rawId = (global: string) => Buffer.from(global, 'base64').toString('utf8').split(':').slice(1).join(':');

export interface Party {
  /** The participant's global id. */
  id: string;
  /** Its first API key, scoped to the roles it registered with. */
  token: string;
}

/**
 * Registers an organisation and has the operator approve it. Roles a participant cannot ask
 * for itself (arbiter, regulator) are registered by the operator.
 */
export async function approvedParticipant(ex: TestExchange, options: { roles: string[]; jurisdiction?: string; name?: string }): Promise<Party> {
  const jurisdiction = options.jurisdiction ?? 'CN';
  const mainland = jurisdiction === 'CN' || jurisdiction.startsWith('CN-');
  const input = {
    name: options.name ?? `测试主体 ${options.roles.join('/')} ${randomUUID().slice(0, 8)}`,
    jurisdiction,
    registrationCode: mainland ? seedCreditCode(`TP${randomInt(100_000, 999_999)}`) : `${jurisdiction}${randomInt(10_000_000, 99_999_999)}K`,
    roles: options.roles,
  };
  const appointed = options.roles.some((r) => r !== 'BUYER' && r !== 'PROVIDER');
  const registered = (
    await ex.gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) {
        __typename ... on RegisterParticipantPayload { participant { id } apiKey { token } } ... on AppError { code field message } } }`,
      { input },
      appointed ? ex.keyOf('operator') : undefined,
    )
  ).data.registerParticipant;
  if (registered.__typename !== 'RegisterParticipantPayload') throw new Error(`registerParticipant: ${JSON.stringify(registered)}`);
  const reviewed = (
    await ex.gql(
      `mutation($id: ID!) { reviewParticipant(participantId: $id, approve: true) { __typename ... on Participant { status } ... on AppError { code message } } }`,
      { id: registered.participant.id },
      ex.keyOf('operator'),
    )
  ).data.reviewParticipant;
  if (reviewed.status !== 'VERIFIED') throw new Error(`reviewParticipant: ${JSON.stringify(reviewed)}`);
  return { id: registered.participant.id, token: registered.apiKey.token };
}

/** The buyer's newest trade and licence (global ids). */
export async function latestTrade(ex: TestExchange, buyer: string): Promise<{ tradeId: string; licenceId: string }> {
  const trades = await ex.gql(`{ trades(side: BUYER, first: 1) { ... on QueryTradesConnection { edges { node { id } } } } }`, {}, buyer);
  const licences = await ex.gql(`{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { id } } } } }`, {}, buyer);
  return { tradeId: trades.data.trades.edges[0].node.id, licenceId: licences.data.licences.edges[0].node.id };
}
