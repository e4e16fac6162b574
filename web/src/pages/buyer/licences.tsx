// 使用许可: what the buyer may do with each dataset it bought, with quota and privacy budget.
import { localIdOf } from '../../../../sdk/graphql/ids.ts';
import { listLicences } from '../../../../sdk/graphql/trading.ts';
import type { Licence } from '../../../../sdk/graphql/types.ts';
import { StatusBadge, Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { downloadWithKey } from '../../download.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, seg } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export function quotaText(l: Licence, formatNumber: (n: number) => string, unlimited: string): string {
  return l.queryQuota === null ? unlimited : `${formatNumber(l.queriesRemaining ?? 0)} / ${formatNumber(l.queryQuota)}`;
}

export default function LicencesPage() {
  const { t, lang, label, formatDate, formatNumber } = useI18n();
  const { client } = useSession();
  const licences = useAsync(() => listLicences(client, { side: 'BUYER', first: 100 }), [client]);
  // Delivery licences: the rows, as the provider uploaded them, served behind the API key.
  const deliver = useAction((licenceId: string) => downloadWithKey(client.apiKey, `/deliveries/${localIdOf(licenceId)}.csv`, 'dataset.csv'));
  return (
    <Page title={t('nav.licences')}>
      <ErrorNotice error={licences.error ?? deliver.error} />
      {!licences.data ? (
        <Loading />
      ) : licences.data.nodes.length === 0 ? (
        <p>{t('licences.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('licences.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.dataset')}</th>
                <th scope="col">{t('order.purpose')}</th>
                <th scope="col">{t('plan.access')}</th>
                <th scope="col">{t('plan.territories')}</th>
                <th scope="col">{t('licences.valid')}</th>
                <th scope="col">{t('licences.quota')}</th>
                <th scope="col">{t('licences.budget')}</th>
                <th scope="col" class="num">
                  {t('licences.perQuery')}
                </th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {licences.data.nodes.map((l) => (
                <tr key={l.id}>
                  <td>{l.dataset ? <Link to={`/datasets/${seg(l.dataset.id)}`}>{lang === 'zh' ? l.dataset.currentVersion.titleZh : l.dataset.currentVersion.titleEn}</Link> : '—'}</td>
                  <td>{label('purpose', l.purpose)}</td>
                  <td>{label('access', l.access)}</td>
                  <td>{l.territories.join(', ')}</td>
                  <td>
                    {formatDate(l.validFrom)} – {formatDate(l.validUntil)}
                  </td>
                  <td>{quotaText(l, formatNumber, t('licences.unlimited'))}</td>
                  <td>{l.epsilonBudget === null ? '—' : `ε ${l.epsilonRemaining} / ${l.epsilonBudget}`}</td>
                  <td class="num">
                    <Yuan yuan={l.perQueryPrice.yuan} />
                  </td>
                  <td>
                    <StatusBadge group="licence" value={l.status} />
                  </td>
                  <td>
                    {l.status === 'ACTIVE' && (
                      <div class="stack">
                        <Link to="/buyer/query" query={{ licence: l.id }}>
                          {t('licences.query')}
                        </Link>
                        {l.access === 'DELIVERY' && (
                          <button type="button" class="link" onClick={() => void deliver.run(l.id)}>
                            {t('licences.download')}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
