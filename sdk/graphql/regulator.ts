// 监管: the regulator's typed operations — filing statistics and the periodic filing report
// (备案统计 · 备案报表), surveillance alerts (市场风险预警) and the record verifier (存证核验).
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import type { Money } from './types.ts';

export const FILING_PERIODS = ['DAY', 'WEEK', 'MONTH', 'QUARTER'] as const;
export type FilingPeriod = (typeof FILING_PERIODS)[number];
export type FilingDimension = 'PERIOD' | 'DOMAIN' | 'CLASSIFICATION' | 'GRADE' | 'TERRITORY' | 'CROSS_BORDER';

export interface FilingGroup {
  period: string | null;
  domain: string | null;
  classification: string | null;
  grade: string | null;
  territory: string | null;
  crossBorder: boolean | null;
  tradeCount: number;
  turnover: Money;
}

export interface FilingStatistics {
  tradeCount: number;
  turnover: Money;
  groups: FilingGroup[];
}

export interface FilingStatisticsInput {
  groupBy: FilingDimension[];
  period?: FilingPeriod;
  /** ISO 8601 instants. */
  from?: string;
  to?: string;
}

/** Counts and turnover of filed trades, grouped (regulators, the operator). */
export async function getFilingStatistics(client: ExchangeClient, input: FilingStatisticsInput): Promise<FilingStatistics> {
  const data = await client.request<{ filingStatistics: ({ __typename: 'FilingStatistics' } & FilingStatistics) | AppErrorResult }>(
    `query($groupBy: [FilingDimension!]!, $period: FilingPeriod, $from: DateTime, $to: DateTime) {
      filingStatistics(groupBy: $groupBy, period: $period, from: $from, to: $to) { __typename
        ... on FilingStatistics { tradeCount turnover { fen yuan } groups { period domain classification grade territory crossBorder tradeCount turnover { fen yuan } } }
        ${APP_ERROR_FIELDS} } }`,
    { groupBy: input.groupBy, period: input.period ?? null, from: input.from ?? null, to: input.to ?? null },
  );
  return unwrap(data.filingStatistics);
}

export type ReportBreakdown = 'TOTAL' | 'DOMAIN' | 'GRADE' | 'JURISDICTION' | 'CROSS_BORDER' | 'PRICE_PLAN';

export interface FilingReportLine {
  period: string;
  breakdown: ReportBreakdown;
  /** Raw values: a domain (transport), a grade (L2), a jurisdiction (CN), true/false, a plan kind (per_query); null for TOTAL. */
  key: string | null;
  listings: number;
  trades: number;
  turnover: Money;
  queries: number;
  disputes: number;
}

export interface FilingReport {
  period: FilingPeriod;
  from: string | null;
  to: string | null;
  generatedAt: string;
  lines: FilingReportLine[];
}

/** The periodic filing report (regulators); the same lines as CSV at filingReportCsvPath(). */
export async function getFilingReport(client: ExchangeClient, input: { period: FilingPeriod; from?: string; to?: string }): Promise<FilingReport> {
  const data = await client.request<{ filingReport: ({ __typename: 'FilingReport' } & FilingReport) | AppErrorResult }>(
    `query($period: FilingPeriod!, $from: DateTime, $to: DateTime) {
      filingReport(period: $period, from: $from, to: $to) { __typename
        ... on FilingReport { period from to generatedAt lines { period breakdown key listings trades turnover { fen yuan } queries disputes } }
        ${APP_ERROR_FIELDS} } }`,
    { period: input.period, from: input.from ?? null, to: input.to ?? null },
  );
  return unwrap(data.filingReport);
}

/** The HTTP path of the report as CSV (send the API key as a bearer token). */
export function filingReportCsvPath(input: { period: FilingPeriod; from?: string; to?: string }): string {
  const q = new URLSearchParams({ period: input.period.toLowerCase() });
  if (input.from) q.set('from', input.from);
  if (input.to) q.set('to', input.to);
  return `/regulator/filing-report.csv?${q}`;
}

export type AlertRule = 'RELATED_PARTIES' | 'WASH_TRADING' | 'PRICE_OUTLIER' | 'QUERY_BURST' | 'REPEATED_DISPUTES';

