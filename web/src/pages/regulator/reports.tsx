// 报表导出: the periodic filing report (备案报表) for a chosen period and range, from the API as
// CSV (the server's export) or JSON (the GraphQL report), with a preview of its totals; and the
// trade register for a range as CSV or JSON, built here from the API's trades.
import { useState } from 'preact/hooks';
import { FILING_PERIODS, filingReportCsvPath, getFilingReport, type FilingPeriod, type FilingReport } from '../../../../sdk/graphql/regulator.ts';
import { listAllTrades } from '../../../../sdk/graphql/trading.ts';
import type { Trade } from '../../../../sdk/graphql/types.ts';
import { Yuan } from '../../components/data.tsx';
import { ErrorNotice, Notice } from '../../components/feedback.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { downloadWithKey, saveText } from '../../download.ts';
import { useSession } from '../../session.tsx';

/** A date field (YYYY-MM-DD) as the start of that day in Shanghai, the exchange's filing calendar; the end of a range is the next day's start. */
function shanghaiDayStart(day: string, nextDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day.trim())) return undefined;
  const start = Date.parse(`${day.trim()}T00:00:00+08:00`);
  return new Date(start + (nextDay ? 86_400_000 : 0)).toISOString();
}

const COLUMNS = ['id', 'createdAt', 'datasetId', 'provider', 'buyer', 'planKind', 'domain', 'classification', 'grade', 'territory', 'crossBorder', 'amountFen', 'cleared'] as const;

function rowOf(t: Trade): Record<(typeof COLUMNS)[number], string> {
  return {
    id: t.id,
    createdAt: t.createdAt,
    datasetId: t.dataset?.id ?? '',
    provider: t.provider?.name ?? '',
    buyer: t.buyer?.name ?? '',
    planKind: t.planKind,
    domain: t.domain,
    classification: t.classification,
    grade: t.grade,
    territory: t.territory,
    crossBorder: String(t.crossBorder),
    amountFen: t.amount.fen,
    cleared: String(t.cleared),
  };
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function tradesCsv(trades: Trade[]): string {
  return [COLUMNS.join(','), ...trades.map((t) => COLUMNS.map((c) => cell(rowOf(t)[c])).join(','))].join('\n') + '\n';
}

export default function ReportsPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const exportReport = useAction(async (format: 'csv' | 'json') => {
    const all = await listAllTrades(client, { side: 'ALL' });
    const trades = all.filter((x) => x.createdAt.slice(0, 10) >= from && x.createdAt.slice(0, 10) <= to);
    const name = `trades-${from}-${to}.${format}`;
    if (format === 'csv') saveText(name, 'text/csv', tradesCsv(trades));
    else saveText(name, 'application/json', JSON.stringify({ period: { from, to }, trades: trades.map(rowOf) }, null, 2));
    return { name, count: trades.length };
  });
  return (
    <Page title={t('reports.title')}>
      <FilingReportExport />
      <form class="card" aria-labelledby="period-h" onSubmit={(e) => (e.preventDefault(), void exportReport.run('csv'))}>
        <h2 id="period-h">{t('reports.register')}</h2>
        <div class="grid two">
          <TextField label={t('audit.from')} value={from} onValue={setFrom} />
          <TextField label={t('audit.to')} value={to} onValue={setTo} />
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={exportReport.pending}>
            {t('reports.csv')}
          </button>
          <button type="button" disabled={exportReport.pending} onClick={() => void exportReport.run('json')}>
            {t('reports.json')}
          </button>
        </div>
        <ErrorNotice error={exportReport.error} />
        {exportReport.result && <Notice kind="ok">{t('reports.done', { name: exportReport.result.name, n: exportReport.result.count })}</Notice>}
      </form>
    </Page>
  );
}

/** Today in Shanghai, YYYY-MM-DD (en-CA writes dates that way). */
const shanghaiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

function FilingReportExport() {
  const { t, formatNumber } = useI18n();
  const { client } = useSession();
  const today = shanghaiToday();
  const [period, setPeriod] = useState<FilingPeriod>('MONTH');
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const range = () => ({ period, from: shanghaiDayStart(from), to: shanghaiDayStart(to, true) });
  const name = (ext: string) => `filing-report-${period.toLowerCase()}-${from}-${to}.${ext}`;
  const exportReport = useAction(async (format: 'csv' | 'json'): Promise<{ name: string; report?: FilingReport }> => {
    if (format === 'csv') {
      await downloadWithKey(client.apiKey, filingReportCsvPath(range()), name('csv'));
      return { name: name('csv') };
    }
    const report = await getFilingReport(client, range());
    saveText(name('json'), 'application/json', JSON.stringify(report, null, 2));
    return { name: name('json'), report };
  });
  const preview = useAction(() => getFilingReport(client, range()));
  const totals = (preview.result?.lines ?? []).filter((l) => l.breakdown === 'TOTAL');
  return (
    <form class="card" aria-labelledby="filing-h" onSubmit={(e) => (e.preventDefault(), void preview.run())}>
      <h2 id="filing-h">{t('reports.filing')}</h2>
      <p class="small muted">{t('reports.filingHint')}</p>
      <div class="grid three">
        <SelectField label={t('reports.periodKind')} value={period} onValue={setPeriod} options={FILING_PERIODS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))} />
        <TextField label={t('audit.from')} value={from} onValue={setFrom} placeholder="YYYY-MM-DD" />
        <TextField label={t('audit.to')} value={to} onValue={setTo} placeholder="YYYY-MM-DD" />
      </div>
      <div class="row">
        <button type="submit" class="primary" disabled={preview.pending}>
          {t('reports.preview')}
        </button>
        <button type="button" disabled={exportReport.pending} onClick={() => void exportReport.run('csv')}>
          {t('reports.filingCsv')}
        </button>
        <button type="button" disabled={exportReport.pending} onClick={() => void exportReport.run('json')}>
          {t('reports.filingJson')}
        </button>
      </div>
      <ErrorNotice error={exportReport.error ?? preview.error} />
      {exportReport.result && <Notice kind="ok">{t('reports.saved', { name: exportReport.result.name })}</Notice>}
      {preview.result &&
        (totals.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{t('reports.totals')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.periodKind')}</th>
                  <th scope="col" class="num">
                    {t('dashboard.listings')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.trades')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.amount')}
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
                {totals.map((l) => (
                  <tr key={l.period}>
                    <th scope="row">{l.period}</th>
                    <td class="num">{formatNumber(l.listings)}</td>
                    <td class="num">{formatNumber(l.trades)}</td>
                    <td class="num">
                      <Yuan yuan={l.turnover.yuan} />
                    </td>
                    <td class="num">{formatNumber(l.queries)}</td>
                    <td class="num">{formatNumber(l.disputes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </form>
  );
}
