// 管理数据产品: a provider's own dataset — its listing status and checks, rights registration
// and transfers (确权), price plans, and delisting.
import { useState } from 'preact/hooks';
import { getDataset, submitDatasetForReview, superviseDataset } from '../../../../sdk/graphql/catalog.ts';
import { registerRights, transferRights, type RightsHoldingInput } from '../../../../sdk/graphql/rights.ts';
import { createPricePlan, retirePricePlan } from '../../../../sdk/graphql/trading.ts';
import { DATA_RIGHTS, PLAN_KINDS, PURPOSES, type DataRight, type Dataset, type LicenceAccess, type PlanKind, type Purpose } from '../../../../sdk/graphql/types.ts';
import { CertificateView, percent } from '../../components/certificate.tsx';
import { ComplianceSection } from '../../components/compliance-proofs.tsx';
import { StatusBadge, yuanToFen } from '../../components/data.tsx';
import { ListingHistory } from '../../components/dataset-facts.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { Checkbox, CheckboxGroup, SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { PlanTerms } from '../../components/price-plans.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, seg } from '../../router.tsx';
import { useSession } from '../../session.tsx';

export default function ManageDatasetPage({ params }: { params: Record<string, string> }) {
  const { t, lang, label } = useI18n();
  const { client } = useSession();
  const dataset = useAsync(() => getDataset(client, params.id!), [client, params.id]);
  const submit = useAction(async () => {
    const r = await submitDatasetForReview(client, params.id!);
    dataset.reload();
    return r;
  });
  if (dataset.error) return <ErrorNotice error={dataset.error} />;
  if (!dataset.data) return <Loading />;
  const d = dataset.data;
  const lastChecks = [...d.listingHistory].reverse().find((e) => e.checks)?.checks;
  return (
    <Page
      title={`${t('manage.title')} · ${lang === 'zh' ? d.currentVersion.titleZh : d.currentVersion.titleEn}`}
      actions={
        <>
          <StatusBadge group="status" value={d.status} />
          <Link class="button" to={`/datasets/${seg(d.id)}`}>
            {t('manage.publicPage')}
          </Link>
        </>
      }
    >
      <section class="card" aria-labelledby="listing-h">
        <h2 id="listing-h">{t('manage.listing')}</h2>
        {d.status === 'DRAFT' && (
          <>
            <p>{d.currentVersion.rowsMatchCommitment ? t('manage.readyToSubmit') : t('manage.rowsMissing')}</p>
            <button type="button" class="primary" disabled={submit.pending} onClick={() => void submit.run()}>
              {t('newDataset.submitButton')}
            </button>
            <ErrorNotice error={submit.error} />
          </>
        )}
        {lastChecks && (
          <>
            <h3>{t('review.checks')}</h3>
            <ul class="checks">
              {lastChecks.map((c) => (
                <li key={c.rule} class={c.passed ? 'pass' : 'fail'}>
                  {label('rule', c.rule)}: {c.detail}
                </li>
              ))}
            </ul>
          </>
        )}
        <ListingHistory dataset={d} />
      </section>
      <ComplianceSection datasetId={d.id} own />
      <section class="card" aria-labelledby="rights-h">
        <h2 id="rights-h">{t('dataset.rights')}</h2>
        <CertificateView certificate={d.rights} history={d.rightsHistory} />
        <div class="grid two">
          <RegisterRights dataset={d} onDone={dataset.reload} />
          {d.rights && <TransferRights dataset={d} onDone={dataset.reload} />}
        </div>
      </section>
      <section class="card" aria-labelledby="plans-h">
        <h2 id="plans-h">{t('dataset.plans')}</h2>
        <Plans dataset={d} onDone={dataset.reload} />
        <NewPricePlan dataset={d} onDone={dataset.reload} />
      </section>
      {d.status !== 'DELISTED' && <Delist datasetId={d.id} onDone={dataset.reload} />}
    </Page>
  );
}

