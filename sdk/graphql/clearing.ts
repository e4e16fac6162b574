// 清算结算: clearing cycles (operator, regulator), the operator's run, and each participant's
// settlement records with their chain proofs.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { ANCHOR_PROOF, MONEY, nodesOf, PAGE_INFO, type ConnectionResult, type PageArgs } from './fragments.ts';
import type { AnchorProof, Connection, Money } from './types.ts';

export interface SettlementRecord {
  id: string;
  cycleSeq: number;
  createdAt: string;
  receivable: Money;
  payable: Money;
  net: Money;
  lines: { income: Money; trades: Money; usage: Money; remedyPaid: Money; remedyReceived: Money };
  /** What the anchor commits to: keccak256 of its canonical JSON is anchor.contentHash. */
  content: unknown;
  anchor: AnchorProof | null;
}

export interface ClearingCycle {
  id: string;
  seq: number;
  status: 'COMPUTED' | 'SETTLED';
  trigger: 'MANUAL' | 'SCHEDULE';
  cutoff: string;
  createdAt: string;
  settledAt: string | null;
  feeBps: number;
  totals: { gross: Money; fees: Money; income: Money; remedies: Money; lines: number; certificates: number; settlementRecords: number | null; settlementRoot: string | null };
  anchor: AnchorProof | null;
}

const SETTLEMENT = `{ id cycleSeq createdAt receivable ${MONEY} payable ${MONEY} net ${MONEY}
  lines { income ${MONEY} trades ${MONEY} usage ${MONEY} remedyPaid ${MONEY} remedyReceived ${MONEY} } content anchor ${ANCHOR_PROOF} }`;

const CYCLE = `{ id seq status trigger cutoff createdAt settledAt feeBps
  totals { gross ${MONEY} fees ${MONEY} income ${MONEY} remedies ${MONEY} lines certificates settlementRecords settlementRoot } anchor ${ANCHOR_PROOF} }`;

/** Your organisation's settlement records, newest first. */
export async function listMySettlements(client: ExchangeClient, args: PageArgs = {}): Promise<Connection<SettlementRecord>> {
  const data = await client.request<{ mySettlements: ConnectionResult<SettlementRecord> }>(
    `query($first: Int, $after: String) { mySettlements(first: $first, after: $after) { __typename
      ... on QueryMySettlementsConnection { edges { node ${SETTLEMENT} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.mySettlements));
}

/** Clearing cycles, newest first (operator, regulator). */
export async function listClearingCycles(client: ExchangeClient, args: PageArgs = {}): Promise<Connection<ClearingCycle>> {
  const data = await client.request<{ clearingCycles: ConnectionResult<ClearingCycle> }>(
    `query($first: Int, $after: String) { clearingCycles(first: $first, after: $after) { __typename
      ... on QueryClearingCyclesConnection { edges { node ${CYCLE} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.clearingCycles));
}

/** Clear and settle now (operator); null when there was nothing to clear. Safe to repeat. */
export async function runClearingCycle(client: ExchangeClient): Promise<ClearingCycle | null> {
  const data = await client.request<{ runClearingCycle: { __typename: 'ClearingRun'; cycle: ClearingCycle | null } | AppErrorResult }>(
    `mutation { runClearingCycle { __typename ... on ClearingRun { cycle ${CYCLE} } ${APP_ERROR_FIELDS} } }`,
  );
  return unwrap(data.runClearingCycle).cycle;
}
