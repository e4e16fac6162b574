// 数据产品: datasets, versions, the listing review and the catalog search.
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import { createDataset } from '../domain/catalog/create-dataset.ts';
import type { Column } from '../domain/catalog/dataset-input.ts';
import { COLUMN_TYPES, SENSITIVITIES } from '../domain/catalog/dataset-input.ts';
import { getDataset, getDatasetsByIds, listingHistory, listVersions, PRICE_BAND_NAMES, searchCatalog, type FacetCount } from '../domain/catalog/find-datasets.ts';
import { LISTING_RULES, type CheckResult } from '../domain/catalog/listing-checks.ts';
import { LISTING_DECISION_KIND, type DatasetRow, type DatasetVersionRow } from '../domain/catalog/listing-transition.ts';
import { reviewListing } from '../domain/catalog/review-listing.ts';
import { reviseDataset } from '../domain/catalog/revise-dataset.ts';
import { submitForReview } from '../domain/catalog/submit-for-review.ts';
import { superviseListing } from '../domain/catalog/supervise-listing.ts';
import { DOMAIN_NAMES, GRADES, UPDATE_FREQUENCIES, type Domain } from '../domain/catalog/taxonomy.ts';
import { uploadDatasetRows } from '../domain/catalog/upload-dataset-rows.ts';
import type { listingEvents } from '../db/schema.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder } from './builder.ts';
import { ParticipantRef } from './participants.ts';

type ListingEventRow = typeof listingEvents.$inferSelect;

const enumOf = <T extends string>(name: string, values: readonly T[], description?: string) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((v) => [v.toUpperCase(), { value: v }])) as Record<string, { value: T }>,
  });

export const DatasetStatusEnum = enumOf('DatasetStatus', ['draft', 'in_review', 'listed', 'suspended', 'delisted'] as const, '挂牌 status');
export const GradeEnum = enumOf('Grade', GRADES, '分级: L1 public, L2 internal, L3 sensitive, L4 important/core');
const ColumnTypeEnum = enumOf('ColumnType', COLUMN_TYPES);
const SensitivityEnum = enumOf('Sensitivity', SENSITIVITIES);
const UpdateFrequencyEnum = enumOf('UpdateFrequency', UPDATE_FREQUENCIES);
export const DomainEnum = enumOf('DataDomain', DOMAIN_NAMES, 'The domain taxonomy (分类)');
const ListingActionEnum = enumOf('ListingAction', ['create', 'revise', 'submit', 'approve', 'reject', 'suspend', 'reinstate', 'delist'] as const);
const SupervisoryActionEnum = enumOf('SupervisoryAction', ['suspend', 'reinstate', 'delist'] as const);
const CatalogScopeEnum = enumOf('CatalogScope', ['market', 'mine', 'all'] as const, 'market: listed datasets; mine: your own in any status; all: operator and regulator');
const CatalogSortEnum = enumOf('CatalogSort', ['relevance', 'newest', 'title'] as const);

