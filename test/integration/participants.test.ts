import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterParticipantInput!) {
    registerParticipant(input: $input) {
      __typename
      ... on RegisterParticipantPayload { participant { id name status roles chainAddress registrationScheme } apiKey { id token scopes } }
      ... on AppError { code field message }
    }
  }`;

const REVIEW = /* GraphQL */ `
  mutation Review($id: ID!, $approve: Boolean!, $reason: String) {
    reviewParticipant(participantId: $id, approve: $approve, reason: $reason) {
      __typename
      ... on Participant { id status statusReason chainRegistration { status txHash } }
      ... on AppError { code field message }
    }
  }`;

let counter = 0;
function provider(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    name: `测试数据科技有限公司 ${counter}`,
    jurisdiction: 'CN',
    registrationCode: seedCreditCode(`TXT${String(counter).padStart(5, '0')}`),
    roles: ['PROVIDER'],
    ...overrides,
  };
}

describe.each(await databaseTargets())('participants on %s', (database) => {
  let ex: TestExchange;
  beforeAll(async () => {
    ex = await startTestExchange({ database });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  async function participantCount(): Promise<number> {
    const r = await ex.gql(`{ participants(first: 200) { ... on QueryParticipantsConnection { edges { node { id } } } } }`, {}, ex.keyOf('operator'));
    return r.data.participants.edges.length;
  }

  it('registers an organisation as pending with a working first key', async () => {
    const r = await ex.gql(REGISTER, { input: provider() });
    const payload = r.data.registerParticipant;
    expect(payload.__typename).toBe('RegisterParticipantPayload');
    expect(payload.participant.status).toBe('PENDING');
    expect(payload.participant.registrationScheme).toBe('USCC');
    expect(payload.participant.chainAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(payload.apiKey.scopes).toEqual(['READ', 'PROVIDER']);
    const me = await ex.gql(`{ viewer { ... on Viewer { participant { id status } scopes } } me { __typename ... on Participant { name } } }`, {}, payload.apiKey.token);
    expect(me.data.viewer.participant.id).toBe(payload.participant.id);
    expect(me.data.me.name).toBe(payload.participant.name);
  });

  it('refuses a duplicate credit code and changes nothing', async () => {
    const input = provider();
    expect((await ex.gql(REGISTER, { input })).data.registerParticipant.__typename).toBe('RegisterParticipantPayload');
    const before = await participantCount();
    const again = await ex.gql(REGISTER, { input: { ...input, name: 'Another name' } });
    expect(again.data.registerParticipant).toMatchObject({ __typename: 'AppError', code: 'DUPLICATE_CREDIT_CODE', field: 'registrationCode' });
    expect(await participantCount()).toBe(before);
  });

  it('refuses a credit code whose check digit is wrong', async () => {
    const good = seedCreditCode('BADCHK01');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const before = await participantCount();
    const r = await ex.gql(REGISTER, { input: provider({ registrationCode: bad }) });
    expect(r.data.registerParticipant).toMatchObject({ __typename: 'AppError', code: 'INVALID_CREDIT_CODE' });
    expect(await participantCount()).toBe(before);
  });

  it('accepts a foreign registration number for a foreign organisation', async () => {
    const r = await ex.gql(REGISTER, { input: provider({ jurisdiction: 'SG', registrationCode: '201912345K', roles: ['BUYER'] }) });
    expect(r.data.registerParticipant.participant).toMatchObject({ registrationScheme: 'FOREIGN', roles: ['BUYER'] });
  });

  it('lets only the operator appoint a regulator', async () => {
    const self = await ex.gql(REGISTER, { input: provider({ roles: ['REGULATOR'] }) });
    expect(self.data.registerParticipant).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN', field: 'roles' });
    const byOperator = await ex.gql(REGISTER, { input: provider({ roles: ['REGULATOR'] }) }, ex.keyOf('operator'));
    expect(byOperator.data.registerParticipant.participant.roles).toEqual(['REGULATOR']);
  });

  it('gives typed errors, never data, to anonymous and wrong-role callers', async () => {
    const reg = (await ex.gql(REGISTER, { input: provider() })).data.registerParticipant;
    const anonymous = await ex.gql(REVIEW, { id: reg.participant.id, approve: true });
    expect(anonymous.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'UNAUTHENTICATED' });
    const asBuyer = await ex.gql(REVIEW, { id: reg.participant.id, approve: true }, ex.keyOf('buyer'));
    expect(asBuyer.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN' });
    const asSelf = await ex.gql(REVIEW, { id: reg.participant.id, approve: true }, reg.apiKey.token);
    expect(asSelf.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN' });
    const list = await ex.gql(`{ participants { __typename ... on AppError { code } } }`, {}, ex.keyOf('provider'));
    expect(list.data?.participants ?? null).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN' });
    const forged = await ex.gql(`{ viewer { __typename ... on Viewer { scopes } ... on AppError { code } } }`, {}, 'dxk_0123456789abcdef_' + 'A'.repeat(43));
    expect(forged.data.viewer).toMatchObject({ __typename: 'AppError', code: 'UNAUTHENTICATED' });
  });

  it('verifies a participant and admits it to the on-chain registry', async () => {
    const reg = (await ex.gql(REGISTER, { input: provider() })).data.registerParticipant;
    const approved = await ex.gql(REVIEW, { id: reg.participant.id, approve: true }, ex.keyOf('operator'));
    expect(approved.data.reviewParticipant).toMatchObject({ status: 'VERIFIED', chainRegistration: { status: 'PENDING', txHash: null } });
    const registry = ex.built.services.contracts.participantRegistry;
    expect(await registry.hasRole('provider', reg.participant.chainAddress)).toBe(false);

    await ex.built.services.outbox.drain();

    expect(await registry.hasRole('provider', reg.participant.chainAddress)).toBe(true);
    expect(await registry.hasRole('buyer', reg.participant.chainAddress)).toBe(false);
    expect(await registry.isActive(reg.participant.chainAddress)).toBe(true);
    const after = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Participant { chainRegistration { status txHash blockNumber } } } }`, { id: reg.participant.id }, ex.keyOf('regulator'));
    expect(after.data.node.chainRegistration).toMatchObject({ status: 'DONE', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    const receipt = await ex.built.services.chain.provider.getTransactionReceipt(after.data.node.chainRegistration.txHash);
    expect(receipt?.status).toBe(1);

    const twice = await ex.gql(REVIEW, { id: reg.participant.id, approve: true }, ex.keyOf('operator'));
    expect(twice.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'INVALID_STATE' });
  });

  it('rejects only with a reason, and a rejected key stops working', async () => {
    const reg = (await ex.gql(REGISTER, { input: provider() })).data.registerParticipant;
    const noReason = await ex.gql(REVIEW, { id: reg.participant.id, approve: false }, ex.keyOf('operator'));
    expect(noReason.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'INVALID_INPUT', field: 'reason' });
    const rejected = await ex.gql(REVIEW, { id: reg.participant.id, approve: false, reason: '营业执照信息不符' }, ex.keyOf('operator'));
    expect(rejected.data.reviewParticipant).toMatchObject({ status: 'REJECTED', statusReason: '营业执照信息不符', chainRegistration: null });
    const me = await ex.gql(`{ viewer { __typename ... on Viewer { scopes } ... on AppError { code } } }`, {}, reg.apiKey.token);
    expect(me.data.viewer).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('issues scoped keys no wider than the roles, and revokes them', async () => {
    const token = ex.keyOf('provider');
    const wide = await ex.gql(`mutation { createApiKey(label: "x", scopes: [READ, OPERATOR]) { __typename ... on AppError { code field } } }`, {}, token);
    expect(wide.data.createApiKey).toMatchObject({ __typename: 'AppError', code: 'SCOPE_NOT_GRANTED', field: 'scopes' });
    const readOnly = await ex.gql(`mutation { createApiKey(label: "dashboard", scopes: [READ]) { __typename ... on IssuedApiKey { id token scopes } } }`, {}, token);
    const key = readOnly.data.createApiKey;
    expect(key.scopes).toEqual(['READ']);
    // A read-only key of a provider does not act as the provider.
    const viewer = await ex.gql(`{ viewer { ... on Viewer { scopes participant { roles } } } }`, {}, key.token);
    expect(viewer.data.viewer).toMatchObject({ scopes: ['READ'], participant: { roles: ['PROVIDER'] } });
    const revoked = await ex.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { revokedAt } } }`, { id: key.id }, token);
    expect(revoked.data.revokeApiKey.revokedAt).toBeTruthy();
    const after = await ex.gql(`{ viewer { __typename ... on Viewer { scopes } ... on AppError { code } } }`, {}, key.token);
    expect(after.data.viewer).toMatchObject({ code: 'UNAUTHENTICATED' });
    const bogus = await ex.gql(`mutation { revokeApiKey(id: "not-a-uuid") { __typename ... on AppError { code } } }`, {}, token);
    expect(bogus.data.revokeApiKey).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports unknown ids and malformed input as typed errors', async () => {
    const unknownGlobalId = Buffer.from('Participant:00000000-0000-4000-8000-000000000000').toString('base64');
    const r = await ex.gql(REVIEW, { id: unknownGlobalId, approve: true }, ex.keyOf('operator'));
    expect(r.data.reviewParticipant).toMatchObject({ __typename: 'AppError', code: 'NOT_FOUND' });
    const garbage = await ex.gql(REVIEW, { id: 'garbage', approve: true }, ex.keyOf('operator'));
    expect(garbage.errors ?? garbage.data.reviewParticipant).toBeTruthy();
    expect(garbage.data?.reviewParticipant?.__typename ?? 'AppError').toBe('AppError');
    const badJurisdiction = await ex.gql(REGISTER, { input: provider({ jurisdiction: 'China' }) });
    expect(badJurisdiction.data.registerParticipant).toMatchObject({ code: 'INVALID_INPUT', field: 'jurisdiction' });
    const longName = await ex.gql(REGISTER, { input: provider({ name: 'x'.repeat(5000) }) });
    expect(longName.data.registerParticipant).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
  });
});
