// Reading the catalog: who sees what, one dataset, many by id (for dataloaders), the listing
// history, and the buyers' search with facets and cursor pagination.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbHandle } from '../../db/client.ts';
import { datasets, datasetVersions, listingEvents, participants } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { z } from 'zod';
import type { DatasetRow, DatasetVersionRow } from './listing-transition.ts';
import { searchQuery } from './search-text.ts';
import { DOMAIN_NAMES, GRADES } from './taxonomy.ts';

/** Buyers and the public see listed datasets; a provider its own; operator and regulator all. */
export function canSeeDataset(viewer: Viewer | null, d: Pick<DatasetRow, 'status' | 'providerId'>): boolean {
  if (d.status === 'listed') return true;
  if (actsAs(viewer, 'operator') || actsAs(viewer, 'regulator')) return true;
  return !!viewer && viewer.participantId === d.providerId;
}

export async function getDataset({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<DatasetRow> {
  requireUuid(id, 'id');
  const [row] = await db.select().from(datasets).where(eq(datasets.id, id));
  if (!row || !canSeeDataset(actor, row)) throw new AppError('NOT_FOUND', { field: 'id' });
  return row;
}

export async function getDatasetsByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }) {
  const rows = ids.length ? await db.select().from(datasets).where(inArray(datasets.id, [...ids])) : [];
  const byId = new Map(rows.filter((r) => canSeeDataset(actor, r)).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Versions by id in one query; callers pass ids of datasets they could already see. */
export async function getVersionsByIds({ db, ids }: { db: DbHandle; ids: readonly string[] }): Promise<(DatasetVersionRow | null)[]> {
  const rows = ids.length ? await db.select().from(datasetVersions).where(inArray(datasetVersions.id, [...ids])) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function listVersions({ db, actor, datasetId }: { db: DbHandle; actor: Viewer | null; datasetId: string }) {
  await getDataset({ db, actor, id: datasetId });
  return db.select().from(datasetVersions).where(eq(datasetVersions.datasetId, datasetId)).orderBy(desc(datasetVersions.version));
}

export async function listingHistory({ db, actor, datasetId }: { db: DbHandle; actor: Viewer | null; datasetId: string }) {
  await getDataset({ db, actor, id: datasetId });
  return db.select().from(listingEvents).where(eq(listingEvents.datasetId, datasetId)).orderBy(asc(listingEvents.createdAt), asc(listingEvents.id));
}

/** Price bands in fen of a dataset's cheapest active plan; `unpriced` has no active plan yet. */
export const PRICE_BANDS = {
  unpriced: null,
  free: [0n, 0n],
  under_1k: [1n, 99_999n],
  '1k_10k': [100_000n, 999_999n],
  '10k_100k': [1_000_000n, 9_999_999n],
  over_100k: [10_000_000n, null],
} as const;
export const PRICE_BAND_NAMES = Object.keys(PRICE_BANDS) as [keyof typeof PRICE_BANDS, ...(keyof typeof PRICE_BANDS)[]];

/** The cheapest active plan's price of the dataset, null without one. */
const minPrice = sql`(select min(pp.price_fen) from price_plans pp where pp.dataset_id = ${datasets.id} and pp.status = 'active')`;

const priceBand = sql`case
  when ${minPrice} is null then 'unpriced'
  when ${minPrice} = 0 then 'free'
  when ${minPrice} < 100000 then 'under_1k'
  when ${minPrice} < 1000000 then '1k_10k'
  when ${minPrice} < 10000000 then '10k_100k'
  else 'over_100k' end`;

const SearchInput = z.object({
  text: z.string().max(200).optional(),
  domains: z.array(z.enum(DOMAIN_NAMES as [string, ...string[]])).max(20).optional(),
  grades: z.array(z.enum(GRADES)).max(4).optional(),
  jurisdictions: z.array(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/)).max(50).optional(),
  statuses: z.array(z.enum(['draft', 'in_review', 'listed', 'suspended', 'delisted'])).max(5).optional(),
  /** Price bands of the cheapest active plan (see PRICE_BANDS). */
  priceBands: z.array(z.enum(PRICE_BAND_NAMES)).max(PRICE_BAND_NAMES.length).optional(),
  /** market: listed datasets (anyone); mine: the caller's own in any status; all: operator and regulator. */
  scope: z.enum(['market', 'mine', 'all']).default('market'),
  sort: z.enum(['relevance', 'newest', 'title']).optional(),
  first: z.number().int().min(1).max(100).default(20),
  after: z.string().max(200).optional(),
});
export type SearchInput = z.input<typeof SearchInput>;

export interface FacetCount {
  value: string;
  count: number;
}

export interface CatalogPage {
  datasets: { dataset: DatasetRow; cursor: string }[];
  totalCount: number;
  hasNextPage: boolean;
  facets: { domain: FacetCount[]; grade: FacetCount[]; jurisdiction: FacetCount[]; price: FacetCount[] };
}

type Cursor = [string | number, string];

/**
 * Search: full text over both languages' titles, descriptions and keywords; facets by domain,
 * grade and the provider's jurisdiction (each counted under every other filter); keyset
 * pagination whose cursors stay valid while rows are added.
 */
export async function searchCatalog({ db, actor, input }: { db: DbHandle; actor: Viewer | null; input: SearchInput }): Promise<CatalogPage> {
  const q = parseInput(SearchInput, input);
  const scopeWhere: SQL[] = [];
  if (q.scope === 'market') scopeWhere.push(eq(datasets.status, 'listed'));
  else if (q.scope === 'mine') {
    if (!actor) throw new AppError('UNAUTHENTICATED');
    scopeWhere.push(eq(datasets.providerId, actor.participantId));
  } else if (!actsAs(actor, 'operator') && !actsAs(actor, 'regulator')) throw new AppError(actor ? 'FORBIDDEN' : 'UNAUTHENTICATED', { field: 'scope' });
  if (q.statuses?.length) scopeWhere.push(inArray(datasets.status, q.statuses));

  const terms = q.text ? searchQuery(q.text) : '';
  const tsquery = sql`plainto_tsquery('simple', ${terms})`;
  const textWhere = terms ? [sql`to_tsvector('simple', ${datasetVersions.searchText}) @@ ${tsquery}`] : [];
  const facetWhere = {
    domain: q.domains?.length ? inArray(datasetVersions.domain, q.domains) : undefined,
    grade: q.grades?.length ? inArray(datasetVersions.grade, q.grades) : undefined,
    jurisdiction: q.jurisdictions?.length ? inArray(participants.jurisdiction, q.jurisdictions) : undefined,
    price: q.priceBands?.length ? sql`${priceBand} in ${q.priceBands}` : undefined,
  };
  const base = (except?: keyof typeof facetWhere) =>
    and(...scopeWhere, ...textWhere, ...Object.entries(facetWhere).filter(([k, v]) => k !== except && v).map(([, v]) => v!));

  const sort = q.sort ?? (terms ? 'relevance' : 'newest');
  const rank = terms ? sql<number>`ts_rank(to_tsvector('simple', ${datasetVersions.searchText}), ${tsquery})` : sql<number>`0`;
  const key: { expr: SQL; dir: 'asc' | 'desc' } =
    sort === 'relevance'
      ? { expr: sql`round((${rank})::numeric, 6)`, dir: 'desc' }
      : sort === 'newest'
        ? { expr: sql`coalesce(${datasets.listedAt}, ${datasets.createdAt})`, dir: 'desc' }
        : { expr: sql`${datasetVersions.titleEn}`, dir: 'asc' };

  const after = q.after ? decodeCursor(q.after) : null;
  const afterWhere = after
    ? key.dir === 'desc'
      ? sql`(${key.expr}, ${datasets.id}) < (${after[0]}, ${after[1]})`
      : sql`(${key.expr}, ${datasets.id}) > (${after[0]}, ${after[1]})`
    : undefined;

  const pageRows = await db
    .select({ dataset: datasets, sortKey: sql<string>`(${key.expr})::text` })
    .from(datasets)
    .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
    .innerJoin(participants, eq(participants.id, datasets.providerId))
    .where(and(base(), afterWhere))
    .orderBy(key.dir === 'desc' ? sql`${key.expr} desc` : sql`${key.expr} asc`, key.dir === 'desc' ? desc(datasets.id) : asc(datasets.id))
    .limit(q.first + 1);

  const { total, facets } = await countFacets(db, facetWhere, base);
  const page = pageRows.slice(0, q.first);
  return {
    datasets: page.map((r) => ({ dataset: r.dataset, cursor: encodeCursor([r.sortKey, r.dataset.id]) })),
    totalCount: total,
    hasNextPage: pageRows.length > q.first,
    facets,
  };
}

type FacetName = keyof CatalogPage['facets'];

const FACET_COLUMNS: Record<FacetName, SQL> = {
  domain: sql`${datasetVersions.domain}`,
  grade: sql`${datasetVersions.grade}`,
  jurisdiction: sql`${participants.jurisdiction}`,
  price: priceBand,
};

/**
 * The total and the four facets. Each facet is counted under every filter but its own, so the
 * facets without a filter of their own share one GROUPING SETS query with the total (one scan
 * instead of five when nothing is filtered); each filtered facet needs its own query.
 */
async function countFacets(
  db: DbHandle,
  facetWhere: Record<FacetName, SQL | undefined>,
  base: (except?: FacetName) => SQL | undefined,
): Promise<{ total: number; facets: CatalogPage['facets'] }> {
  const names = Object.keys(FACET_COLUMNS) as FacetName[];
  const shared = names.filter((n) => !facetWhere[n]);
  const separate = names.filter((n) => facetWhere[n]);
  const from = (where: SQL | undefined) =>
    sql`from ${datasets}
      inner join ${datasetVersions} on ${datasetVersions.id} = ${datasets.currentVersionId}
      inner join ${participants} on ${participants.id} = ${datasets.providerId}
      ${where ? sql`where ${where}` : sql``}`;
  const facets = Object.fromEntries(names.map((n) => [n, [] as FacetCount[]])) as CatalogPage['facets'];
  let total = 0;

  // One row per (facet, value) plus the grand total, told apart by grouping(): it has bit
  // (k − 1 − i) set when the i-th shared column is not grouped in that row.
  const alias = (n: FacetName) => sql.raw(`f_${n}`);
  const columns = shared.length ? sql.join(shared.map((n) => sql`${FACET_COLUMNS[n]} as ${alias(n)}`), sql`, `) : sql`1 as one`;
  const grouping = shared.length ? sql`grouping(${sql.join(shared.map(alias), sql`, `)})` : sql`0`;
  const sets = sql.join([...shared.map((n) => sql`(${alias(n)})`), sql`()`], sql`, `);
  const sharedRows = rowsOf(
    await db.execute(sql`select ${shared.length ? sql`${sql.join(shared.map(alias), sql`, `)}, ` : sql``}${grouping} as g, count(*)::int as n from (select ${columns} ${from(base())}) s group by grouping sets (${sets})`),
  );
  const allBits = (1 << shared.length) - 1;
  for (const row of sharedRows) {
    const g = Number(row.g);
    if (g === allBits) total = Number(row.n);
    else {
      const name = shared.find((_, i) => (g & (1 << (shared.length - 1 - i))) === 0)!;
      facets[name].push({ value: String(row[`f_${name}`]), count: Number(row.n) });
    }
  }
  await Promise.all(
    separate.map(async (name) => {
      const rows = rowsOf(await db.execute(sql`select ${FACET_COLUMNS[name]} as value, count(*)::int as n ${from(base(name))} group by 1`));
      facets[name] = rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
    }),
  );
  for (const name of names) facets[name].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { total, facets };
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(c) && c.length === 2 && (typeof c[0] === 'string' || typeof c[0] === 'number') && typeof c[1] === 'string') {
      requireUuid(c[1], 'after');
      return c as Cursor;
    }
  } catch {
    // fall through
  }
  throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: not a cursor from this search' });
}
