// 备案统计: filing statistics over the trades, for regulators and the operator.
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
  description: 'Calendar periods in Asia/Shanghai time: a day (2024-03-04), an ISO week (2024-W10) or a month (2024-03)',
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

builder.queryFields((t) => ({
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
