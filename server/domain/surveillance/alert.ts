// 市场风险预警: what a surveillance rule raises, and the thresholds the rules read. Each rule is
// a function over the database that returns alert candidates; scanMarket stores the new ones.
import { sql } from 'drizzle-orm';
import type { alerts } from '../../db/schema.ts';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertSeverity = AlertRow['severity'];

export const ALERT_RULES = {
  related_parties: 'A trade between related parties: one controls the other, or both have the same controller (实际控制人)',
  wash_trading: 'Trades that go round in a loop (A buys from B and B from A, or A → B → C → A) within the window',
  price_outlier: "An order priced far outside the dataset's accepted trades",
  query_burst: 'More metered queries against one dataset within a minute than the threshold',
  repeated_disputes: 'Repeated disputes against one provider within the window',
} as const;
export type AlertRule = keyof typeof ALERT_RULES;

export interface AlertCandidate {
  rule: AlertRule;
  severity: AlertSeverity;
  subjectKind: 'trade' | 'order' | 'dataset' | 'participant' | 'participants';
  subjectId: string;
  /** What makes two raisings the same alert: the same fingerprint is stored once. */
  fingerprint: string;
  evidence: Record<string, unknown>;
}

export interface SurveillanceThresholds {
  /** How far back the trade rules look. */
  lookbackDays: number;
  /** Trades of a loop must all fall within this many days. */
  washWindowDays: number;
  /** An order is an outlier above median × k or below median ÷ k. */
  priceFactor: number;
  /** Accepted trades of the same dataset and plan kind needed before prices are judged. */
  priceMinHistory: number;
  /** Metered uses of one dataset in any minute above this are a burst. */
  queriesPerMinute: number;
  /** Disputes against one respondent within disputeWindowDays at or above this raise an alert. */
  disputesPerProvider: number;
  disputeWindowDays: number;
}

export const DEFAULT_THRESHOLDS: SurveillanceThresholds = {
  lookbackDays: 90,
  washWindowDays: 30,
  priceFactor: 10,
  priceMinHistory: 5,
  queriesPerMinute: 60,
  disputesPerProvider: 3,
  disputeWindowDays: 30,
};

export interface RuleContext {
  now: Date;
  thresholds: SurveillanceThresholds;
}

/** An instant as a SQL timestamptz parameter (postgres.js takes no Date in raw SQL). */
export const instant = (at: Date) => sql`${at.toISOString()}::timestamptz`;
export const daysBefore = (now: Date, days: number) => instant(new Date(now.getTime() - days * 86_400_000));
