// 备案报表: the periodic filing report — per period (day, ISO week, month or quarter, Asia/Shanghai),
// how many datasets were listed, how many trades were filed and for how much, how many queries
// were metered and how many disputes opened, in total and broken down by domain, grade,
// jurisdiction, cross-border flag and price plan. One statement: every fact in one UNION ALL,
// counted once per breakdown with GROUPING SETS. The same lines serve JSON (GraphQL) and CSV.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { FILING_PERIODS, periodLabelSql, type FilingPeriod } from './filing-statistics.ts';
import { csvDocument } from '../csv.ts';

/**
 * The breakdowns of each period. A listing is not a trade: it has a domain and a grade but no
 * jurisdiction, cross-border flag or price plan, so it is counted in `total`, `domain` and `grade`
 * only. Queries and disputes take their trade's filing fields.
 */
export const REPORT_BREAKDOWNS = ['total', 'domain', 'grade', 'jurisdiction', 'crossBorder', 'pricePlan'] as const;
export type ReportBreakdown = (typeof REPORT_BREAKDOWNS)[number];

/** The column of the facts table each breakdown groups by; its bit in `grouping(...)` below. */
const BREAKDOWN_COLUMNS: Record<Exclude<ReportBreakdown, 'total'>, string> = {
  domain: 'domain',
  grade: 'grade',
  jurisdiction: 'territory',
  crossBorder: 'cross_border',
  pricePlan: 'plan_kind',
};

const Input = z
  .object({
    period: z.enum(FILING_PERIODS),
    /** Facts at or after this instant. */
    from: z.date().optional(),
    /** Facts before this instant. */
    to: z.date().optional(),
  })
  .refine((i) => !i.from || !i.to || i.from < i.to, { path: ['to'], message: 'to must be after from' });

export interface FilingReportLine {
  /** The period's label: 2024-03-04, 2024-W10, 2024-03 or 2024-Q1. */
  period: string;
  breakdown: ReportBreakdown;
  /** The breakdown's value (a domain, a grade, a jurisdiction, true/false, a plan kind); null for `total`. */
  key: string | null;
  /** Datasets approved for listing. */
  listings: number;
  /** Trades filed, and their turnover in fen. */
  trades: number;
  turnoverFen: bigint;
  /** Metered queries (uses of a licence other than deliveries). */
  queries: number;
  /** Disputes opened. */
  disputes: number;
}

export interface FilingReport {
  period: FilingPeriod;
  from: Date | null;
  to: Date | null;
  generatedAt: Date;
  /** Periods in order, each with its total line first, then its breakdowns by key. Periods with no activity have no lines. */
  lines: FilingReportLine[];
}

export async function filingReport({ db, actor, input }: { db: DbHandle; actor: Viewer | null; input: z.input<typeof Input> }): Promise<FilingReport> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const options = parseInput(Input, input);
  const generatedAt = new Date();
  const range = [sql`true`];
  if (options.from) range.push(sql`at >= ${options.from.toISOString()}::timestamptz`);
  if (options.to) range.push(sql`at < ${options.to.toISOString()}::timestamptz`);
  const columns = Object.values(BREAKDOWN_COLUMNS);
  const sets = sql.raw(['(period)', ...columns.map((c) => `(period, ${c})`)].join(', '));
  const result = await db.execute(sql`
    with facts as (
      select 'listing' as fact, e.created_at as at, v.domain, v.grade, null::text as territory, null::boolean as cross_border, null::text as plan_kind, 0::bigint as amount_fen
        from listing_events e join dataset_versions v on v.id = e.version_id where e.action = 'approve'
      union all
      select 'trade', t.created_at, t.domain, t.grade, t.territory, t.cross_border, t.plan_kind, t.amount_fen from trades t
      union all
      select 'query', u.created_at, t.domain, t.grade, t.territory, t.cross_border, t.plan_kind, 0
        from usage_records u join licences l on l.id = u.licence_id join trades t on t.id = l.trade_id where u.usage_ref not like 'delivery:%'
      union all
      select 'dispute', d.created_at, t.domain, t.grade, t.territory, t.cross_border, t.plan_kind, 0
        from disputes d join trades t on t.id = d.trade_id
    ), in_range as (
      select *, ${periodLabelSql(sql.raw('at'), options.period)} as period from facts where ${sql.join(range, sql` and `)}
    )
    select period, grouping(${sql.raw(columns.join(', '))})::int as grouped,
           ${sql.raw(columns.map((c) => `${c}::text as ${c}`).join(', '))},
           count(*) filter (where fact = 'listing')::int as listings,
           count(*) filter (where fact = 'trade')::int as trades,
           coalesce(sum(amount_fen) filter (where fact = 'trade'), 0)::text as turnover,
           count(*) filter (where fact = 'query')::int as queries,
           count(*) filter (where fact = 'dispute')::int as disputes
    from in_range
    group by grouping sets (${sets})`);

  const lines: FilingReportLine[] = [];
  for (const r of rowsOf(result)) {
    const breakdown = breakdownOf(Number(r.grouped), columns.length);
    const key = breakdown === 'total' ? null : ((r[BREAKDOWN_COLUMNS[breakdown]] as string | null) ?? null);
    // Listings have no jurisdiction, cross-border flag or plan: their group under those breakdowns has no key.
    if (breakdown !== 'total' && key === null) continue;
    lines.push({
      period: String(r.period),
      breakdown,
      key,
      listings: Number(r.listings),
      trades: Number(r.trades),
      turnoverFen: BigInt(r.turnover as string),
      queries: Number(r.queries),
      disputes: Number(r.disputes),
    });
  }
  const order = (l: FilingReportLine) => REPORT_BREAKDOWNS.indexOf(l.breakdown);
  lines.sort((a, b) => a.period.localeCompare(b.period) || order(a) - order(b) || (a.key ?? '').localeCompare(b.key ?? ''));
  return { period: options.period, from: options.from ?? null, to: options.to ?? null, generatedAt, lines };
}

/** `grouping(c1..cn)` sets a bit per column left out of the group: all set is the period's total, one clear is that breakdown. */
function breakdownOf(grouped: number, n: number): ReportBreakdown {
  const all = (1 << n) - 1;
  if (grouped === all) return 'total';
  const names = Object.keys(BREAKDOWN_COLUMNS) as Exclude<ReportBreakdown, 'total'>[];
  // The first column is the highest bit.
  const index = names.findIndex((_, i) => (grouped & (1 << (n - 1 - i))) === 0);
  return names[index]!;
}

const CSV_HEADER = ['period', 'breakdown', 'key', 'listings', 'trades', 'turnover_fen', 'queries', 'disputes'];

/** The report as CSV (RFC 4180), one line per period and breakdown key. */
export function filingReportCsv(report: FilingReport): string {
  return csvDocument(
    CSV_HEADER,
    report.lines.map((l) => [l.period, l.breakdown, l.key, l.listings, l.trades, l.turnoverFen, l.queries, l.disputes]),
  );
}
