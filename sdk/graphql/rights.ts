// 确权登记: registering a dataset's rights holders and transferring shares.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { CERTIFICATE } from './fragments.ts';
import type { DataRight, RightsCertificate } from './types.ts';

type Typed<T, N extends string> = T & { __typename: N };

export interface RightsHoldingInput {
  right: DataRight;
  holderId: string;
  /** Basis points; each right's shares sum to 10,000. */
  shareBps: number;
}

/** Register the holders of a dataset's control, use and income rights; issues a certificate anchored on chain. */
export async function registerRights(client: ExchangeClient, datasetId: string, holdings: RightsHoldingInput[]): Promise<RightsCertificate> {
  const data = await client.request<{ registerRights: Typed<RightsCertificate, 'RightsCertificate'> | AppErrorResult }>(
    `mutation($id: ID!, $holdings: [RightsHoldingInput!]!) { registerRights(datasetId: $id, holdings: $holdings) { __typename
      ... on RightsCertificate ${CERTIFICATE} ${APP_ERROR_FIELDS} } }`,
    { id: datasetId, holdings },
  );
  return unwrap(data.registerRights);
}

/** Transfer part or all of your share of one right to another verified participant; chains a new certificate. */
export async function transferRights(
  client: ExchangeClient,
  args: { datasetId: string; right: DataRight; toHolderId: string; shareBps: number },
): Promise<RightsCertificate> {
  const data = await client.request<{ transferRights: Typed<RightsCertificate, 'RightsCertificate'> | AppErrorResult }>(
    `mutation($id: ID!, $right: DataRight!, $to: ID!, $bps: Int!) { transferRights(datasetId: $id, right: $right, toHolderId: $to, shareBps: $bps) { __typename
      ... on RightsCertificate ${CERTIFICATE} ${APP_ERROR_FIELDS} } }`,
    { id: args.datasetId, right: args.right, to: args.toHolderId, bps: args.shareBps },
  );
  return unwrap(data.transferRights);
}
