// 清算: the clearing cycles — gross, fees, income paid to income-right holders, settlement
// records and the batch root anchored on chain — and the operator's "clear now".
import { listClearingCycles, runClearingCycle } from '../../../../sdk/graphql/clearing.ts';
import { AnchorProofView } from '../../components/anchor-proof.tsx';
import { Hash, StatusBadge, Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../session.tsx';

export default function ClearingPage() {
  const { t, label, formatDate } = useI18n();
  const session = useSession();
  const cycles = useAsync(() => listClearingCycles(session.client, { first: 50 }), [session.client]);
  const run = useAction(async () => {
    const cycle = await runClearingCycle(session.client);
    cycles.reload();
    return { cycle };
  });
  const latest = cycles.data?.nodes[0];
  return (
    <Page title={t('clearing.title')}>
      {session.can('OPERATOR') && (
        <section class="card" aria-labelledby="run-h">
          <h2 id="run-h">{t('clearing.run')}</h2>
          <p class="small muted">{t('clearing.runHint')}</p>
          <button type="button" class="primary" disabled={run.pending} onClick={() => void run.run()}>
            {t('clearing.runButton')}
          </button>
          <ErrorNotice error={run.error} />
          {run.result && <Notice kind="ok">{run.result.cycle ? t('clearing.ran', { n: run.result.cycle.seq }) : t('clearing.nothing')}</Notice>}
        </section>
      )}
      <ErrorNotice error={cycles.error} />
      {!cycles.data ? (
        <Loading />
      ) : cycles.data.nodes.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('clearing.cycles')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settlements.cycle')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('clearing.cutoff')}</th>
                <th scope="col" class="num">
                  {t('clearing.gross')}
                </th>
                <th scope="col" class="num">
                  {t('clearing.fees')}
                </th>
                <th scope="col" class="num">
                  {t('clearing.income')}
                </th>
                <th scope="col" class="num">
                  {t('clearing.records')}
                </th>
                <th scope="col">{t('clearing.root')}</th>
              </tr>
            </thead>
            <tbody>
              {cycles.data.nodes.map((c) => (
                <tr key={c.id}>
                  <td>
                    #{c.seq} <span class="small muted">{label('trigger', c.trigger)}</span>
                  </td>
                  <td>
                    <StatusBadge group="cycle" value={c.status} />
                  </td>
                  <td>{formatDate(c.cutoff, true)}</td>
                  <td class="num">
                    <Yuan yuan={c.totals.gross.yuan} />
                  </td>
                  <td class="num">
                    <Yuan yuan={c.totals.fees.yuan} />
                  </td>
                  <td class="num">
                    <Yuan yuan={c.totals.income.yuan} />
                  </td>
                  <td class="num">{c.totals.settlementRecords ?? '—'}</td>
                  <td>
                    <Hash value={c.totals.settlementRoot} keep={8} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {latest && (
        <section class="card" aria-labelledby="latest-h">
          <h2 id="latest-h">{t('clearing.summaryProof', { n: latest.seq })}</h2>
          <AnchorProofView proof={latest.anchor} label={t('settlements.cycleN', { n: latest.seq })} />
        </section>
      )}
    </Page>
  );
}
