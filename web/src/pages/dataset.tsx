// A dataset's page: what it is, who holds its rights (with the certificate's chain proof), its
// listing history and its price plans, where a buyer orders.
import { useState } from 'preact/hooks';
import { getDataset, superviseDataset } from '../../../sdk/graphql/catalog.ts';
import type { SupervisoryAction } from '../../../sdk/graphql/types.ts';
import { CertificateView } from '../components/certificate.tsx';
import { ComplianceSection } from '../components/compliance-proofs.tsx';
import { StatusBadge } from '../components/data.tsx';
import { DatasetFacts, ListingHistory } from '../components/dataset-facts.tsx';
import { ErrorNotice, Loading } from '../components/feedback.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { PricePlans } from '../components/price-plans.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, seg } from '../router.tsx';
import { useSession } from '../session.tsx';

export default function DatasetPage({ params }: { params: Record<string, string> }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const dataset = useAsync(() => getDataset(session.client, params.id!), [session.client, params.id]);
  if (dataset.error) return <ErrorNotice error={dataset.error} />;
  if (!dataset.data) return <Loading />;
  const d = dataset.data;
  const own = session.viewer?.participant.id === d.provider.id;
  const title = lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn;
  return (
    <Page
      title={title}
      actions={
        <>
          <StatusBadge group="status" value={d.status} />
          {own && (
            <Link class="button" to={`/provider/datasets/${seg(d.id)}`}>
              {t('dataset.manage')}
            </Link>
          )}
        </>
      }
    >
      <DatasetFacts dataset={d} />
      <section class="card" aria-labelledby="plans-h">
        <h2 id="plans-h">{t('dataset.plans')}</h2>
        <PricePlans plans={d.pricePlans} own={own} canOrder={session.can('BUYER') && !own && d.status === 'LISTED'} />
      </section>
      <ComplianceSection datasetId={d.id} own={own} />
      <section class="card" aria-labelledby="rights-h">
        <h2 id="rights-h">{t('dataset.rights')}</h2>
        <CertificateView certificate={d.rights} history={d.rightsHistory} />
      </section>
      <section class="card" aria-labelledby="history-h">
        <h2 id="history-h" class="sr-only">
          {t('dataset.history')}
        </h2>
        <ListingHistory dataset={d} />
      </section>
      {(session.can('REGULATOR') || session.can('OPERATOR')) && <Supervise datasetId={d.id} status={d.status} onDone={dataset.reload} />}
    </Page>
  );
}

function Supervise({ datasetId, status, onDone }: { datasetId: string; status: string; onDone: () => void }) {
  const { t, label } = useI18n();
  const { client } = useSession();
  const [action, setAction] = useState<SupervisoryAction>(status === 'SUSPENDED' ? 'REINSTATE' : 'SUSPEND');
  const [reason, setReason] = useState('');
  const act = useAction(async () => {
    await superviseDataset(client, { datasetId, action, reason });
    setReason('');
    onDone();
  });
  return (
    <section class="card" aria-labelledby="supervise-h">
      <h2 id="supervise-h">{t('supervise.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act.run();
        }}
      >
        <SelectField<SupervisoryAction>
          label={t('supervise.action')}
          value={action}
          onValue={setAction}
          options={(['SUSPEND', 'REINSTATE', 'DELIST'] as const).map((a) => ({ value: a, label: label('action', a) }))}
        />
        <TextField label={t('common.reason')} value={reason} onValue={setReason} required />
        <button type="submit" class="danger" disabled={act.pending || !reason.trim()}>
          {t('supervise.submit')}
        </button>
        <ErrorNotice error={act.error} />
      </form>
    </section>
  );
}
