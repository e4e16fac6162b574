// 审计日志: the regulator's and operator's search over the hash-chained audit log, and the
// check that recomputes the whole chain.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';

export interface AuditEntry {
  seq: string;
  at: string;
  actorId: string | null;
  apiKeyId: string | null;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  details: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditSearch {
  action?: string;
  actorId?: string;
  subjectKind?: string;
  subjectId?: string;
  /** ISO 8601 instants. */
  from?: string;
  to?: string;
  /** Entries with a smaller seq than this (the next page, newest first). */
  before?: string;
  first?: number;
}

/** The log, newest first, filtered. */
export async function searchAuditLog(client: ExchangeClient, search: AuditSearch = {}): Promise<AuditEntry[]> {
  const data = await client.request<{ auditLog: { __typename: 'QueryAuditLogSuccess'; data: AuditEntry[] } | AppErrorResult }>(
    `query($action: String, $actorId: String, $subjectKind: String, $subjectId: String, $from: DateTime, $to: DateTime, $before: BigInt, $first: Int) {
      auditLog(action: $action, actorId: $actorId, subjectKind: $subjectKind, subjectId: $subjectId, from: $from, to: $to, before: $before, first: $first) { __typename
        ... on QueryAuditLogSuccess { data { seq at actorId apiKeyId action subjectKind subjectId details prevHash hash } } ${APP_ERROR_FIELDS} } }`,
    {
      action: search.action || null,
      actorId: search.actorId || null,
      subjectKind: search.subjectKind || null,
      subjectId: search.subjectId || null,
      from: search.from || null,
      to: search.to || null,
      before: search.before || null,
      first: search.first ?? 100,
    },
  );
  return unwrap(data.auditLog).data;
}

export interface AuditChainCheck {
  entries: number;
  intact: boolean;
  brokenAt: string | null;
  problem: string | null;
}

/** Recomputes every entry's hash and link from the start of the log. */
export async function checkAuditChain(client: ExchangeClient): Promise<AuditChainCheck> {
  const data = await client.request<{ auditChain: ({ __typename: 'AuditChainCheck' } & AuditChainCheck) | AppErrorResult }>(
    `{ auditChain { __typename ... on AuditChainCheck { entries intact brokenAt problem } ${APP_ERROR_FIELDS} } }`,
  );
  return unwrap(data.auditChain);
}
