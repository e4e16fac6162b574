// 数据目录: search the listed datasets by text, filter by facets, sort and page through them.
import { useEffect, useState } from 'preact/hooks';
import { listCatalog, type CatalogQuery } from '../../../sdk/graphql/catalog.ts';
import type { CatalogSort, DataDomain, DatasetSummary, FacetCount, Grade } from '../../../sdk/graphql/types.ts';
import { StatusBadge } from '../components/data.tsx';
import { ErrorNotice, Loading } from '../components/feedback.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate, seg } from '../router.tsx';
import { useSession } from '../session.tsx';

const PAGE_SIZE = 10;
const list = (q: URLSearchParams, k: string) => (q.get(k) ? q.get(k)!.split(',') : []);

export function CatalogPage({ query }: { query: URLSearchParams }) {
  const { t, label, formatNumber } = useI18n();
  const { client } = useSession();
  const text = query.get('q') ?? '';
  const domains = list(query, 'domain') as DataDomain[];
  const grades = list(query, 'grade') as Grade[];
  const jurisdictions = list(query, 'jurisdiction');
  const sort = (query.get('sort') as CatalogSort | null) ?? (text ? 'RELEVANCE' : 'NEWEST');
  // Cursors of the pages before this one, for "previous".
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const filters: CatalogQuery = { text, domains, grades, jurisdictions, sort, first: PAGE_SIZE, after };
  const page = useAsync(() => listCatalog(client, filters), [client, query.toString(), after]);
  const [draft, setDraft] = useState(text);
  useEffect(() => {
    // For the web benchmark: when the first results are on screen (once per page load).
    if (page.data && performance.getEntriesByName('catalog-ready').length === 0) performance.mark('catalog-ready');
  }, [page.data]);

  const update = (changes: Record<string, string | undefined>) => {
    setCursors([null]);
    const next = Object.fromEntries(query.entries());
    navigate('/', { ...next, ...changes }, { replace: true });
  };
  const toggle = (key: string, values: string[], value: string) => {
    const set = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
    update({ [key]: set.join(',') || undefined });
  };

  const facetGroup = (key: string, title: string, facets: FacetCount[] | undefined, selected: string[], toValue: (v: string) => string, group: string) => (
    <fieldset>
      <legend>{title}</legend>
      {(facets ?? []).length === 0 && <span class="muted small">—</span>}
      {(facets ?? []).map((f) => {
        const value = toValue(f.value);
        return (
          <label class="check" key={f.value}>
            <input type="checkbox" checked={selected.includes(value)} onChange={() => toggle(key, selected, value)} />
            {label(group, value)} <span class="muted">({formatNumber(f.count)})</span>
          </label>
        );
      })}
    </fieldset>
  );

  return (
    <Page title={t('catalog.title')}>
      <form
        role="search"
        class="row search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: draft.trim() || undefined, sort: undefined });
        }}
      >
        <div style={{ flex: '1 1 18rem' }}>
          <TextField type="search" label={t('catalog.search')} placeholder={t('catalog.searchHint')} value={draft} onValue={setDraft} />
        </div>
        <button type="submit" class="primary">
          {t('catalog.searchButton')}
        </button>
        <div style={{ flex: '0 1 12rem' }}>
          <SelectField<CatalogSort>
            label={t('catalog.sort')}
            value={sort}
            onValue={(v) => update({ sort: v })}
            options={(['RELEVANCE', 'NEWEST', 'TITLE'] as const).map((v) => ({ value: v, label: label('sort', v) }))}
          />
        </div>
      </form>
      <div class="layout-catalog">
        <aside class="facets" aria-label={t('catalog.filters')}>
          {facetGroup('domain', t('catalog.domain'), page.data?.facets.domain, domains, (v) => v.toUpperCase(), 'domain')}
          {facetGroup('grade', t('catalog.grade'), page.data?.facets.grade, grades, (v) => v, 'grade')}
          {facetGroup('jurisdiction', t('catalog.jurisdiction'), page.data?.facets.jurisdiction, jurisdictions, (v) => v, 'jurisdiction')}
          {(domains.length > 0 || grades.length > 0 || jurisdictions.length > 0 || text) && (
            <button type="button" onClick={() => (setDraft(''), navigate('/', {}, { replace: true }), setCursors([null]))}>
              {t('catalog.clear')}
            </button>
          )}
        </aside>
        <section aria-labelledby="results-heading" aria-busy={page.loading}>
          <h2 id="results-heading" class="sr-only">
            {t('catalog.results')}
          </h2>
          <ErrorNotice error={page.error} />
          {page.data && (
            <p class="muted" role="status">
              {t('catalog.count', { count: formatNumber(page.data.totalCount) })}
            </p>
          )}
          {page.loading && !page.data && <Loading />}
          {page.data?.nodes.map((d) => <DatasetCard key={d.id} dataset={d} />)}
          {page.data && page.data.nodes.length === 0 && <p>{t('catalog.empty')}</p>}
          {page.data && (cursors.length > 1 || page.data.pageInfo.hasNextPage) && (
            <nav class="pager" aria-label={t('catalog.pages')}>
              <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                {t('common.previous')}
              </button>
              <span>{t('catalog.page', { n: cursors.length })}</span>
              <button type="button" disabled={!page.data.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, page.data!.pageInfo.endCursor])}>
                {t('common.next')}
              </button>
            </nav>
          )}
        </section>
      </div>
    </Page>
  );
}

function DatasetCard({ dataset }: { dataset: DatasetSummary }) {
  const { t, lang, label, formatNumber, formatDate } = useI18n();
  const v = dataset.currentVersion;
  const title = lang === 'zh' ? v.titleZh : v.titleEn;
  const description = lang === 'zh' ? v.descriptionZh : v.descriptionEn;
  return (
    <article class="card dataset-card">
      <div class="spread">
        <h3>
          <Link to={`/datasets/${seg(dataset.id)}`}>{title}</Link>
        </h3>
        <span class="row">
          <span class="badge info">{label('domain', v.domain)}</span>
          <span class="badge muted" title={label('gradeLong', v.grade)}>
            {v.grade}
          </span>
          {dataset.status !== 'LISTED' && <StatusBadge group="status" value={dataset.status} />}
        </span>
      </div>
      <p class="muted small">
        {dataset.provider.name} · {t('dataset.rows', { n: formatNumber(v.rowCount) })} · {label('frequency', v.updateFrequency)} · {formatDate(dataset.listedAt ?? dataset.createdAt)}
      </p>
      <p>{description.length > 180 ? `${description.slice(0, 180)}…` : description}</p>
      <p class="small muted">{v.keywords.map((k) => `#${k}`).join(' ')}</p>
    </article>
  );
}