const ColumnRef = builder.objectRef<Column>('DatasetColumn').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: ColumnTypeEnum, resolve: (c) => c.type }),
    unit: t.exposeString('unit', { nullable: true }),
    nullable: t.exposeBoolean('nullable'),
    sensitivity: t.field({ type: SensitivityEnum, resolve: (c) => c.sensitivity }),
    scale: t.exposeInt('scale', { nullable: true }),
    categories: t.exposeStringList('categories', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

export const DatasetVersionRef = builder.objectRef<DatasetVersionRow>('DatasetVersion').implement({
  description: 'One version of a dataset: its description, schema and the commitment to its rows. Never edited.',
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    titleZh: t.exposeString('titleZh'),
    titleEn: t.exposeString('titleEn'),
    descriptionZh: t.exposeString('descriptionZh'),
    descriptionEn: t.exposeString('descriptionEn'),
    domain: t.field({ type: DomainEnum, resolve: (v) => v.domain as Domain }),
    industry: t.exposeString('industry', { nullable: true }),
    keywords: t.exposeStringList('keywords'),
    columns: t.field({ type: [ColumnRef], resolve: (v) => v.columns as Column[] }),
    updateFrequency: t.field({ type: UpdateFrequencyEnum, resolve: (v) => v.updateFrequency as (typeof UPDATE_FREQUENCIES)[number] }),
    rowCount: t.exposeInt('rowCount'),
    sampleRows: t.field({ type: 'JSON', description: 'Synthetic sample rows', resolve: (v) => v.sampleRows }),
    classification: t.exposeString('classification'),
    grade: t.field({ type: GradeEnum, resolve: (v) => v.grade }),
    personalInfo: t.exposeBoolean('personalInfo'),
    commitment: t.exposeString('commitment', { description: 'Poseidon Merkle root of the rows (decimal field element)' }),
    complianceRules: t.field({ type: 'JSON', nullable: true, resolve: (v) => v.complianceRules ?? null }),
    minGroupSize: t.exposeInt('minGroupSize'),
    uploadedRowCount: t.exposeInt('uploadedRowCount', { nullable: true }),
    rowsMatchCommitment: t.boolean({ resolve: (v) => v.uploadedCommitment === v.commitment && v.uploadedRowCount === v.rowCount }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ListingCheckRef = builder.objectRef<CheckResult>('ListingCheck').implement({
  description: 'One automated listing rule and its outcome',
  fields: (t) => ({
    rule: t.exposeString('rule'),
    description: t.string({ resolve: (c) => LISTING_RULES[c.rule as keyof typeof LISTING_RULES] ?? c.rule }),
    passed: t.exposeBoolean('passed'),
    detail: t.exposeString('detail'),
  }),
});

const ListingEventRef = builder.objectRef<ListingEventRow>('ListingEvent').implement({
  description: 'A move in the listing history: who, what, why, and for decisions the on-chain proof',
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.field({ type: ListingActionEnum, resolve: (e) => e.action }),
    fromStatus: t.field({ type: DatasetStatusEnum, resolve: (e) => e.fromStatus as DatasetRow['status'] }),
    toStatus: t.field({ type: DatasetStatusEnum, resolve: (e) => e.toStatus as DatasetRow['status'] }),
    actor: t.field({ type: ParticipantRef, nullable: true, resolve: (e, _a, ctx) => ctx.loaders.participant.load(e.actorId) }),
    reason: t.exposeString('reason', { nullable: true }),
    checks: t.field({ type: [ListingCheckRef], nullable: true, resolve: (e) => (e.checks as CheckResult[] | null) ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      resolve: (e, _a, ctx) =>
        getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: LISTING_DECISION_KIND, recordId: e.id }),
    }),
  }),
});

export const DatasetRef = builder.objectRef<DatasetRow>('Dataset');

builder.node(DatasetRef, {
  description: '数据产品: a listed (or to be listed) data product',
  id: { resolve: (d) => d.id },
  loadMany: (ids, ctx) => getDatasetsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    status: t.field({ type: DatasetStatusEnum, resolve: (d) => d.status }),
    provider: t.field({ type: ParticipantRef, resolve: async (d, _a, ctx) => (await ctx.loaders.participant.load(d.providerId))! }),
    currentVersion: t.field({ type: DatasetVersionRef, resolve: async (d, _a, ctx) => (await ctx.loaders.version.load(d.currentVersionId!))! }),
    versions: t.field({ type: [DatasetVersionRef], resolve: (d, _a, ctx) => listVersions({ db: ctx.services.db, actor: ctx.viewer, datasetId: d.id }) }),
    listingHistory: t.field({ type: [ListingEventRef], resolve: (d, _a, ctx) => listingHistory({ db: ctx.services.db, actor: ctx.viewer, datasetId: d.id }) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    listedAt: t.expose('listedAt', { type: 'DateTime', nullable: true }),
    dcatUrl: t.string({ description: 'DCAT (JSON-LD) description at a stable URL', resolve: (d) => `/catalog/datasets/${d.id}.jsonld` }),
  }),
});

const FacetCountRef = builder.objectRef<FacetCount>('FacetCount').implement({
  fields: (t) => ({ value: t.exposeString('value'), count: t.exposeInt('count') }),
});

const PriceBandEnum = builder.enumType('PriceBand', {
  description: "Bands of a dataset's cheapest active price plan, in yuan",
  values: Object.fromEntries(PRICE_BAND_NAMES.map((b) => [b.toUpperCase().replace(/^(\d)/, 'FROM_$1'), { value: b }])) as Record<string, { value: (typeof PRICE_BAND_NAMES)[number] }>,
});

