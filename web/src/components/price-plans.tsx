// 挂牌价格: the plans on a dataset, each with its licence terms; a buyer orders on one here.
import { useMemo, useState } from 'preact/hooks';
import { placeOrder } from '../../../sdk/graphql/trading.ts';
import type { Order, PricePlan, Purpose } from '../../../sdk/graphql/types.ts';
import { useAction } from '../hooks/use-action.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { KeyValues, newIdempotencyKey, StatusBadge, Yuan } from './data.tsx';
import { ErrorNotice, Notice } from './feedback.tsx';
import { SelectField } from './form.tsx';

export function PlanTerms({ plan }: { plan: PricePlan }) {
  const { t, label, formatNumber } = useI18n();
  return (
    <KeyValues
      items={[
        [t('plan.kind'), label('planKind', plan.kind)],
        [t('plan.price'), <Yuan yuan={plan.price.yuan} />],
        ...(plan.periodDays ? ([[t('plan.periodDays'), t('common.days', { n: plan.periodDays })]] as [string, string][]) : []),
        ...(plan.queryQuota ? ([[t('plan.queryQuota'), formatNumber(plan.queryQuota)]] as [string, string][]) : []),
        [t('plan.purposes'), plan.terms.purposes.map((p) => label('purpose', p)).join('、')],
        [t('plan.term'), t('common.days', { n: plan.terms.termDays })],
        [t('plan.territories'), plan.terms.territories.join(', ')],
        [t('plan.access'), label('access', plan.terms.access)],
        ...(plan.terms.epsilon !== null ? ([[t('plan.epsilon'), String(plan.terms.epsilon)]] as [string, string][]) : []),
        [t('plan.autoAccept'), plan.autoAccept ? t('common.yes') : t('common.no')],
      ]}
    />
  );
}

function OrderForm({ plan }: { plan: PricePlan }) {
  const { t, label } = useI18n();
  const { client } = useSession();
  const [purpose, setPurpose] = useState<Purpose>(plan.terms.purposes[0]!);
  // One key per form: a retried click is the same order, never a second one.
  const key = useMemo(() => newIdempotencyKey('order'), [plan.id, purpose]);
  const order = useAction(() => placeOrder(client, { planId: plan.id, purpose, idempotencyKey: key }));
  const placed: Order | undefined = order.result;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void order.run();
      }}
    >
      <SelectField<Purpose> label={t('order.purpose')} value={purpose} onValue={setPurpose} options={plan.terms.purposes.map((p) => ({ value: p, label: label('purpose', p) }))} />
      <button type="submit" class="primary" disabled={order.pending || !!placed}>
        {t('order.place')} · {plan.title}
      </button>
      <ErrorNotice error={order.error} />
      {placed && (
        <Notice kind="ok">
          {t('order.placed')} <StatusBadge group="order" value={placed.status} /> <Yuan yuan={placed.amount.yuan} />
          {placed.crossBorder && <> · {t('order.crossBorder')}</>} · <Link to="/buyer/orders">{t('nav.orders')}</Link>
        </Notice>
      )}
    </form>
  );
}

export function PricePlans({ plans, canOrder, own }: { plans: PricePlan[]; canOrder: boolean; own: boolean }) {
  const { t } = useI18n();
  const { viewer } = useSession();
  const active = plans.filter((p) => p.active || own);
  if (active.length === 0) return <p class="muted">{t('plan.none')}</p>;
  return (
    <div class="grid two">
      {active.map((plan) => (
        <article class="card" key={plan.id} aria-label={plan.title}>
          <h3>
            {plan.title} {!plan.active && <span class="badge muted">{t('plan.retired')}</span>}
          </h3>
          <PlanTerms plan={plan} />
          {plan.active && canOrder && <OrderForm plan={plan} />}
          {plan.active && !viewer && (
            <p class="small">
              <Link to="/signin">{t('order.signInToOrder')}</Link>
            </p>
          )}
        </article>
      ))}
    </div>
  );
}
