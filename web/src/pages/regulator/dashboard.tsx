// 监管看板: the filing statistics and the periodic filing report from the API, as charts (activity
// per period; breakdowns by domain, grade, jurisdiction, cross-border flag and price plan), and
// the surveillance alerts (市场风险预警) to scan for and acknowledge.
import { useState } from 'preact/hooks';
import { listCatalog } from '../../../../sdk/graphql/catalog.ts';
import {
  acknowledgeAlert,
  FILING_PERIODS,
  getFilingReport,
  getFilingStatistics,
  listAlerts,
  scanMarket,
  type Alert,
  type FilingPeriod,
  type FilingReportLine,
  type ReportBreakdown,
} from '../../../../sdk/graphql/regulator.ts';
import { Chart } from '../../components/chart.tsx';
import { Hash, StatusBadge, Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';

/** How far back the dashboard charts each kind of period: a month of days, half a year of weeks, two years of months or quarters. */
const LOOKBACK_DAYS: Record<FilingPeriod, number> = { DAY: 30, WEEK: 182, MONTH: 730, QUARTER: 730 };

/** The figures of a report's breakdown summed over its periods, largest turnover first. */
export function breakdownTotals(lines: FilingReportLine[], breakdown: ReportBreakdown) {
  const byKey = new Map<string, { key: string; trades: number; turnoverYuan: number; listings: number; queries: number; disputes: number }>();
  for (const l of lines) {
    if (l.breakdown !== breakdown || l.key === null) continue;
    const g = byKey.get(l.key) ?? { key: l.key, trades: 0, turnoverYuan: 0, listings: 0, queries: 0, disputes: 0 };
    g.trades += l.trades;
    g.turnoverYuan += Number(l.turnover.fen) / 100;
    g.listings += l.listings;
    g.queries += l.queries;
    g.disputes += l.disputes;
    byKey.set(l.key, g);
  }
  return [...byKey.values()].sort((a, b) => b.turnoverYuan - a.turnoverYuan || b.trades - a.trades || a.key.localeCompare(b.key));
}

export default function DashboardPage() {
  const { t, label, formatNumber } = useI18n();
  const { client } = useSession();
  const [period, setPeriod] = useState<FilingPeriod>('DAY');
  // 备案统计 over every filed trade: the totals and the cross-border split in one grouped call.
  const totals = useAsync(() => getFilingStatistics(client, { groupBy: ['CROSS_BORDER'] }), [client]);
  const report = useAsync(() => getFilingReport(client, { period, from: new Date(Date.now() - LOOKBACK_DAYS[period] * 86_400_000).toISOString() }), [client, period]);
  const listings = useAsync(() => listCatalog(client, { scope: 'ALL', first: 1 }), [client]);
  const s = totals.data;
  const series = (report.data?.lines ?? []).filter((l) => l.breakdown === 'TOTAL');
  const lines = report.data?.lines ?? [];
  const keyLabel = (breakdown: ReportBreakdown, key: string) =>
    breakdown === 'DOMAIN' ? label('domain', key.toUpperCase()) : breakdown === 'PRICE_PLAN' ? label('planKind', key.toUpperCase()) : breakdown === 'CROSS_BORDER' ? t(key === 'true' ? 'dashboard.crossBorderYes' : 'dashboard.crossBorderNo') : key;
  return (
    <Page title={t('dashboard.title')}>
      <p class="muted">
        {t('dashboard.statsSourceHint')} <Link to="/regulator/reports">{t('dashboard.exportLink')}</Link>
      </p>
      <ErrorNotice error={totals.error} />
      {!s ? (
        <Loading />
      ) : (
        <div class="grid three">
          <section class="card" aria-labelledby="n-h">
            <h2 id="n-h">{t('dashboard.trades')}</h2>
            <div class="stat" data-stat="trades">
              {formatNumber(s.tradeCount)}
            </div>
          </section>
          <section class="card" aria-labelledby="amt-h">
            <h2 id="amt-h">{t('dashboard.amount')}</h2>
            <div class="stat" data-stat="turnover">
              <Yuan yuan={s.turnover.yuan} />
            </div>
          </section>
          <section class="card" aria-labelledby="cb-h">
            <h2 id="cb-h">{t('dashboard.crossBorder')}</h2>
            <div class="stat" data-stat="cross-border">
              {formatNumber(s.groups.find((g) => g.crossBorder === true)?.tradeCount ?? 0)}
            </div>
          </section>
          <section class="card" aria-labelledby="ds-h">
            <h2 id="ds-h">{t('dashboard.datasets')}</h2>
            <div class="stat">{listings.data ? formatNumber(listings.data.totalCount) : '…'}</div>
            {listings.data && <p class="small muted">{listings.data.facets.grade.map((g) => `${g.value}: ${g.count}`).join(' · ')}</p>}
          </section>
        </div>
      )}
      <section class="card" aria-labelledby="series-h" aria-busy={report.loading}>
        <h2 id="series-h">{t('dashboard.byPeriod')}</h2>
        <div class="row">
          <SelectField label={t('reports.periodKind')} value={period} onValue={setPeriod} options={FILING_PERIODS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))} />
        </div>
        <ErrorNotice error={report.error} />
        {!report.data ? (
          <Loading />
        ) : series.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <>
            <Chart
              title={t('dashboard.byPeriod')}
              x={series.map((_, i) => i)}
              xLabels={series.map((l) => l.period)}
              series={[
                { label: t('dashboard.trades'), values: series.map((l) => l.trades), color: '#1d4ed8', bars: true },
                { label: t('dashboard.amountYuan'), values: series.map((l) => Number(l.turnover.fen) / 100), color: '#d97706', right: true },
              ]}
            />
            <Chart
              title={t('dashboard.activity')}
              x={series.map((_, i) => i)}
              xLabels={series.map((l) => l.period)}
              height={200}
              series={[
                { label: t('dashboard.listings'), values: series.map((l) => l.listings), color: '#059669' },
                { label: t('dashboard.queries'), values: series.map((l) => l.queries), color: '#7c3aed' },
                { label: t('dashboard.disputes'), values: series.map((l) => l.disputes), color: '#dc2626' },
              ]}
            />
          </>
        )}
      </section>
      {report.data && (
        <div class="grid two">
          {(['DOMAIN', 'GRADE', 'JURISDICTION', 'CROSS_BORDER', 'PRICE_PLAN'] as const).map((b) => (
            <section class="card" aria-labelledby={`b-${b}-h`} key={b}>
              <h2 id={`b-${b}-h`}>{t(`dashboard.by.${b}`)}</h2>
              <Breakdown rows={breakdownTotals(lines, b).map((r) => ({ ...r, name: keyLabel(b, r.key) }))} title={t(`dashboard.by.${b}`)} />
            </section>
          ))}
        </div>
      )}
      <AlertsPanel />
    </Page>
  );
}