const CatalogFacetsRef = builder.objectRef<{ domain: FacetCount[]; grade: FacetCount[]; jurisdiction: FacetCount[]; price: FacetCount[] }>('CatalogFacets').implement({
  fields: (t) => ({
    price: t.field({ type: [FacetCountRef], description: 'Counts per price band (unpriced, free, under_1k, 1k_10k, 10k_100k, over_100k)', resolve: (f) => f.price }),
    domain: t.field({ type: [FacetCountRef], resolve: (f) => f.domain }),
    grade: t.field({ type: [FacetCountRef], resolve: (f) => f.grade }),
    jurisdiction: t.field({ type: [FacetCountRef], resolve: (f) => f.jurisdiction }),
  }),
});

builder.queryFields((t) => ({
  dataset: t.field({
    type: DatasetRef,
    errors: {},
    args: { id: t.arg.globalID({ required: true, for: DatasetRef }) },
    resolve: (_r, { id }, ctx) => getDataset({ db: ctx.services.db, actor: ctx.viewer, id: id.id }),
  }),
  catalog: t.connection(
    {
      type: DatasetRef,
      description: 'Search the catalog: full text in Chinese and English, facets, sort, cursor pagination',
      errors: {},
      args: {
        text: t.arg.string(),
        domains: t.arg({ type: [DomainEnum] }),
        grades: t.arg({ type: [GradeEnum] }),
        jurisdictions: t.arg.stringList(),
        statuses: t.arg({ type: [DatasetStatusEnum] }),
        priceBands: t.arg({ type: [PriceBandEnum] }),
        scope: t.arg({ type: CatalogScopeEnum }),
        sort: t.arg({ type: CatalogSortEnum }),
      },
      resolve: async (_r, args, ctx) => {
        const page = await searchCatalog({
          db: ctx.services.db,
          actor: ctx.viewer,
          input: {
            text: args.text ?? undefined,
            domains: args.domains ?? undefined,
            grades: args.grades ?? undefined,
            jurisdictions: args.jurisdictions ?? undefined,
            statuses: args.statuses ?? undefined,
            priceBands: args.priceBands ?? undefined,
            scope: args.scope ?? undefined,
            sort: args.sort ?? undefined,
            first: args.first ?? 20,
            after: args.after ?? undefined,
          },
        });
        return {
          edges: page.datasets.map((d) => ({ node: d.dataset, cursor: d.cursor })),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: !!args.after,
            startCursor: page.datasets[0]?.cursor ?? null,
            endCursor: page.datasets.at(-1)?.cursor ?? null,
          },
          totalCount: page.totalCount,
          facets: page.facets,
        };
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }),
        facets: c.field({ type: CatalogFacetsRef, resolve: (conn) => (conn as unknown as { facets: { domain: FacetCount[]; grade: FacetCount[]; jurisdiction: FacetCount[]; price: FacetCount[] } }).facets }),
      }),
    },
  ),
}));

const ColumnInput = builder.inputType('DatasetColumnInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: ColumnTypeEnum, required: true }),
    unit: t.string(),
    nullable: t.boolean({ required: true }),
    sensitivity: t.field({ type: SensitivityEnum, required: true }),
    scale: t.int(),
    categories: t.stringList(),
    description: t.string(),
  }),
});

const DatasetInput = builder.inputType('DatasetInput', {
  fields: (t) => ({
    titleZh: t.string({ required: true }),
    titleEn: t.string({ required: true }),
    descriptionZh: t.string({ required: true }),
    descriptionEn: t.string({ required: true }),
    domain: t.field({ type: DomainEnum, required: true }),
    industry: t.string(),
    keywords: t.stringList({ required: true }),
    columns: t.field({ type: [ColumnInput], required: true }),
    updateFrequency: t.field({ type: UpdateFrequencyEnum, required: true }),
    rowCount: t.int({ required: true }),
    sampleRows: t.field({ type: 'JSON', required: true, description: 'A list of synthetic rows: objects keyed by column name' }),
    classification: t.string({ required: true, description: 'e.g. finance.credit' }),
    grade: t.field({ type: GradeEnum, required: true }),
    personalInfo: t.boolean({ required: true }),
    commitment: t.string({ required: true, description: 'Poseidon Merkle root of the rows, computed by the sdk' }),
    complianceRules: t.field({ type: 'JSON', description: 'Column rules to prove in zero knowledge, on the first 4 columns of the schema (the ones the circuits read): { column: { nonNull, range: { min, max }, allowed: [...], noResidentIdNumbers } }' }),
    minGroupSize: t.int({ description: 'k: encrypted queries never reveal a group of fewer rows (default 5)' }),
  }),
});

