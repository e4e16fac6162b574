// 合规审查: the datasets waiting for the operator, each with its automated checks, schema and
// samples; approve, or reject with a reason (back to draft). Decisions are anchored on chain.
import { useState } from 'preact/hooks';
import { getDataset, listCatalog, reviewDataset } from '../../../../sdk/graphql/catalog.ts';
import type { DatasetSummary } from '../../../../sdk/graphql/types.ts';
import { ComplianceSection } from '../../components/compliance-proofs.tsx';
import { DatasetFacts, ListingHistory } from '../../components/dataset-facts.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { TextArea } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export default function ReviewQueuePage({ query }: { query: URLSearchParams }) {
  const { t, lang, formatDate } = useI18n();
  const { client } = useSession();
  const queue = useAsync(() => listCatalog(client, { scope: 'ALL', statuses: ['IN_REVIEW'], sort: 'NEWEST', first: 100 }), [client]);
  const selected = query.get('id');
  const [decided, setDecided] = useState<string | null>(null);
  const title = (d: DatasetSummary) => (lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn);
  return (
    <Page title={t('review.title')}>
      {decided && <Notice kind="ok">{decided}</Notice>}
      <ErrorNotice error={queue.error} />
      {!queue.data ? (
        <Loading />
      ) : queue.data.nodes.length === 0 ? (
        <p>{t('review.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('review.caption', { n: queue.data.totalCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.title')}</th>
                <th scope="col">{t('dataset.provider')}</th>
                <th scope="col">{t('catalog.grade')}</th>
                <th scope="col">{t('common.created')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.nodes.map((d) => (
                <tr key={d.id} aria-current={d.id === selected ? 'true' : undefined}>
                  <td>
                    <Link to="/operator/review" query={{ id: d.id }}>
                      {title(d)}
                    </Link>
                  </td>
                  <td>{d.provider.name}</td>
                  <td>{d.currentVersion.grade}</td>
                  <td>{formatDate(d.createdAt, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && (
        <Review
          key={selected}
          datasetId={selected}
          onDecided={(message) => {
            setDecided(message);
            queue.reload();
            navigate('/operator/review', {}, { replace: true });
          }}
        />
      )}
    </Page>
  );
}

function Review({ datasetId, onDecided }: { datasetId: string; onDecided: (message: string) => void }) {
  const { t, lang, label } = useI18n();
  const { client } = useSession();
  const dataset = useAsync(() => getDataset(client, datasetId), [client, datasetId]);
  const [reason, setReason] = useState('');
  const decide = useAction(async (approve: boolean) => {
    const d = dataset.data!;
    const r = await reviewDataset(client, { datasetId, approve, reason: reason.trim() || undefined });
    onDecided(t(approve ? 'review.approved' : 'review.rejected', { title: lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn, status: label('status', r.status) }));
  });
  if (dataset.error) return <ErrorNotice error={dataset.error} />;
  if (!dataset.data) return <Loading />;
  const d = dataset.data;
  const checks = [...d.listingHistory].reverse().find((e) => e.action === 'SUBMIT' && e.checks)?.checks ?? [];
  return (
    <section aria-labelledby="review-h">
      <h2 id="review-h">{t('review.reviewing', { title: lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn })}</h2>
      <section class="card" aria-labelledby="checks-h">
        <h3 id="checks-h">{t('review.checks')}</h3>
        <ul class="checks">
          {checks.map((c) => (
            <li key={c.rule} class={c.passed ? 'pass' : 'fail'}>
              <strong>{label('rule', c.rule)}</strong>: {c.detail} <span class="muted small">— {c.description}</span>
            </li>
          ))}
        </ul>
      </section>
      <ComplianceSection datasetId={d.id} heading="h3" />
      <DatasetFacts dataset={d} />
      <section class="card">
        <ListingHistory dataset={d} />
      </section>
      <form class="card" aria-labelledby="decide-h" onSubmit={(e) => (e.preventDefault(), void decide.run(true))}>
        <h3 id="decide-h">{t('review.decision')}</h3>
        <TextArea label={t('review.reason')} value={reason} onValue={setReason} hint={t('review.reasonHint')} />
        <div class="row">
          <button type="submit" class="primary" disabled={decide.pending || d.status !== 'IN_REVIEW'}>
            {t('review.approve')}
          </button>
          <button type="button" class="danger" disabled={decide.pending || !reason.trim() || d.status !== 'IN_REVIEW'} onClick={() => void decide.run(false)}>
            {t('review.reject')}
          </button>
        </div>
        <ErrorNotice error={decide.error} />
      </form>
    </section>
  );
}
