// Runs every surveillance rule over the database and stores the alerts not raised before
// (one per fingerprint). A regulator triggers it; a timer may too (the caller without an actor).
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { alerts } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { DEFAULT_THRESHOLDS, type AlertCandidate, type AlertRow, type AlertRule, type RuleContext } from './alert.ts';
import { priceOutliers } from './price-outliers.ts';
import { queryBursts } from './query-bursts.ts';
import { relatedPartyTrades } from './related-party-trades.ts';
import { repeatedDisputes } from './repeated-disputes.ts';
import { washTrading } from './wash-trading.ts';

export const SURVEILLANCE_RULES: Record<AlertRule, (db: Db, context: RuleContext) => Promise<AlertCandidate[]>> = {
  related_parties: relatedPartyTrades,
  wash_trading: washTrading,
  price_outlier: priceOutliers,
  query_burst: queryBursts,
  repeated_disputes: repeatedDisputes,
};

const Thresholds = z
  .object({
    lookbackDays: z.number().int().min(1).max(3650),
    washWindowDays: z.number().int().min(1).max(365),
    priceFactor: z.number().min(1.5).max(1000),
    priceMinHistory: z.number().int().min(2).max(10_000),
    queriesPerMinute: z.number().int().min(1).max(1_000_000),
    disputesPerProvider: z.number().int().min(2).max(1000),
    disputeWindowDays: z.number().int().min(1).max(365),
  })
  .partial();

export interface MarketScan {
  /** Alerts raised by this scan (new fingerprints). */
  raised: AlertRow[];
  /** Candidates every rule found, new or already raised. */
  candidates: number;
}

export interface ScanOptions {
  db: Db;
  now?: Date;
  thresholds?: z.input<typeof Thresholds>;
  rules?: AlertRule[];
}

/** A regulator's scan (mutation scanMarket). */
export async function scanMarket(options: ScanOptions & { actor: Viewer | null }): Promise<MarketScan> {
  if (!options.actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(options.actor, 'regulator')) throw new AppError('FORBIDDEN');
  return runScan(options, options.actor);
}

/** The scheduler's scan (services.surveillance): the same rules, recorded in the audit log without an actor. */
export function scanMarketOnSchedule(options: ScanOptions): Promise<MarketScan> {
  return runScan(options, null);
}

async function runScan(options: ScanOptions, actor: Viewer | null): Promise<MarketScan> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...parseInput(Thresholds, options.thresholds ?? {}) };
  const context: RuleContext = { now: options.now ?? new Date(), thresholds };
  const rules = options.rules ?? (Object.keys(SURVEILLANCE_RULES) as AlertRule[]);
  const candidates: AlertCandidate[] = [];
  for (const rule of rules) candidates.push(...(await SURVEILLANCE_RULES[rule](options.db, context)));
  return options.db.transaction(async (tx) => {
    const raised = candidates.length
      ? await tx
          .insert(alerts)
          .values(candidates)
          .onConflictDoNothing({ target: alerts.fingerprint })
          .returning()
      : [];
    // A regulator's scan is always logged; a scheduled one only when it raised something,
    // or the log would fill with a line every few minutes.
    if (actor || raised.length > 0) {
      await recordAudit(tx, {
        actor,
        action: 'surveillance.scanned',
        subjectKind: 'market',
        details: { rules, candidates: candidates.length, raised: raised.map((a) => a.id), scheduled: actor === null },
      });
    }
    return { raised, candidates: candidates.length };
  });
}
