// 监管看板: filing statistics as charts (trades by day, by domain, by grade, cross-border), and
// alerts. Until the filing-statistics API lands the figures are computed here from the trade
// register (trades, side ALL), which every trade is filed to.
import { listAllTrades } from '../../../../sdk/graphql/trading.ts';
import { listCatalog } from '../../../../sdk/graphql/catalog.ts';
import type { Trade } from '../../../../sdk/graphql/types.ts';
import { Chart } from '../../components/chart.tsx';
import { Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading, Placeholder } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { sumYuan } from '../../components/trading-tables.tsx';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export interface FilingStatistics {
  count: number;
  amountYuan: string;
  crossBorder: number;
  byDay: { day: string; count: number; amountYuan: number }[];
  byDomain: { key: string; count: number; amountYuan: number }[];
  byGrade: { key: string; count: number; amountYuan: number }[];
}

const DAY_MS = 86_400_000;

/** Every day from the first trade (or `minDays` before today) to today, empty days included. */
function dailySeries(byDay: Map<string, { count: number; amountYuan: number }>, today: Date, minDays: number) {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const first = [...byDay.keys()].sort()[0];
  const start = Math.min(end - (minDays - 1) * DAY_MS, first ? Date.parse(`${first}T00:00:00Z`) : end);
  const out: FilingStatistics['byDay'] = [];
  for (let d = start; d <= end; d += DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10);
    out.push({ day, ...(byDay.get(day) ?? { count: 0, amountYuan: 0 }) });
  }
  return out;
}

export function filingStatistics(trades: Trade[], today = new Date()): FilingStatistics {
  const group = (key: (t: Trade) => string) => {
    const m = new Map<string, { count: number; amountYuan: number }>();
    for (const t of trades) {
      const k = key(t);
      const g = m.get(k) ?? { count: 0, amountYuan: 0 };
      g.count += 1;
      g.amountYuan += Number(t.amount.fen) / 100;
      m.set(k, g);
    }
    return [...m.entries()].map(([k, v]) => ({ key: k, ...v }));
  };
  return {
    count: trades.length,
    amountYuan: sumYuan(trades.map((t) => t.amount)),
    crossBorder: trades.filter((t) => t.crossBorder).length,
    byDay: dailySeries(new Map(group((t) => t.createdAt.slice(0, 10)).map(({ key, ...v }) => [key, v])), today, 30),
    byDomain: group((t) => t.domain.toUpperCase()).sort((a, b) => b.count - a.count),
    byGrade: group((t) => t.grade).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

export default function DashboardPage() {
  const { t, label, formatNumber } = useI18n();
  const { client } = useSession();
  const stats = useAsync(async () => filingStatistics(await listAllTrades(client, { side: 'ALL' })), [client]);
  const listings = useAsync(() => listCatalog(client, { scope: 'ALL', first: 1 }), [client]);
  const s = stats.data;
  return (
    <Page title={t('dashboard.title')}>
      <Placeholder title={t('dashboard.statsSource')} needs="filingStatistics(period, groupBy) — 备案统计 from the filing records">
        <p class="small">{t('dashboard.statsSourceHint')}</p>
      </Placeholder>
      <ErrorNotice error={stats.error} />
      {!s ? (
        <Loading />
      ) : (
        <>
          <div class="grid three">
            <section class="card" aria-labelledby="n-h">
              <h2 id="n-h">{t('dashboard.trades')}</h2>
              <div class="stat">{formatNumber(s.count)}</div>
            </section>
            <section class="card" aria-labelledby="amt-h">
              <h2 id="amt-h">{t('dashboard.amount')}</h2>
              <div class="stat">
                <Yuan yuan={s.amountYuan} />
              </div>
            </section>
            <section class="card" aria-labelledby="cb-h">
              <h2 id="cb-h">{t('dashboard.crossBorder')}</h2>
              <div class="stat">{formatNumber(s.crossBorder)}</div>
            </section>
            <section class="card" aria-labelledby="ds-h">
              <h2 id="ds-h">{t('dashboard.datasets')}</h2>
              <div class="stat">{listings.data ? formatNumber(listings.data.totalCount) : '…'}</div>
              {listings.data && (
                <p class="small muted">
                  {listings.data.facets.grade.map((g) => `${g.value}: ${g.count}`).join(' · ')}
                </p>
              )}
            </section>
          </div>
          <section class="card" aria-labelledby="daily-h">
            <h2 id="daily-h">{t('dashboard.byDay')}</h2>
            {s.count === 0 ? (
              <p class="muted">{t('common.none')}</p>
            ) : (
              <Chart
                title={t('dashboard.byDay')}
                time
                x={s.byDay.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000)}
                series={[
                  { label: t('dashboard.trades'), values: s.byDay.map((d) => d.count), color: '#1d4ed8', bars: true },
                  { label: t('dashboard.amountYuan'), values: s.byDay.map((d) => d.amountYuan), color: '#d97706', right: true },
                ]}
              />
            )}
          </section>
          <div class="grid two">
            <section class="card" aria-labelledby="dom-h">
              <h2 id="dom-h">{t('dashboard.byDomain')}</h2>
              <Breakdown rows={s.byDomain.map((r) => ({ ...r, name: label('domain', r.key) }))} title={t('dashboard.byDomain')} />
            </section>
            <section class="card" aria-labelledby="grade-h">
              <h2 id="grade-h">{t('dashboard.byGrade')}</h2>
              <Breakdown rows={s.byGrade.map((r) => ({ ...r, name: r.key }))} title={t('dashboard.byGrade')} />
            </section>
          </div>
        </>
      )}
      <Placeholder title={t('dashboard.alerts')} needs="alerts (anomalous trading, tamper detection from recomputed roots, cross-border breaches)">
        <p class="small">{t('dashboard.alertsHint')}</p>
        <p class="small">
          <Link to="/regulator/verify">{t('nav.verifier')}</Link>
        </p>
      </Placeholder>
    </Page>
  );
}

function Breakdown({ rows, title }: { rows: { name: string; count: number; amountYuan: number }[]; title: string }) {
  const { t, formatNumber } = useI18n();
  if (rows.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <>
      <Chart title={title} x={rows.map((_, i) => i)} xLabels={rows.map((r) => r.name)} series={[{ label: t('dashboard.trades'), values: rows.map((r) => r.count), color: '#1d4ed8', bars: true }]} height={200} legend={false} />
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
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td class="num">{formatNumber(r.count)}</td>
                <td class="num">{formatNumber(r.amountYuan)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
