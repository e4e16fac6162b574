// 备案统计: filing statistics over the trades, for regulators and the operator; and the periodic
// filing report (备案报表) for regulators (CSV at /regulator/filing-report.csv).
import { GRADES, type Domain } from '../domain/catalog/taxonomy.ts';
import {
  FILING_DIMENSIONS,
  FILING_PERIODS,
  filingStatistics,
  type FilingDimension,
  type FilingGroup,
  type FilingPeriod,
  type FilingStatistics,
} from '../domain/filing/filing-statistics.ts';
import { filingReport, REPORT_BREAKDOWNS, type FilingReport, type FilingReportLine, type ReportBreakdown } from '../domain/filing/filing-report.ts';
import { builder } from './builder.ts';
import { DomainEnum, GradeEnum } from './catalog.ts';
import { money, MoneyRef } from './money.ts';

const DIMENSION_NAMES: Record<FilingDimension, string> = {
  period: 'PERIOD',
  domain: 'DOMAIN',
  classification: 'CLASSIFICATION',
  grade: 'GRADE',
  territory: 'TERRITORY',
  crossBorder: 'CROSS_BORDER',
};

const FilingDimensionEnum = builder.enumType('FilingDimension', {
  description: 'What filing statistics are grouped by',
  values: Object.fromEntries(FILING_DIMENSIONS.map((d) => [DIMENSION_NAMES[d], { value: d }])) as Record<string, { value: FilingDimension }>,
});

const FilingPeriodEnum = builder.enumType('FilingPeriod', {
  description: 'Calendar periods in Asia/Shanghai time: a day (2024-03-04), an ISO week (2024-W10), a month (2024-03) or a quarter (2024-Q1)',
  values: Object.fromEntries(FILING_PERIODS.map((p) => [p.toUpperCase(), { value: p }])) as Record<string, { value: FilingPeriod }>,
});

const FilingGroupRef = builder.objectRef<FilingGroup>('FilingGroup').implement({
  description: 'One group of filed trades; the dimensions not grouped by are null',
  fields: (t) => ({
    period: t.exposeString('period', { nullable: true }),
    domain: t.field({ type: DomainEnum, nullable: true, resolve: (g) => g.domain as Domain | null }),
    classification: t.exposeString('classification', { nullable: true }),
    grade: t.field({ type: GradeEnum, nullable: true, resolve: (g) => g.grade as (typeof GRADES)[number] | null }),
    territory: t.exposeString('territory', { nullable: true, description: "The buyer's jurisdiction" }),
    crossBorder: t.exposeBoolean('crossBorder', { nullable: true }),
    tradeCount: t.exposeInt('tradeCount'),
    turnover: t.field({ type: MoneyRef, description: 'The sum of the trades’ amounts', resolve: (g) => money(g.turnoverFen) }),
  }),
});

const FilingStatisticsRef = builder.objectRef<FilingStatistics>('FilingStatistics').implement({
  fields: (t) => ({
    groups: t.field({ type: [FilingGroupRef], resolve: (s) => s.groups }),
    tradeCount: t.exposeInt('tradeCount'),
    turnover: t.field({ type: MoneyRef, resolve: (s) => money(s.turnoverFen) }),
  }),
});

const BREAKDOWN_NAMES: Record<ReportBreakdown, string> = {
  total: 'TOTAL',
  domain: 'DOMAIN',
  grade: 'GRADE',
  jurisdiction: 'JURISDICTION',
  crossBorder: 'CROSS_BORDER',
  pricePlan: 'PRICE_PLAN',
};

const ReportBreakdownEnum = builder.enumType('FilingReportBreakdown', {
  description: "What a report line counts: the period's total, or one value of a breakdown (listings only under TOTAL, DOMAIN and GRADE)",
  values: Object.fromEntries(REPORT_BREAKDOWNS.map((b) => [BREAKDOWN_NAMES[b], { value: b }])) as Record<string, { value: ReportBreakdown }>,
});

const FilingReportLineRef = builder.objectRef<FilingReportLine>('FilingReportLine').implement({
  fields: (t) => ({
    period: t.exposeString('period'),
    breakdown: t.field({ type: ReportBreakdownEnum, resolve: (l) => l.breakdown }),
    key: t.exposeString('key', { nullable: true, description: 'The breakdown’s value (domain, grade, jurisdiction, true/false, plan kind); null for TOTAL' }),
    listings: t.exposeInt('listings', { description: 'Datasets approved for listing' }),
    trades: t.exposeInt('trades'),
    turnover: t.field({ type: MoneyRef, resolve: (l) => money(l.turnoverFen) }),
    queries: t.exposeInt('queries', { description: 'Metered queries (licence uses other than deliveries)' }),
    disputes: t.exposeInt('disputes', { description: 'Disputes opened' }),
  }),
});

const FilingReportRef = builder.objectRef<FilingReport>('FilingReport').implement({
  description: '备案报表: per period, listings, trades, turnover, queries and disputes, in total and by domain, grade, jurisdiction, cross-border flag and price plan',
  fields: (t) => ({
    period: t.field({ type: FilingPeriodEnum, resolve: (r) => r.period }),
    from: t.expose('from', { type: 'DateTime', nullable: true }),
    to: t.expose('to', { type: 'DateTime', nullable: true }),
    generatedAt: t.expose('generatedAt', { type: 'DateTime' }),
    lines: t.field({ type: [FilingReportLineRef], resolve: (r) => r.lines }),
  }),
});

builder.queryFields((t) => ({
  filingReport: t.field({
    type: FilingReportRef,
    description: '备案报表: the periodic filing report (regulators); the same lines as CSV at /regulator/filing-report.csv?period=month&from=…&to=…',
    authScopes: { regulator: true },
    errors: {},
    args: {
      period: t.arg({ type: FilingPeriodEnum, required: true }),
      from: t.arg({ type: 'DateTime', description: 'Facts at or after this instant' }),
      to: t.arg({ type: 'DateTime', description: 'Facts before this instant' }),
    },
    resolve: (_r, args, ctx) => filingReport({ db: ctx.services.db, actor: ctx.viewer, input: { period: args.period, from: args.from ?? undefined, to: args.to ?? undefined } }),
  }),
  filingStatistics: t.field({
    type: FilingStatisticsRef,
    description: '备案统计: counts and turnover of filed trades, grouped and filtered (regulators, operator)',
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: {
      groupBy: t.arg({ type: [FilingDimensionEnum], required: true }),
      period: t.arg({ type: FilingPeriodEnum, description: 'The period when grouping by PERIOD (default MONTH)' }),
      from: t.arg({ type: 'DateTime', description: 'Trades at or after this instant' }),
      to: t.arg({ type: 'DateTime', description: 'Trades before this instant' }),
      domain: t.arg({ type: DomainEnum }),
      grade: t.arg({ type: GradeEnum }),
      territory: t.arg.string({ description: 'A jurisdiction; a country also covers its subdivisions' }),
      crossBorder: t.arg.boolean(),
    },
    resolve: (_r, args, ctx) =>
      filingStatistics({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: {
          groupBy: args.groupBy,
          period: args.period ?? undefined,
          from: args.from ?? undefined,
          to: args.to ?? undefined,
          domain: args.domain ?? undefined,
          grade: args.grade ?? undefined,
          territory: args.territory ?? undefined,
          crossBorder: args.crossBorder ?? undefined,
        },
      }),
  }),
}));