export interface Alert {
  id: string;
  rule: AlertRule;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  subjectKind: string;
  subjectId: string;
  evidence: Record<string, unknown>;
  status: 'OPEN' | 'ACKNOWLEDGED';
  acknowledgedBy: { id: string; name: string } | null;
  acknowledgedAt: string | null;
  note: string | null;
  createdAt: string;
}

const ALERT_FIELDS = 'id rule severity subjectKind subjectId evidence status acknowledgedBy { id name } acknowledgedAt note createdAt';

/** Surveillance alerts, newest first. */
export async function listAlerts(client: ExchangeClient, filter: { status?: Alert['status']; rule?: AlertRule; first?: number } = {}): Promise<Alert[]> {
  const data = await client.request<{ alerts: { __typename: 'QueryAlertsSuccess'; data: Alert[] } | AppErrorResult }>(
    `query($status: AlertStatus, $rule: AlertRule, $first: Int) { alerts(status: $status, rule: $rule, first: $first) { __typename
      ... on QueryAlertsSuccess { data { ${ALERT_FIELDS} } } ${APP_ERROR_FIELDS} } }`,
    { status: filter.status ?? null, rule: filter.rule ?? null, first: filter.first ?? 50 },
  );
  return unwrap(data.alerts).data;
}

/** Runs every surveillance rule now: the alerts it raised (new ones only). */
export async function scanMarket(client: ExchangeClient): Promise<{ raised: Alert[]; candidates: number }> {
  const data = await client.request<{ scanMarket: { __typename: 'MarketScan'; raised: Alert[]; candidates: number } | AppErrorResult }>(
    `mutation { scanMarket { __typename ... on MarketScan { candidates raised { ${ALERT_FIELDS} } } ${APP_ERROR_FIELDS} } }`,
  );
  return unwrap(data.scanMarket);
}

export async function acknowledgeAlert(client: ExchangeClient, alertId: string, note: string): Promise<Alert> {
  const data = await client.request<{ acknowledgeAlert: ({ __typename: 'Alert' } & Alert) | AppErrorResult }>(
    `mutation($id: ID!, $note: String!) { acknowledgeAlert(alertId: $id, note: $note) { __typename ... on Alert { ${ALERT_FIELDS} } ${APP_ERROR_FIELDS} } }`,
    { id: alertId, note },
  );
  return unwrap(data.acknowledgeAlert);
}

export interface RecordVerification {
  kind: string;
  recordId: string;
  status: 'NOT_ANCHORED' | 'PENDING' | 'SEALED' | 'ANCHORED';
  /** The record as the database holds it now, in the canonical form that is hashed. */
  record: unknown;
  anchoredContentHash: string | null;
  recomputedContentHash: string | null;
  contentMatches: boolean | null;
  leaf: string | null;
  proof: string[];
  batchId: string | null;
  leafIndex: number | null;
  root: string | null;
  onChainRoot: string | null;
  txHash: string | null;
  blockNumber: number | null;
  proofReachesRoot: boolean;
  rootOnChain: boolean;
  verifiesOnChain: boolean;
  verified: boolean;
  problems: string[];
}

/** The exchange's end-to-end check of one anchored record: by a node's global id, or by kind and record id. */
export async function verifyRecord(client: ExchangeClient, ref: { id: string } | { kind: string; recordId: string }): Promise<RecordVerification> {
  const data = await client.request<{ verifyRecord: ({ __typename: 'RecordVerification' } & RecordVerification) | AppErrorResult }>(
    `query($id: ID, $kind: String, $recordId: String) { verifyRecord(id: $id, kind: $kind, recordId: $recordId) { __typename
      ... on RecordVerification { kind recordId status record anchoredContentHash recomputedContentHash contentMatches leaf proof batchId leafIndex root onChainRoot
        txHash blockNumber proofReachesRoot rootOnChain verifiesOnChain verified problems }
      ${APP_ERROR_FIELDS} } }`,
    'id' in ref ? { id: ref.id, kind: null, recordId: null } : { id: null, kind: ref.kind, recordId: ref.recordId },
  );
  return unwrap(data.verifyRecord);
}
