// A dataset version's description: metadata, schema and synthetic sample rows.
import type { Dataset } from '../../../sdk/graphql/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Hash, KeyValues } from './data.tsx';

export function DatasetFacts({ dataset }: { dataset: Dataset }) {
  const { t, lang, label, formatNumber, formatDate } = useI18n();
  const v = dataset.currentVersion;
  return (
    <>
      <section class="card" aria-labelledby="meta-h">
        <h2 id="meta-h">{t('dataset.metadata')}</h2>
        <p>{lang === 'zh' ? v.descriptionZh : v.descriptionEn}</p>
        <KeyValues
          items={[
            [t('dataset.otherTitle'), lang === 'zh' ? v.titleEn : v.titleZh],
            [t('dataset.provider'), `${dataset.provider.name} (${dataset.provider.jurisdiction})`],
            [t('catalog.domain'), label('domain', v.domain)],
            [t('dataset.classification'), <code>{v.classification}</code>],
            [t('catalog.grade'), `${v.grade} · ${label('gradeLong', v.grade)}`],
            [t('dataset.frequency'), label('frequency', v.updateFrequency)],
            [t('dataset.rowCount'), formatNumber(v.rowCount)],
            [t('dataset.industry'), v.industry ?? '—'],
            [t('dataset.keywords'), v.keywords.join('、')],
            [t('dataset.personalInfo'), v.personalInfo ? t('common.yes') : t('common.no')],
            [t('dataset.version'), `v${v.version} · ${formatDate(v.createdAt)}`],
            [t('dataset.commitment'), <Hash value={v.commitment} />],
            [t('dataset.rowsMatch'), v.rowsMatchCommitment ? `✓ ${t('common.yes')}` : t('common.no')],
            [t('dataset.dcat'), <a href={dataset.dcatUrl}>{t('dataset.dcatLink')}</a>],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="schema-h">
        <h2 id="schema-h">{t('dataset.schema')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('schema.name')}</th>
                <th scope="col">{t('schema.type')}</th>
                <th scope="col">{t('schema.unit')}</th>
                <th scope="col">{t('schema.nullable')}</th>
                <th scope="col">{t('schema.sensitivity')}</th>
                <th scope="col">{t('schema.categories')}</th>
              </tr>
            </thead>
            <tbody>
              {v.columns.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>
                    {label('columnType', c.type)}
                    {c.scale !== null && c.type === 'DECIMAL' ? ` (${c.scale})` : ''}
                  </td>
                  <td>{c.unit ?? '—'}</td>
                  <td>{c.nullable ? t('common.yes') : t('common.no')}</td>
                  <td>{label('sensitivity', c.sensitivity)}</td>
                  <td>{c.categories?.join('、') ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {v.sampleRows.length > 0 && (
          <div class="table-wrap">
            <table>
              <caption>{t('dataset.samples')}</caption>
              <thead>
                <tr>
                  {v.columns.map((c) => (
                    <th scope="col" key={c.name}>
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.sampleRows.map((r, i) => (
                  <tr key={i}>
                    {v.columns.map((c) => (
                      <td key={c.name}>{r[c.name] ?? '—'}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function ListingHistory({ dataset }: { dataset: Dataset }) {
  const { t, label, formatDate } = useI18n();
  return (
    <div class="table-wrap">
      <table>
        <caption>{t('dataset.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.time')}</th>
            <th scope="col">{t('history.action')}</th>
            <th scope="col">{t('history.transition')}</th>
            <th scope="col">{t('history.actor')}</th>
            <th scope="col">{t('history.reason')}</th>
            <th scope="col">{t('anchor.status')}</th>
          </tr>
        </thead>
        <tbody>
          {dataset.listingHistory.map((e) => (
            <tr key={e.id}>
              <td>{formatDate(e.createdAt, true)}</td>
              <td>{label('action', e.action)}</td>
              <td>
                {label('status', e.fromStatus)} → {label('status', e.toStatus)}
              </td>
              <td>{e.actor?.name ?? '—'}</td>
              <td>{e.reason ?? '—'}</td>
              <td>{e.anchor ? label('anchor', e.anchor.status) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
