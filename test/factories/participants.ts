// Participants registered and verified through the API, as a real organisation and the
// operator would do it; each gets its own valid 统一社会信用代码.
import { expect } from 'vitest';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import type { TestExchange } from '../support/app.ts';
import { datasetInput } from './datasets.ts';

export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

export interface TestParticipant {
  /** Global (relay) id. */
  id: string;
  rawId: string;
  token: string;
  registrationCode: string;
  chainAddress: string;
}

let counter = 0;

/** Registers an organisation (self-service roles) and has the operator verify it. */
export async function verifiedParticipant(
  ex: TestExchange,
  options: { roles?: ('PROVIDER' | 'BUYER')[]; controllerCode?: string; name?: string } = {},
): Promise<TestParticipant> {
  counter++;
  const registrationCode = seedCreditCode(`RGT${process.pid.toString(36).slice(-2).toUpperCase().replace(/[IOSVZ]/g, 'X')}${String(counter).padStart(3, '0')}`);
  const r = await ex.gql(
    `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) {
      __typename ... on RegisterParticipantPayload { participant { id chainAddress } apiKey { token } } ... on AppError { code field message } } }`,
    {
      input: {
        name: options.name ?? `监管测试数据有限公司 ${counter}`,
        jurisdiction: 'CN',
        registrationCode,
        roles: options.roles ?? ['PROVIDER', 'BUYER'],
        controllerCode: options.controllerCode,
      },
    },
  );
  expect(r.data.registerParticipant.__typename, JSON.stringify(r.data.registerParticipant)).toBe('RegisterParticipantPayload');
  const { participant, apiKey } = r.data.registerParticipant;
  const review = await ex.gql(`mutation($id: ID!) { reviewParticipant(participantId: $id, approve: true) { __typename } }`, { id: participant.id }, ex.keyOf('operator'));
  expect(review.data.reviewParticipant.__typename).toBe('Participant');
  return { id: participant.id, rawId: rawId(participant.id), token: apiKey.token, registrationCode, chainAddress: participant.chainAddress };
}

/**
 * A dataset of `provider` taken to listed with its rights registered (every right held by the
 * provider alone): the global id.
 */
export async function listedDatasetOf(ex: TestExchange, provider: TestParticipant): Promise<string> {
  const { input, csv } = datasetInput();
  const created = (await ex.gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { __typename ... on DatasetDraft { dataset { id } } ... on AppError { code message } } }`, { input }, provider.token)).data.createDataset;
  expect(created.__typename, JSON.stringify(created)).toBe('DatasetDraft');
  const id: string = created.dataset.id;
  await ex.gql(`mutation($id: ID!, $csv: String!) { uploadDatasetRows(datasetId: $id, csv: $csv) { __typename } }`, { id, csv }, provider.token);
  await ex.gql(`mutation($id: ID!) { submitDatasetForReview(datasetId: $id) { __typename } }`, { id }, provider.token);
  const reviewed = (await ex.gql(`mutation($id: ID!) { reviewDataset(datasetId: $id, approve: true) { __typename ... on Dataset { status } } }`, { id }, ex.keyOf('operator'))).data.reviewDataset;
  expect(reviewed.status).toBe('LISTED');
  const holdings = ['CONTROL', 'USE', 'INCOME'].map((right) => ({ right, holderId: provider.id, shareBps: 10_000 }));
  const rights = await ex.gql(
    `mutation($id: ID!, $holdings: [RightsHoldingInput!]!) { registerRights(datasetId: $id, holdings: $holdings) { __typename ... on AppError { code message } } }`,
    { id, holdings },
    provider.token,
  );
  expect(rights.data.registerRights.__typename).toBe('RightsCertificate');
  return id;
}

/** A price plan of `providerToken`'s dataset, auto-accepted unless told otherwise: its id. */
export async function planOf(
  ex: TestExchange,
  providerToken: string,
  datasetId: string,
  options: { kind?: 'FIXED' | 'PER_QUERY'; priceFen: string; autoAccept?: boolean; access?: 'QUERY_ONLY' | 'DELIVERY' },
): Promise<string> {
  const r = await ex.gql(
    `mutation($input: PricePlanInput!) { createPricePlan(input: $input) { __typename ... on PricePlan { id } ... on AppError { code field message } } }`,
    {
      input: {
        datasetId,
        kind: options.kind ?? 'FIXED',
        title: '监管测试许可',
        priceFen: options.priceFen,
        autoAccept: options.autoAccept ?? true,
        terms: { purposes: ['URBAN_PLANNING', 'ACADEMIC_RESEARCH'], termDays: 365, territories: ['CN'], access: options.access ?? 'DELIVERY' },
      },
    },
    providerToken,
  );
  expect(r.data.createPricePlan.__typename, JSON.stringify(r.data.createPricePlan)).toBe('PricePlan');
  return r.data.createPricePlan.id;
}
