// 我的数据产品: the provider's datasets in every status.
import { listCatalog } from '../../../../sdk/graphql/catalog.ts';
import { StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, seg } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export default function MyDatasetsPage() {
  const { t, lang, label, formatDate, formatNumber } = useI18n();
  const { client } = useSession();
  const mine = useAsync(() => listCatalog(client, { scope: 'MINE', sort: 'NEWEST', first: 100 }), [client]);
  return (
    <Page
      title={t('nav.myDatasets')}
      actions={
        <Link class="button primary" to="/provider/new">
          {t('nav.newDataset')}
        </Link>
      }
    >
      <ErrorNotice error={mine.error} />
      {!mine.data ? (
        <Loading />
      ) : mine.data.nodes.length === 0 ? (
        <p>{t('myDatasets.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.title')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('catalog.domain')}</th>
                <th scope="col">{t('catalog.grade')}</th>
                <th scope="col" class="num">
                  {t('dataset.rowCount')}
                </th>
                <th scope="col">{t('dataset.version')}</th>
                <th scope="col">{t('common.created')}</th>
              </tr>
            </thead>
            <tbody>
              {mine.data.nodes.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/provider/datasets/${seg(d.id)}`}>{lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn}</Link>
                  </td>
                  <td>
                    <StatusBadge group="status" value={d.status} />
                  </td>
                  <td>{label('domain', d.currentVersion.domain)}</td>
                  <td>{d.currentVersion.grade}</td>
                  <td class="num">{formatNumber(d.currentVersion.rowCount)}</td>
                  <td>v{d.currentVersion.version}</td>
                  <td>{formatDate(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