function RegisterRights({ dataset, onDone }: { dataset: Dataset; onDone: () => void }) {
  const { t, label } = useI18n();
  const { client, viewer } = useSession();
  const me = viewer!.participant.id;
  const initial = (right: DataRight) => dataset.rights?.holdings.filter((h) => h.right === right && h.holder).map((h) => ({ holderId: h.holder!.id, shareBps: String(h.shareBps) }));
  const [rows, setRows] = useState<Record<DataRight, { holderId: string; shareBps: string }[]>>(() =>
    Object.fromEntries(DATA_RIGHTS.map((r) => [r, initial(r)?.length ? initial(r)! : [{ holderId: me, shareBps: '10000' }]])) as Record<DataRight, { holderId: string; shareBps: string }[]>,
  );
  const edit = (right: DataRight, i: number, change: Partial<{ holderId: string; shareBps: string }>) =>
    setRows({ ...rows, [right]: rows[right].map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const register = useAction(async () => {
    const holdings: RightsHoldingInput[] = DATA_RIGHTS.flatMap((right) => rows[right].map((r) => ({ right, holderId: r.holderId.trim(), shareBps: Number(r.shareBps) })));
    await registerRights(client, dataset.id, holdings);
    onDone();
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void register.run())} aria-labelledby="register-rights-h">
      <h3 id="register-rights-h">{dataset.rights ? t('rights.reRegister') : t('rights.register')}</h3>
      <p class="small muted">{t('rights.registerHint')}</p>
      {DATA_RIGHTS.map((right) => {
        const sum = rows[right].reduce((s, r) => s + (Number(r.shareBps) || 0), 0);
        return (
          <fieldset key={right}>
            <legend>
              {label('right', right)} · {t('rights.sum')} {percent(sum)}
            </legend>
            {rows[right].map((r, i) => (
              <div class="row" key={i}>
                <div style={{ flex: '2 1 14rem' }}>
                  <TextField label={`${t('rights.holderId')} (${label('right', right)} ${i + 1})`} value={r.holderId} onValue={(v) => edit(right, i, { holderId: v })} required />
                </div>
                <div style={{ flex: '1 1 7rem' }}>
                  <TextField label={`${t('rights.shareBps')} (${label('right', right)} ${i + 1})`} inputMode="numeric" value={r.shareBps} onValue={(v) => edit(right, i, { shareBps: v })} required />
                </div>
                {rows[right].length > 1 && (
                  <button type="button" class="link" onClick={() => setRows({ ...rows, [right]: rows[right].filter((_, j) => j !== i) })}>
                    {t('common.remove')}
                  </button>
                )}
              </div>
            ))}
            <button type="button" onClick={() => setRows({ ...rows, [right]: [...rows[right], { holderId: '', shareBps: '0' }] })}>
              {t('rights.addHolder')} ({label('right', right)})
            </button>
          </fieldset>
        );
      })}
      <button type="submit" class="primary" disabled={register.pending}>
        {dataset.rights ? t('rights.reRegister') : t('rights.register')}
      </button>
      <ErrorNotice error={register.error} />
    </form>
  );
}

function TransferRights({ dataset, onDone }: { dataset: Dataset; onDone: () => void }) {
  const { t, label } = useI18n();
  const { client } = useSession();
  const [right, setRight] = useState<DataRight>('INCOME');
  const [to, setTo] = useState('');
  const [bps, setBps] = useState('');
  const transfer = useAction(async () => {
    await transferRights(client, { datasetId: dataset.id, right, toHolderId: to.trim(), shareBps: Number(bps) });
    setTo('');
    setBps('');
    onDone();
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void transfer.run())} aria-labelledby="transfer-h">
      <h3 id="transfer-h">{t('rights.transfer')}</h3>
      <SelectField<DataRight> label={t('rights.right')} value={right} onValue={setRight} options={DATA_RIGHTS.map((r) => ({ value: r, label: label('right', r) }))} />
      <TextField label={t('rights.toHolder')} value={to} onValue={setTo} required hint={t('rights.toHolderHint')} />
      <TextField label={t('rights.shareBps')} inputMode="numeric" value={bps} onValue={setBps} required />
      <button type="submit" disabled={transfer.pending || !to.trim() || !Number(bps)}>
        {t('rights.transferSubmit')}
      </button>
      <ErrorNotice error={transfer.error} />
    </form>
  );
}

