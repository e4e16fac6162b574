// Orders and trades as tables, with the actions each side may take on a row.
import type { ComponentChildren } from 'preact';
import type { Order, Trade } from '../../../sdk/graphql/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, seg } from '../router.tsx';
import { StatusBadge, Yuan } from './data.tsx';

function DatasetLink({ dataset }: { dataset: { id: string; currentVersion: { titleZh: string; titleEn: string } } | null }) {
  const { lang } = useI18n();
  if (!dataset) return <span class="muted">—</span>;
  return <Link to={`/datasets/${seg(dataset.id)}`}>{lang === 'zh' ? dataset.currentVersion.titleZh : dataset.currentVersion.titleEn}</Link>;
}

export function OrdersTable({
  orders,
  caption,
  counterparty,
  actions,
  hideCaption,
}: {
  orders: Order[];
  caption: string;
  counterparty: 'buyer' | 'provider';
  actions?: (o: Order) => ComponentChildren;
  /** The caption repeats a visible heading: keep it for screen readers only. */
  hideCaption?: boolean;
}) {
  const { t, label, formatDate } = useI18n();
  if (orders.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class={hideCaption ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.time')}</th>
            <th scope="col">{t('common.dataset')}</th>
            <th scope="col">{counterparty === 'buyer' ? t('trade.buyer') : t('trade.provider')}</th>
            <th scope="col">{t('order.purpose')}</th>
            <th scope="col">{t('plan.access')}</th>
            <th scope="col" class="num">
              {t('common.amount')}
            </th>
            <th scope="col">{t('common.status')}</th>
            {actions && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td>{formatDate(o.createdAt, true)}</td>
              <td>
                <DatasetLink dataset={o.dataset} />
              </td>
              <td>
                {(counterparty === 'buyer' ? o.buyer : o.provider)?.name ?? '—'} <span class="muted small">{o.territory}</span>
                {o.crossBorder && <span class="badge warn">{t('order.crossBorderShort')}</span>}
              </td>
              <td>{label('purpose', o.purpose)}</td>
              <td>{label('access', o.access)}</td>
              <td class="num">
                <Yuan yuan={o.amount.yuan} />
              </td>
              <td>
                <StatusBadge group="order" value={o.status} />
                {o.reason && <div class="small muted">{o.reason}</div>}
              </td>
              {actions && <td>{actions(o)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TradesTable({ trades, caption, actions, hideCaption }: { trades: Trade[]; caption: string; actions?: (t: Trade) => ComponentChildren; hideCaption?: boolean }) {
  const { t, label, formatDate } = useI18n();
  if (trades.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class={hideCaption ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.time')}</th>
            <th scope="col">{t('common.dataset')}</th>
            <th scope="col">{t('trade.provider')}</th>
            <th scope="col">{t('trade.buyer')}</th>
            <th scope="col">{t('plan.kind')}</th>
            <th scope="col">{t('catalog.grade')}</th>
            <th scope="col">{t('trade.territory')}</th>
            <th scope="col" class="num">
              {t('common.amount')}
            </th>
            <th scope="col">{t('trade.cleared')}</th>
            {actions && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {trades.map((x) => (
            <tr key={x.id}>
              <td>{formatDate(x.createdAt, true)}</td>
              <td>
                <DatasetLink dataset={x.dataset} />
              </td>
              <td>{x.provider?.name ?? '—'}</td>
              <td>{x.buyer?.name ?? '—'}</td>
              <td>{label('planKind', x.planKind)}</td>
              <td>{x.grade}</td>
              <td>
                {x.territory} {x.crossBorder && <span class="badge warn">{t('order.crossBorderShort')}</span>}
              </td>
              <td class="num">
                <Yuan yuan={x.amount.yuan} />
              </td>
              <td>{x.cleared ? t('common.yes') : t('common.no')}</td>
              {actions && <td>{actions(x)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Sum of money strings in fen, as yuan text. */
export function sumYuan(amounts: { fen: string }[]): string {
  const fen = amounts.reduce((s, a) => s + BigInt(a.fen), 0n);
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
