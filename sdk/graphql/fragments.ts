// Selections shared by the typed operations; each matches an interface in types.ts.
import type { AppErrorResult } from './errors.ts';
import type { PageInfo } from './types.ts';

export const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
export const MONEY = '{ fen yuan }';
export const PARTICIPANT_REF = '{ id name jurisdiction }';

export const PARTICIPANT = `{ id name jurisdiction registrationScheme registrationCode roles status statusReason chainAddress verifiedAt createdAt
  chainRegistration { status txHash blockNumber attempts lastError } }`;

export const VERSION_SUMMARY = `id version titleZh titleEn descriptionZh descriptionEn domain classification grade keywords rowCount updateFrequency personalInfo`;

export const DATASET_SUMMARY = `{ id status createdAt listedAt provider ${PARTICIPANT_REF} currentVersion { ${VERSION_SUMMARY} } }`;

export const ANCHOR_PROOF = `{ status kind recordId contentHash leaf batchId leafIndex root proof txHash blockNumber verifiesOnChain }`;

export const CERTIFICATE = `{ id number kind current issuedAt contentHash content
  holdings { right shareBps holder { id name } } previous { id number } anchor ${ANCHOR_PROOF} }`;

export const PRICE_PLAN = `{ id kind title price ${MONEY} periodDays queryQuota autoAccept active
  terms { purposes termDays territories access onwardTransfer epsilon } }`;

export const DATASET = `{ id status createdAt listedAt dcatUrl provider ${PARTICIPANT_REF}
  currentVersion { ${VERSION_SUMMARY} industry commitment uploadedRowCount rowsMatchCommitment minGroupSize createdAt sampleRows
    columns { name type unit nullable sensitivity scale categories description } }
  versions { id version commitment createdAt }
  listingHistory { id action fromStatus toStatus reason createdAt actor { id name } checks { rule passed detail description } anchor ${ANCHOR_PROOF} }
  pricePlans ${PRICE_PLAN}
  rights ${CERTIFICATE}
  rightsHistory ${CERTIFICATE} }`;

export const DATASET_REF = '{ id currentVersion { titleZh titleEn } }';

export const ORDER = `{ id status purpose territory crossBorder access amount ${MONEY} reason createdAt decidedAt
  buyer ${PARTICIPANT_REF} provider ${PARTICIPANT_REF} dataset ${DATASET_REF} }`;

export const TRADE = `{ id amount ${MONEY} planKind domain classification grade territory crossBorder cleared createdAt
  buyer ${PARTICIPANT_REF} provider ${PARTICIPANT_REF} dataset ${DATASET_REF} }`;

export const LICENCE = `{ id status statusReason purpose territories access onwardTransfer validFrom validUntil
  queryQuota queriesUsed queriesRemaining perQueryPrice ${MONEY} epsilonBudget epsilonRemaining dataset ${DATASET_REF} }`;

export const HE_KEY_SET = '{ keyId scheme bytes createdAt }';

export const ENCRYPTED_QUERY_SUMMARY = `{ id kind status keyId params resultMeta errorCode errorMessage createdAt finishedAt }`;

export const ENCRYPTED_QUERY = `{ id kind status keyId params result resultMeta errorCode errorMessage createdAt finishedAt licence ${LICENCE} }`;

export const BALANCE = `{ available ${MONEY} escrow ${MONEY} }`;

/** Cursor arguments of a connection query. */
export interface PageArgs {
  first?: number;
  after?: string | null;
}

/** A connection as the API returns it, inside a field's union result. */
export type ConnectionResult<T> = ({ __typename: `Query${string}Connection` } & RawConnection<T>) | AppErrorResult;

interface RawConnection<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
}

export function nodesOf<T>(connection: RawConnection<T>): { nodes: T[]; pageInfo: RawConnection<T>['pageInfo'] } {
  return { nodes: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
}