function Breakdown({ rows, title }: { rows: { name: string; trades: number; turnoverYuan: number; listings: number; queries: number; disputes: number }[]; title: string }) {
  const { t, formatNumber } = useI18n();
  if (rows.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <>
      <Chart title={title} x={rows.map((_, i) => i)} xLabels={rows.map((r) => r.name)} series={[{ label: t('dashboard.trades'), values: rows.map((r) => r.trades), color: '#1d4ed8', bars: true }]} height={200} legend={false} />
      <details>
        <summary>{t('dashboard.asTable')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col" class="num">
                {t('dashboard.trades')}
              </th>
              <th scope="col" class="num">
                {t('dashboard.amountYuan')}
              </th>
              <th scope="col" class="num">
                {t('dashboard.listings')}
              </th>
              <th scope="col" class="num">
                {t('dashboard.queries')}
              </th>
              <th scope="col" class="num">
                {t('dashboard.disputes')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td class="num">{formatNumber(r.trades)}</td>
                <td class="num">{formatNumber(r.turnoverYuan)}</td>
                <td class="num">{formatNumber(r.listings)}</td>
                <td class="num">{formatNumber(r.queries)}</td>
                <td class="num">{formatNumber(r.disputes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** 市场风险预警: the open alerts (or all), a scan on demand, and an acknowledgement with a note per alert. */
function AlertsPanel() {
  const { t, label, formatDate } = useI18n();
  const { client } = useSession();
  const [showAll, setShowAll] = useState(false);
  const alerts = useAsync(() => listAlerts(client, { status: showAll ? undefined : 'OPEN' }), [client, showAll]);
  const scan = useAction(async () => {
    const r = await scanMarket(client);
    alerts.reload();
    return r;
  });
  const rows = alerts.data ?? [];
  return (
    <section class="card" aria-labelledby="alerts-h">
      <h2 id="alerts-h">{t('dashboard.alerts')}</h2>
      <p class="small muted">{t('dashboard.alertsHint')}</p>
      <div class="row">
        <button type="button" disabled={scan.pending} onClick={() => void scan.run()}>
          {t('alerts.scan')}
        </button>
        <button type="button" aria-pressed={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? t('alerts.showOpen') : t('alerts.showAll')}
        </button>
      </div>
      <ErrorNotice error={scan.error ?? alerts.error} />
      {scan.result && <Notice kind="ok">{t('alerts.scanned', { raised: scan.result.raised.length, candidates: scan.result.candidates })}</Notice>}
      {alerts.loading && !alerts.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{showAll ? t('alerts.captionAll') : t('alerts.captionOpen')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('alerts.rule')}</th>
                <th scope="col">{t('alerts.severity')}</th>
                <th scope="col">{t('alerts.subject')}</th>
                <th scope="col">{t('common.created')}</th>
                <th scope="col">{t('alerts.evidence')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>{label('alertRule', a.rule)}</td>
                  <td>
                    <StatusBadge group="severity" value={a.severity} />
                  </td>
                  <td>
                    {label('alertSubject', a.subjectKind)} <Hash value={a.subjectId} keep={8} />
                  </td>
                  <td>{formatDate(a.createdAt, true)}</td>
                  <td class="small">
                    <code>{JSON.stringify(a.evidence).slice(0, 160)}</code>
                  </td>
                  <td>
                    <StatusBadge group="alertStatus" value={a.status} />
                  </td>
                  <td>{a.status === 'OPEN' ? <Acknowledge alert={a} onDone={alerts.reload} /> : <span class="small">{a.note}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Acknowledge({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const { t, label } = useI18n();
  const { client } = useSession();
  const [note, setNote] = useState('');
  const ack = useAction(async () => {
    const r = await acknowledgeAlert(client, alert.id, note.trim());
    onDone();
    return r;
  });
  const name = `${label('alertRule', alert.rule)} · ${alert.id.slice(0, 8)}`;
  return (
    <form class="stack" onSubmit={(e) => (e.preventDefault(), void ack.run())}>
      <TextField label={`${t('alerts.note')} · ${name}`} value={note} onValue={setNote} required />
      <button type="submit" disabled={ack.pending || !note.trim()}>
        {t('alerts.acknowledge')}
      </button>
      <ErrorNotice error={ack.error} />
    </form>
  );
}
