// 备案统计: the regulator's view of filed trades — how many and for how much (turnover, the
// sum of trade amounts in fen), grouped by any of period (day, ISO week, month or quarter, in
// Asia/Shanghai time), domain, classification, grade, territory and the cross-border flag,
// filtered by time range and the same fields. One GROUP BY over the trades per call.
import { and, eq, gte, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbHandle } from '../../db/client.ts';
import { trades } from '../../db/schema.ts';
import { DOMAIN_NAMES, GRADES, type Domain } from '../catalog/taxonomy.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { Jurisdiction } from '../trading/terms.ts';

export const FILING_DIMENSIONS = ['period', 'domain', 'classification', 'grade', 'territory', 'crossBorder'] as const;
export type FilingDimension = (typeof FILING_DIMENSIONS)[number];
export const FILING_PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type FilingPeriod = (typeof FILING_PERIODS)[number];

/** Filing periods are the exchange's local calendar. */
export const FILING_TIME_ZONE = 'Asia/Shanghai';

/** How a period is labelled: 2024-03-04, 2024-W10 (ISO week), 2024-03, 2024-Q1. */
const PERIOD_LABELS: Record<FilingPeriod, string> = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q' };

/** The label of the local-calendar period an instant falls in (the period comes from the enum, never from a client's text). */
export function periodLabelSql(instant: SQL | AnyPgColumn, period: FilingPeriod): SQL<string> {
  return sql<string>`to_char(date_trunc(${sql.raw(`'${period}'`)}, ${instant} at time zone ${sql.raw(`'${FILING_TIME_ZONE}'`)}), ${sql.raw(`'${PERIOD_LABELS[period]}'`)})`;
}

const Input = z
  .object({
    groupBy: z.array(z.enum(FILING_DIMENSIONS)).max(FILING_DIMENSIONS.length).default([]),
    period: z.enum(FILING_PERIODS).default('month'),
    /** Trades at or after this instant. */
    from: z.date().optional(),
    /** Trades before this instant. */
    to: z.date().optional(),
    domain: z.enum(DOMAIN_NAMES as [Domain, ...Domain[]]).optional(),
    grade: z.enum(GRADES).optional(),
    /** A jurisdiction; a country (SG, CN) also covers its subdivisions (CN-GD). */
    territory: Jurisdiction.optional(),
    crossBorder: z.boolean().optional(),
  })
  .refine((i) => !i.from || !i.to || i.from < i.to, { path: ['to'], message: 'to must be after from' })
  .refine((i) => new Set(i.groupBy).size === i.groupBy.length, { path: ['groupBy'], message: 'a dimension is repeated' });

export interface FilingGroup {
  /** The group's value of each dimension grouped by; null for dimensions not grouped by. */
  period: string | null;
  domain: string | null;
  classification: string | null;
  grade: string | null;
  territory: string | null;
  crossBorder: boolean | null;
  tradeCount: number;
  turnoverFen: bigint;
}

export interface FilingStatistics {
  groups: FilingGroup[];
  tradeCount: number;
  turnoverFen: bigint;
}

export async function filingStatistics({ db, actor, input }: { db: DbHandle; actor: Viewer | null; input: z.input<typeof Input> }): Promise<FilingStatistics> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!(actsAs(actor, 'regulator') || actsAs(actor, 'operator'))) throw new AppError('FORBIDDEN');
  const options = parseInput(Input, input);

  const where: SQL[] = [];
  if (options.from) where.push(gte(trades.createdAt, options.from));
  if (options.to) where.push(lt(trades.createdAt, options.to));
  if (options.domain) where.push(eq(trades.domain, options.domain));
  if (options.grade) where.push(eq(trades.grade, options.grade));
  if (options.territory) where.push(or(eq(trades.territory, options.territory), like(trades.territory, `${options.territory}-%`))!);
  if (options.crossBorder !== undefined) where.push(eq(trades.crossBorder, options.crossBorder));

  const periodLabel = periodLabelSql(trades.createdAt, options.period);
  const dimensions: Record<FilingDimension, SQL> = {
    period: periodLabel,
    domain: sql`${trades.domain}`,
    classification: sql`${trades.classification}`,
    grade: sql`${trades.grade}`,
    territory: sql`${trades.territory}`,
    crossBorder: sql`${trades.crossBorder}`,
  };
  const grouped = FILING_DIMENSIONS.filter((d) => options.groupBy.includes(d));
  const fields: Record<string, SQL> = {
    tradeCount: sql<number>`count(*)::int`,
    turnover: sql<string>`coalesce(sum(${trades.amountFen}), 0)::text`,
  };
  for (const d of grouped) fields[d] = dimensions[d].as(d) as unknown as SQL;
  const base = db.select(fields).from(trades).where(and(...where)).$dynamic();
  const rows = (grouped.length
    ? await base.groupBy(...grouped.map((d) => dimensions[d])).orderBy(...grouped.map((d) => dimensions[d]))
    : await base) as unknown as Record<string, unknown>[];

  const groups = rows
    .filter((r) => grouped.length > 0 || Number(r.tradeCount) > 0)
    .map(
      (r): FilingGroup => ({
        period: grouped.includes('period') ? (r.period as string) : null,
        domain: grouped.includes('domain') ? (r.domain as string) : null,
        classification: grouped.includes('classification') ? (r.classification as string) : null,
        grade: grouped.includes('grade') ? (r.grade as string) : null,
        territory: grouped.includes('territory') ? (r.territory as string) : null,
        crossBorder: grouped.includes('crossBorder') ? (r.crossBorder as boolean) : null,
        tradeCount: Number(r.tradeCount),
        turnoverFen: BigInt(r.turnover as string),
      }),
    );
  return {
    groups,
    tradeCount: groups.reduce((s, g) => s + g.tradeCount, 0),
    turnoverFen: groups.reduce((s, g) => s + g.turnoverFen, 0n),
  };
}
