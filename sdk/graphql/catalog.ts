// 数据产品 and 挂牌: catalog search, a dataset's page, drafts, row upload and the listing review.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { DATASET, DATASET_SUMMARY, nodesOf, PAGE_INFO, type PageArgs } from './fragments.ts';
import type {
  CatalogPage,
  CatalogScope,
  CatalogSort,
  DataDomain,
  Dataset,
  DatasetInput,
  DatasetStatus,
  DatasetSummary,
  FacetCount,
  Grade,
  ListingCheck,
  SupervisoryAction,
} from './types.ts';

type Typed<T, N extends string> = T & { __typename: N };

export interface CatalogQuery extends PageArgs {
  text?: string;
  domains?: DataDomain[];
  grades?: Grade[];
  jurisdictions?: string[];
  statuses?: DatasetStatus[];
  scope?: CatalogScope;
  sort?: CatalogSort;
}

/** Search the catalog: full text in Chinese and English, facets, sort, cursor pagination. */
export async function listCatalog(client: ExchangeClient, query: CatalogQuery = {}): Promise<CatalogPage> {
  type Raw = Typed<{ edges: { node: DatasetSummary }[]; pageInfo: CatalogPage['pageInfo']; totalCount: number; facets: CatalogPage['facets'] }, 'QueryCatalogConnection'>;
  const data = await client.request<{ catalog: Raw | AppErrorResult }>(
    `query($text: String, $domains: [DataDomain!], $grades: [Grade!], $jurisdictions: [String!], $statuses: [DatasetStatus!], $scope: CatalogScope, $sort: CatalogSort, $first: Int, $after: String) {
      catalog(text: $text, domains: $domains, grades: $grades, jurisdictions: $jurisdictions, statuses: $statuses, scope: $scope, sort: $sort, first: $first, after: $after) { __typename
        ... on QueryCatalogConnection { totalCount edges { node ${DATASET_SUMMARY} } ${PAGE_INFO}
          facets { domain { value count } grade { value count } jurisdiction { value count } } }
        ${APP_ERROR_FIELDS} } }`,
    {
      text: query.text?.trim() || null,
      domains: query.domains?.length ? query.domains : null,
      grades: query.grades?.length ? query.grades : null,
      jurisdictions: query.jurisdictions?.length ? query.jurisdictions : null,
      statuses: query.statuses?.length ? query.statuses : null,
      scope: query.scope ?? null,
      sort: query.sort ?? null,
      first: query.first ?? 20,
      after: query.after ?? null,
    },
  );
  const page = unwrap(data.catalog);
  return { ...nodesOf(page), totalCount: page.totalCount, facets: page.facets };
}

export type { FacetCount };

/** A dataset's page: metadata, schema, listing history with proofs, rights and price plans. */
export async function getDataset(client: ExchangeClient, id: string): Promise<Dataset> {
  const data = await client.request<{ dataset: Typed<Dataset, 'Dataset'> | AppErrorResult }>(
    `query($id: ID!) { dataset(id: $id) { __typename ... on Dataset ${DATASET} ${APP_ERROR_FIELDS} } }`,
    { id },
  );
  return unwrap(data.dataset);
}

export interface DatasetDraft {
  dataset: { id: string; status: DatasetStatus };
  version: { id: string; version: number; commitment: string };
}

const DRAFT = `{ __typename ... on DatasetDraft { dataset { id status } version { id version commitment } } ${APP_ERROR_FIELDS} }`;

/** A verified provider describes a new dataset: a draft, version 1. */
export async function createDataset(client: ExchangeClient, input: DatasetInput): Promise<DatasetDraft> {
  const data = await client.request<{ createDataset: Typed<DatasetDraft, 'DatasetDraft'> | AppErrorResult }>(
    `mutation($input: DatasetInput!) { createDataset(input: $input) ${DRAFT} }`,
    { input },
  );
  return unwrap(data.createDataset);
}

/** A new version of your dataset; a listed dataset returns to draft for review. */
export async function reviseDataset(client: ExchangeClient, datasetId: string, input: DatasetInput): Promise<DatasetDraft> {
  const data = await client.request<{ reviseDataset: Typed<DatasetDraft, 'DatasetDraft'> | AppErrorResult }>(
    `mutation($id: ID!, $input: DatasetInput!) { reviseDataset(datasetId: $id, input: $input) ${DRAFT} }`,
    { id: datasetId, input },
  );
  return unwrap(data.reviseDataset);
}

export interface RowUpload {
  rowCount: number;
  commitment: string;
  matchesDeclaration: boolean;
}

/** Upload the draft version's rows (CSV with a header) to the provider's private store. */
export async function uploadDatasetRows(client: ExchangeClient, datasetId: string, csv: string): Promise<RowUpload> {
  const data = await client.request<{ uploadDatasetRows: Typed<RowUpload, 'RowUpload'> | AppErrorResult }>(
    `mutation($id: ID!, $csv: String!) { uploadDatasetRows(datasetId: $id, csv: $csv) { __typename
      ... on RowUpload { rowCount commitment matchesDeclaration } ${APP_ERROR_FIELDS} } }`,
    { id: datasetId, csv },
  );
  return unwrap(data.uploadDatasetRows);
}

/** Run the automated checks and, if all pass, put the draft in the review queue. */
export async function submitDatasetForReview(client: ExchangeClient, datasetId: string): Promise<{ status: DatasetStatus; checks: ListingCheck[] }> {
  const data = await client.request<{ submitDatasetForReview: Typed<{ dataset: { status: DatasetStatus }; checks: ListingCheck[] }, 'ReviewSubmission'> | AppErrorResult }>(
    `mutation($id: ID!) { submitDatasetForReview(datasetId: $id) { __typename
      ... on ReviewSubmission { dataset { status } checks { rule passed detail description } } ${APP_ERROR_FIELDS} } }`,
    { id: datasetId },
  );
  const r = unwrap(data.submitDatasetForReview);
  return { status: r.dataset.status, checks: r.checks };
}

/** The operator's listing decision: approve (listed) or reject with a reason (back to draft). */
export async function reviewDataset(client: ExchangeClient, args: { datasetId: string; approve: boolean; reason?: string }): Promise<{ id: string; status: DatasetStatus }> {
  const data = await client.request<{ reviewDataset: Typed<{ id: string; status: DatasetStatus }, 'Dataset'> | AppErrorResult }>(
    `mutation($id: ID!, $approve: Boolean!, $reason: String) { reviewDataset(datasetId: $id, approve: $approve, reason: $reason) { __typename
      ... on Dataset { id status } ${APP_ERROR_FIELDS} } }`,
    { id: args.datasetId, approve: args.approve, reason: args.reason ?? null },
  );
  return unwrap(data.reviewDataset);
}

/** Suspend or reinstate (regulator, operator), or delist (also the provider), with a reason. */
export async function superviseDataset(client: ExchangeClient, args: { datasetId: string; action: SupervisoryAction; reason: string }): Promise<{ id: string; status: DatasetStatus }> {
  const data = await client.request<{ superviseDataset: Typed<{ id: string; status: DatasetStatus }, 'Dataset'> | AppErrorResult }>(
    `mutation($id: ID!, $action: SupervisoryAction!, $reason: String!) { superviseDataset(datasetId: $id, action: $action, reason: $reason) { __typename
      ... on Dataset { id status } ${APP_ERROR_FIELDS} } }`,
    { id: args.datasetId, action: args.action, reason: args.reason },
  );
  return unwrap(data.superviseDataset);
}
