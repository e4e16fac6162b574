// 加密查询 (可用不可见): upload the public half of an HE key set once, submit encrypted queries
// under a licence, and fetch the encrypted answers. The keys, the query and the decryption are
// sdk/he's; nothing here ever carries a secret key.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { ENCRYPTED_QUERY, ENCRYPTED_QUERY_SUMMARY, HE_KEY_SET } from './fragments.ts';
import type { EncryptedQuery, EncryptedQueryKind, EncryptedQuerySummary, HeKeySet } from './types.ts';
import type { PublicKeyBundle } from '../he/key-set.ts';
import type { HeQuery } from '../he/query-result.ts';

type Typed<T, N extends string> = T & { __typename: N };

/** Uploads a key set's public bundle (KeySet.publicBundle()); idempotent per key id. */
export async function uploadHeKeySet(client: ExchangeClient, bundle: PublicKeyBundle | string, options: { signal?: AbortSignal } = {}): Promise<HeKeySet> {
  const data = await client.request<{ uploadHeKeySet: Typed<HeKeySet, 'HeKeySet'> | AppErrorResult }>(
    `mutation($b: String!) { uploadHeKeySet(bundle: $b) { __typename ... on HeKeySet ${HE_KEY_SET} ${APP_ERROR_FIELDS} } }`,
    { b: typeof bundle === 'string' ? bundle : JSON.stringify(bundle) },
    options,
  );
  return unwrap(data.uploadHeKeySet);
}

/** The key sets the caller has uploaded. */
export async function listMyHeKeySets(client: ExchangeClient): Promise<HeKeySet[]> {
  const data = await client.request<{ myHeKeySets: Typed<{ data: HeKeySet[] }, 'QueryMyHeKeySetsSuccess'> | AppErrorResult }>(
    `{ myHeKeySets { __typename ... on QueryMyHeKeySetsSuccess { data ${HE_KEY_SET} } ${APP_ERROR_FIELDS} } }`,
  );
  return unwrap(data.myHeKeySets).data;
}

/**
 * A fresh hashing salt for one ID-set query under the licence: give it to encryptIdSet
 * ({ salt }). The exchange refuses a second query with the same salt (SALT_REUSED).
 */
export async function issueIdSetSalt(client: ExchangeClient, licenceId: string): Promise<{ salt: string; expiresAt: string }> {
  const data = await client.request<{ issueIdSetSalt: Typed<{ salt: string; expiresAt: string }, 'IdSetSalt'> | AppErrorResult }>(
    `mutation($licence: ID!) { issueIdSetSalt(licenceId: $licence) { __typename ... on IdSetSalt { salt expiresAt } ${APP_ERROR_FIELDS} } }`,
    { licence: licenceId },
  );
  return unwrap(data.issueIdSetSalt);
}

export interface SubmitEncryptedQueryArgs {
  licenceId: string;
  keyId: string;
  kind: EncryptedQueryKind;
  /** Column names: { groupColumn, valueColumn } | { keyColumn, valueColumn } | { groupColumn, columns }. */
  params: Record<string, unknown>;
  /** The encrypted query sdk/he built (encryptGroupSelection …). */
  query: HeQuery;
  /** Privacy budget to spend; required when the licence has one. */
  epsilon?: number;
}

/** Queues an encrypted query; poll getEncryptedQuery until it is DONE or FAILED. */
export async function submitEncryptedQuery(client: ExchangeClient, args: SubmitEncryptedQueryArgs): Promise<EncryptedQuerySummary> {
  const data = await client.request<{ submitEncryptedQuery: Typed<EncryptedQuerySummary, 'EncryptedQuery'> | AppErrorResult }>(
    `mutation($licence: ID!, $key: String!, $kind: EncryptedQueryKind!, $params: JSON!, $query: JSON!, $epsilon: Float) {
      submitEncryptedQuery(licenceId: $licence, keyId: $key, kind: $kind, params: $params, query: $query, epsilon: $epsilon) { __typename
        ... on EncryptedQuery ${ENCRYPTED_QUERY_SUMMARY} ${APP_ERROR_FIELDS} } }`,
    { licence: args.licenceId, key: args.keyId, kind: args.kind, params: args.params, query: args.query, epsilon: args.epsilon ?? null },
  );
  return unwrap(data.submitEncryptedQuery);
}

/** One of the caller's queries with its encrypted answer (when done) and its licence as it is now. */
export async function getEncryptedQuery(client: ExchangeClient, id: string, options: { signal?: AbortSignal } = {}): Promise<EncryptedQuery> {
  const data = await client.request<{ encryptedQuery: Typed<EncryptedQuery, 'EncryptedQuery'> | AppErrorResult }>(
    `query($id: ID!) { encryptedQuery(id: $id) { __typename ... on EncryptedQuery ${ENCRYPTED_QUERY} ${APP_ERROR_FIELDS} } }`,
    { id },
    options,
  );
  return unwrap(data.encryptedQuery);
}

/** The caller's queries, newest first, without their answers. */
export async function listMyEncryptedQueries(client: ExchangeClient, args: { first?: number; before?: string | null } = {}): Promise<EncryptedQuerySummary[]> {
  const data = await client.request<{ myEncryptedQueries: Typed<{ data: EncryptedQuerySummary[] }, 'QueryMyEncryptedQueriesSuccess'> | AppErrorResult }>(
    `query($first: Int, $before: DateTime) { myEncryptedQueries(first: $first, before: $before) { __typename
      ... on QueryMyEncryptedQueriesSuccess { data ${ENCRYPTED_QUERY_SUMMARY} } ${APP_ERROR_FIELDS} } }`,
    { first: args.first ?? 20, before: args.before ?? null },
  );
  return unwrap(data.myEncryptedQueries).data;
}
