// 我的订单: the buyer's orders (a pending one can be cancelled, its escrow returns) and settlements.
import { listMySettlements } from '../../../../sdk/graphql/clearing.ts';
import { cancelOrder, getBalance, listOrders } from '../../../../sdk/graphql/trading.ts';
import { KeyValues, Yuan } from '../../components/data.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { Page } from '../../components/page.tsx';
import { SettlementsTable } from '../../components/settlements.tsx';
import { OrdersTable } from '../../components/trading-tables.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export default function OrdersPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const orders = useAsync(() => listOrders(client, { side: 'BUYER', first: 100 }), [client]);
  const balance = useAsync(() => getBalance(client), [client]);
  const settlements = useAsync(() => listMySettlements(client, { first: 50 }), [client]);
  const cancel = useAction(async (id: string) => {
    await cancelOrder(client, id);
    orders.reload();
    balance.reload();
  });
  return (
    <Page title={t('nav.orders')}>
      <section class="card" aria-labelledby="bal-h">
        <h2 id="bal-h">{t('account.balance')}</h2>
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
        <p class="small">
          <Link to="/account">{t('orders.fund')}</Link>
        </p>
      </section>
      <ErrorNotice error={orders.error ?? cancel.error} />
      {orders.data ? (
        <OrdersTable
          orders={orders.data.nodes}
          caption={t('orders.caption')}
          counterparty="provider"
          actions={(o) =>
            o.status === 'PENDING' ? (
              <button type="button" disabled={cancel.pending} onClick={() => void cancel.run(o.id)}>
                {t('orders.cancel')}
              </button>
            ) : null
          }
        />
      ) : (
        <Loading />
      )}
      <section class="card" aria-labelledby="settlements-h">
        <h2 id="settlements-h">{t('sales.settlements')}</h2>
        <ErrorNotice error={settlements.error} />
        {settlements.data ? <SettlementsTable records={settlements.data.nodes} /> : <Loading />}
      </section>
    </Page>
  );
}
