// 销售: orders to decide, trades, income, the balance and the settlement of each clearing cycle.
import { useState } from 'preact/hooks';
import { listMySettlements } from '../../../../sdk/graphql/clearing.ts';
import { acceptOrder, getBalance, listOrders, listTrades, rejectOrder } from '../../../../sdk/graphql/trading.ts';
import type { Order } from '../../../../sdk/graphql/types.ts';
import { KeyValues, Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { SettlementsTable } from '../../components/settlements.tsx';
import { TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { OrdersTable, sumYuan, TradesTable } from '../../components/trading-tables.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../session.tsx';

export default function SalesPage() {
  const { t, formatNumber } = useI18n();
  const { client } = useSession();
  const orders = useAsync(() => listOrders(client, { side: 'PROVIDER', first: 100 }), [client]);
  const trades = useAsync(() => listTrades(client, { side: 'PROVIDER', first: 200 }), [client]);
  const balance = useAsync(() => getBalance(client), [client]);
  const settlements = useAsync(() => listMySettlements(client, { first: 50 }), [client]);
  const reload = () => (orders.reload(), trades.reload(), balance.reload());
  const pending = orders.data?.nodes.filter((o) => o.status === 'PENDING') ?? [];
  const income = trades.data ? sumYuan(trades.data.nodes.map((x) => x.amount)) : null;
  const uncleared = trades.data ? sumYuan(trades.data.nodes.filter((x) => !x.cleared).map((x) => x.amount)) : null;
  return (
    <Page title={t('sales.title')}>
      <div class="grid three">
        <section class="card" aria-labelledby="income-h">
          <h2 id="income-h">{t('sales.income')}</h2>
          {income !== null ? (
            <>
              <div class="stat">
                <Yuan yuan={income} />
              </div>
              <p class="muted small">{t('sales.incomeHint', { n: formatNumber(trades.data!.nodes.length) })}</p>
            </>
          ) : (
            <Loading />
          )}
        </section>
        <section class="card" aria-labelledby="uncleared-h">
          <h2 id="uncleared-h">{t('sales.uncleared')}</h2>
          {uncleared !== null ? (
            <div class="stat">
              <Yuan yuan={uncleared} />
            </div>
          ) : (
            <Loading />
          )}
        </section>
        <section class="card" aria-labelledby="balance-h">
          <h2 id="balance-h">{t('account.balance')}</h2>
          {balance.data ? (
            <KeyValues
              items={[
                [t('account.available'), <Yuan yuan={balance.data.available.yuan} />],
                [t('account.escrow'), <Yuan yuan={balance.data.escrow.yuan} />],
              ]}
            />
          ) : (
            <Loading />
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="pending-h">
        <h2 id="pending-h">{t('sales.pending')}</h2>
        <ErrorNotice error={orders.error} />
        {orders.data ? (
          <OrdersTable orders={pending} caption={t('sales.pendingCaption', { n: pending.length })} counterparty="buyer" actions={(o) => <Decide order={o} onDone={reload} />} hideCaption />
        ) : (
          <Loading />
        )}
      </section>
      <section class="card" aria-labelledby="trades-h">
        <h2 id="trades-h">{t('sales.trades')}</h2>
        <ErrorNotice error={trades.error} />
        {trades.data ? <TradesTable trades={trades.data.nodes} caption={t('sales.tradesCaption')} hideCaption /> : <Loading />}
      </section>
      <section class="card" aria-labelledby="orders-h">
        <h2 id="orders-h">{t('sales.allOrders')}</h2>
        {orders.data && <OrdersTable orders={orders.data.nodes} caption={t('sales.allOrders')} counterparty="buyer" hideCaption />}
      </section>
      <section class="card" aria-labelledby="settlements-h">
        <h2 id="settlements-h">{t('sales.settlements')}</h2>
        <ErrorNotice error={settlements.error} />
        {settlements.data ? <SettlementsTable records={settlements.data.nodes} /> : <Loading />}
      </section>
    </Page>
  );
}

function Decide({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const accept = useAction(async () => {
    await acceptOrder(client, order.id);
    onDone();
  });
  const reject = useAction(async () => {
    await rejectOrder(client, order.id, reason);
    onDone();
  });
  const who = order.buyer?.name ?? order.id;
  return (
    <div class="stack">
      <div class="row">
        <button type="button" class="primary" disabled={accept.pending} onClick={() => void accept.run()} aria-label={`${t('sales.accept')} · ${who}`}>
          {t('sales.accept')}
        </button>
        <button type="button" class="danger" onClick={() => setRejecting(!rejecting)} aria-expanded={rejecting} aria-label={`${t('sales.reject')} · ${who}`}>
          {t('sales.reject')}
        </button>
      </div>
      {rejecting && (
        <form onSubmit={(e) => (e.preventDefault(), void reject.run())}>
          <TextField label={t('common.reason')} value={reason} onValue={setReason} required />
          <button type="submit" class="danger" disabled={!reason.trim() || reject.pending}>
            {t('sales.confirmReject')}
          </button>
        </form>
      )}
      <ErrorNotice error={accept.error ?? reject.error} />
    </div>
  );
}