/** GraphQL gives null for omitted optional fields; the domain's schemas expect them absent. */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
  }
  return value;
}

const DatasetWithVersionRef = builder.objectRef<{ dataset: DatasetRow; version: DatasetVersionRow }>('DatasetDraft').implement({
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, resolve: (r) => r.dataset }),
    version: t.field({ type: DatasetVersionRef, resolve: (r) => r.version }),
  }),
});

const UploadResultRef = builder.objectRef<{ rowCount: number; commitment: string; matchesDeclaration: boolean }>('RowUpload').implement({
  fields: (t) => ({
    rowCount: t.exposeInt('rowCount'),
    commitment: t.exposeString('commitment', { description: 'The commitment recomputed from the uploaded rows' }),
    matchesDeclaration: t.exposeBoolean('matchesDeclaration'),
  }),
});

const SubmissionRef = builder.objectRef<{ dataset: DatasetRow; checks: CheckResult[] }>('ReviewSubmission').implement({
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, resolve: (r) => r.dataset }),
    checks: t.field({ type: [ListingCheckRef], resolve: (r) => r.checks }),
  }),
});

builder.mutationFields((t) => ({
  createDataset: t.field({
    type: DatasetWithVersionRef,
    description: 'A verified provider describes a new dataset (draft, version 1)',
    authScopes: { provider: true },
    errors: {},
    args: { input: t.arg({ type: DatasetInput, required: true }) },
    resolve: (_r, { input }, ctx) => createDataset({ db: ctx.services.db, actor: ctx.viewer, input: withoutNulls(input) }),
  }),
  reviseDataset: t.field({
    type: DatasetWithVersionRef,
    description: 'A new version of your dataset; a listed dataset returns to draft for review',
    authScopes: { provider: true },
    errors: {},
    args: { datasetId: t.arg.globalID({ required: true, for: DatasetRef }), input: t.arg({ type: DatasetInput, required: true }) },
    resolve: (_r, args, ctx) => reviseDataset({ db: ctx.services.db, actor: ctx.viewer, datasetId: args.datasetId.id, input: withoutNulls(args.input) }),
  }),
  uploadDatasetRows: t.field({
    type: UploadResultRef,
    description: "Upload the current draft version's rows (CSV with a header) to your private store; they never appear in the catalog",
    authScopes: { provider: true },
    errors: {},
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      csv: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) => uploadDatasetRows({ db: ctx.services.db, actor: ctx.viewer, datasetId: args.datasetId.id, csv: args.csv }),
  }),
  submitDatasetForReview: t.field({
    type: SubmissionRef,
    description: 'Run the automated checks and, if all pass, put the draft in the review queue',
    authScopes: { provider: true },
    errors: {},
    args: { datasetId: t.arg.globalID({ required: true, for: DatasetRef }) },
    resolve: (_r, args, ctx) => submitForReview({ db: ctx.services.db, actor: ctx.viewer, datasetId: args.datasetId.id }),
  }),
  reviewDataset: t.field({
    type: DatasetRef,
    description: "The operator's listing decision: approve (listed) or reject with a reason (back to draft); anchored on chain",
    authScopes: { operator: true },
    errors: {},
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      approve: t.arg.boolean({ required: true }),
      reason: t.arg.string(),
    },
    resolve: (_r, args, ctx) =>
      reviewListing({ db: ctx.services.db, actor: ctx.viewer, input: { datasetId: args.datasetId.id, approve: args.approve, reason: args.reason ?? undefined } }),
  }),
  superviseDataset: t.field({
    type: DatasetRef,
    description: 'Suspend or reinstate (regulator, operator), or delist (also the provider), with a reason; anchored on chain',
    authScopes: { $any: { regulator: true, operator: true, provider: true } },
    errors: {},
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      action: t.arg({ type: SupervisoryActionEnum, required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) =>
      superviseListing({ db: ctx.services.db, actor: ctx.viewer, input: { datasetId: args.datasetId.id, action: args.action, reason: args.reason } }),
  }),
}));
