// 报表导出: the trade register for a period as CSV or JSON, built here from the API's trades.
import { useState } from 'preact/hooks';
import { listAllTrades } from '../../../../sdk/graphql/trading.ts';
import type { Trade } from '../../../../sdk/graphql/types.ts';
import { ErrorNotice, Notice, Placeholder } from '../../components/feedback.tsx';
import { TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { saveText } from '../../download.ts';
import { useSession } from '../../session.tsx';
import { filingStatistics } from './dashboard.tsx';

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
    else saveText(name, 'application/json', JSON.stringify({ period: { from, to }, statistics: filingStatistics(trades), trades: trades.map(rowOf) }, null, 2));
    return { name, count: trades.length };
  });
  return (
    <Page title={t('reports.title')}>
      <form class="card" aria-labelledby="period-h" onSubmit={(e) => (e.preventDefault(), void exportReport.run('csv'))}>
        <h2 id="period-h">{t('reports.period')}</h2>
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
      <Placeholder title={t('reports.filing')} needs="filingReport(period): the server-signed filing report with its anchor">
        <p class="small">{t('reports.filingHint')}</p>
      </Placeholder>
    </Page>
  );
}