function Plans({ dataset, onDone }: { dataset: Dataset; onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const retire = useAction(async (id: string) => {
    await retirePricePlan(client, id);
    onDone();
  });
  if (dataset.pricePlans.length === 0) return <p class="muted">{t('plan.none')}</p>;
  return (
    <div class="grid two">
      {dataset.pricePlans.map((p) => (
        <article class="card" key={p.id} aria-label={p.title}>
          <h3>
            {p.title} {!p.active && <span class="badge muted">{t('plan.retired')}</span>}
          </h3>
          <PlanTerms plan={p} />
          {p.active && (
            <button type="button" class="danger" disabled={retire.pending} onClick={() => void retire.run(p.id)}>
              {t('plan.retire')} · {p.title}
            </button>
          )}
        </article>
      ))}
      <ErrorNotice error={retire.error} />
    </div>
  );
}

function NewPricePlan({ dataset, onDone }: { dataset: Dataset; onDone: () => void }) {
  const { t, label } = useI18n();
  const { client } = useSession();
  const l3 = dataset.currentVersion.grade === 'L3';
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<PlanKind>('FIXED');
  const [price, setPrice] = useState('');
  const [periodDays, setPeriodDays] = useState('30');
  const [quota, setQuota] = useState('');
  const [purposes, setPurposes] = useState<Purpose[]>([]);
  const [termDays, setTermDays] = useState('365');
  const [territories, setTerritories] = useState('CN');
  const [access, setAccess] = useState<LicenceAccess>(l3 ? 'QUERY_ONLY' : 'DELIVERY');
  const [epsilon, setEpsilon] = useState('');
  const [autoAccept, setAutoAccept] = useState(false);
  const fen = yuanToFen(price);
  const create = useAction(async () => {
    await createPricePlan(client, {
      datasetId: dataset.id,
      kind,
      title,
      priceFen: fen!,
      ...(kind === 'SUBSCRIPTION' ? { periodDays: Number(periodDays) } : {}),
      ...(quota.trim() ? { queryQuota: Number(quota) } : {}),
      autoAccept,
      terms: {
        purposes,
        termDays: Number(termDays),
        territories: territories
          .split(/[,，\s]+/)
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean),
        access,
        ...(epsilon.trim() ? { epsilon: Number(epsilon) } : {}),
      },
    });
    setTitle('');
    setPrice('');
    onDone();
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void create.run())} aria-labelledby="new-plan-h">
      <h3 id="new-plan-h">{t('plan.new')}</h3>
      <div class="grid three">
        <TextField label={t('plan.title')} value={title} onValue={setTitle} required />
        <SelectField<PlanKind> label={t('plan.kind')} value={kind} onValue={setKind} options={PLAN_KINDS.map((k) => ({ value: k, label: label('planKind', k) }))} />
        <TextField label={t('plan.priceYuan')} inputMode="decimal" value={price} onValue={setPrice} required error={price && !fen ? t('account.amountInvalid') : null} />
        {kind === 'SUBSCRIPTION' && <TextField label={t('plan.periodDays')} inputMode="numeric" value={periodDays} onValue={setPeriodDays} />}
        {kind !== 'FIXED' && <TextField label={t('plan.queryQuota')} inputMode="numeric" value={quota} onValue={setQuota} />}
        <TextField label={t('plan.termDays')} inputMode="numeric" value={termDays} onValue={setTermDays} required />
        <TextField label={t('plan.territories')} value={territories} onValue={setTerritories} required hint={t('plan.territoriesHint')} />
        <SelectField<LicenceAccess>
          label={t('plan.access')}
          value={access}
          onValue={setAccess}
          options={(['DELIVERY', 'QUERY_ONLY'] as const).filter((a) => !l3 || a === 'QUERY_ONLY').map((a) => ({ value: a, label: label('access', a) }))}
        />
        <TextField label={t('plan.epsilon')} inputMode="decimal" value={epsilon} onValue={setEpsilon} hint={t('plan.epsilonHint')} />
      </div>
      <CheckboxGroup<Purpose> legend={t('plan.purposes')} selected={purposes} onValue={setPurposes} options={PURPOSES.map((p) => ({ value: p, label: label('purpose', p) }))} />
      <Checkbox label={t('plan.autoAccept')} checked={autoAccept} onValue={setAutoAccept} />
      <button type="submit" class="primary" disabled={create.pending || !fen || purposes.length === 0 || !title.trim()}>
        {t('plan.create')}
      </button>
      <ErrorNotice error={create.error} />
    </form>
  );
}

function Delist({ datasetId, onDone }: { datasetId: string; onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [reason, setReason] = useState('');
  const delist = useAction(async () => {
    await superviseDataset(client, { datasetId, action: 'DELIST', reason });
    onDone();
  });
  return (
    <form class="card" onSubmit={(e) => (e.preventDefault(), void delist.run())} aria-labelledby="delist-h">
      <h2 id="delist-h">{t('manage.delist')}</h2>
      <TextField label={t('common.reason')} value={reason} onValue={setReason} required />
      <button type="submit" class="danger" disabled={delist.pending || !reason.trim()}>
        {t('manage.delistSubmit')}
      </button>
      <ErrorNotice error={delist.error} />
    </form>
  );
}
