// 加密查询 (可用不可见): the buyer's keys are made and kept in this browser (he-key-sets.tsx),
// the query is built and encrypted here, and the answer is decrypted here; the server sees
// neither. Only the public half of a key set is uploaded (once per key set), the encrypted
// selection goes out under a licence, the page polls for the encrypted answer and opens it in
// the HE worker, and shows the licence's remaining quota and privacy budget.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getDataset } from '../../../../sdk/graphql/catalog.ts';
import type { ExchangeClient } from '../../../../sdk/graphql/client.ts';
import { ExchangeError } from '../../../../sdk/graphql/errors.ts';
import { getEncryptedQuery, listMyEncryptedQueries, listMyHeKeySets, submitEncryptedQuery, uploadHeKeySet } from '../../../../sdk/graphql/queries.ts';
import { listLicences } from '../../../../sdk/graphql/trading.ts';
import type { DatasetColumn, EncryptedQuery, EncryptedQueryStatus, Licence } from '../../../../sdk/graphql/types.ts';
import type { GroupAggregateResult } from '../../../../sdk/he/query-result.ts';
import { KeyValues, StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice, useErrorText } from '../../components/feedback.tsx';
import { CheckboxGroup, SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { he, HeWorkerError, type DecryptedGroupAggregate } from '../../he/he-client.ts';
import { listKeySets } from '../../he/key-store.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { HeKeySets } from './he-key-sets.tsx';
import { quotaText } from './licences.tsx';

export default function EncryptedQueryPage({ query }: { query: URLSearchParams }) {
  const { t, lang, label, formatNumber } = useI18n();
  const { client } = useSession();
  const licences = useAsync(() => listLicences(client, { side: 'BUYER', first: 100 }), [client]);
  const active = licences.data?.nodes.filter((l) => l.status === 'ACTIVE') ?? [];
  const licenceId = query.get('licence') ?? active[0]?.id ?? '';
  const licence = active.find((l) => l.id === licenceId);
  const keys = useAsync(() => listKeySets(), []);
  const [keyId, setKeyId] = useState('');
  // Queries finished on this page: the list of recent ones reloads after each.
  const [runs, setRuns] = useState(0);
  useEffect(() => {
    if (!keyId && keys.data?.[0]) setKeyId(keys.data[0].keyId);
  }, [keys.data]);
  return (
    <Page title={t('query.title')}>
      <p class="muted">{t('query.intro')}</p>
      <ErrorNotice error={licences.error} />
      <section class="card" aria-labelledby="licence-h">
        <h2 id="licence-h">{t('query.licence')}</h2>
        {!licences.data ? (
          <Loading />
        ) : active.length === 0 ? (
          <p>{t('licences.empty')}</p>
        ) : (
          <>
            <SelectField<string>
              label={t('query.licence')}
              value={licenceId}
              onValue={(id) => navigate('/buyer/query', { licence: id }, { replace: true })}
              options={active.map((l) => ({
                value: l.id,
                label: `${l.dataset ? (lang === 'zh' ? l.dataset.currentVersion.titleZh : l.dataset.currentVersion.titleEn) : l.id} · ${label('purpose', l.purpose)}`,
              }))}
            />
            {licence && (
              <KeyValues
                items={[
                  [t('common.status'), <StatusBadge group="licence" value={licence.status} />],
                  [t('plan.access'), label('access', licence.access)],
                  [t('query.quotaRemaining'), quotaText(licence, formatNumber, t('licences.unlimited'))],
                  [t('query.budgetRemaining'), licence.epsilonBudget === null ? t('query.noBudget') : `ε ${licence.epsilonRemaining} / ${licence.epsilonBudget}`],
                ]}
              />
            )}
          </>
        )}
      </section>
      <HeKeySets keys={keys.data} loading={keys.loading} reload={keys.reload} keyId={keyId} setKeyId={setKeyId} />
      {licence?.dataset && (
        <QueryBuilder key={licence.id} licence={licence} datasetId={licence.dataset.id} keyId={keyId} onFinished={() => (licences.reload(), setRuns((n) => n + 1))} />
      )}
      <RecentQueries runs={runs} />
    </Page>
  );
}

/** Key sets whose public half this participant has uploaded, remembered for the session. */
const uploadedKeys = new Map<string, Set<string>>();

/** Uploads the key set's public bundle unless the exchange already has it; true when it uploaded. */
async function ensureUploaded(client: ExchangeClient, keyId: string): Promise<boolean> {
  const mine = uploadedKeys.get(client.apiKey ?? '') ?? new Set<string>();
  uploadedKeys.set(client.apiKey ?? '', mine);
  if (mine.has(keyId)) return false;
  const onExchange = await listMyHeKeySets(client);
  for (const k of onExchange) mine.add(k.keyId);
  if (mine.has(keyId)) return false;
  // publicBundle() holds the public, relinearisation and Galois keys only; the worker keeps the secret key.
  await uploadHeKeySet(client, await he.publicBundle(keyId));
  mine.add(keyId);
  return true;
}

/** The exchange's runner could not evaluate the query; code and message are the runner's. */
class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A refusal with its code: the API's, the HE sdk's, or the query runner's. */
function CodedError({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  const code = error instanceof ExchangeError || error instanceof QueryFailedError || error instanceof HeWorkerError ? error.code : null;
  return (
    <Notice kind="bad">
      {code && (
        <>
          <code class="error-code">{code}</code>{' '}
        </>
      )}
      {error instanceof QueryFailedError ? error.message : text(error)}
    </Notice>
  );
}

type Step = 'upload' | 'encrypt' | 'submit' | 'wait' | 'decrypt';

interface Outcome {
  answer: DecryptedGroupAggregate;
  query: EncryptedQuery;
  groups: string[];
  of: number;
  kb: number;
  valueColumn: DatasetColumn;
  uploaded: boolean;
}

/** Decimal columns are summed in units of 10^-scale: shift the point back. */
function scaled(integer: string, column: DatasetColumn): string {
  const scale = column.type === 'DECIMAL' ? (column.scale ?? 0) : 0;
  if (scale === 0) return integer;
  const negative = integer.startsWith('-');
  const digits = (negative ? integer.slice(1) : integer).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function QueryBuilder({ licence, datasetId, keyId, onFinished }: { licence: Licence; datasetId: string; keyId: string; onFinished: () => void }) {
  const { t, formatNumber } = useI18n();
  const { client } = useSession();
  const dataset = useAsync(() => getDataset(client, datasetId), [client, datasetId]);
  const version = dataset.data?.currentVersion;
  const columns = version?.columns ?? [];
  const groupColumns = columns.filter((c) => c.type === 'CATEGORY');
  const valueColumns = columns.filter((c) => c.type === 'INTEGER' || c.type === 'DECIMAL');
  const [groupBy, setGroupBy] = useState('');
  const [value, setValue] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [epsilon, setEpsilon] = useState('');
  const [step, setStep] = useState<Step | null>(null);
  const [status, setStatus] = useState<EncryptedQueryStatus | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);
  useEffect(() => {
    setGroupBy(groupColumns[0]?.name ?? '');
    setValue(valueColumns[0]?.name ?? '');
  }, [dataset.data]);
  const categories = groupColumns.find((c) => c.name === groupBy)?.categories ?? [];
  const needsEpsilon = licence.epsilonBudget !== null;

  const run = useAction(async (): Promise<Outcome> => {
    const valueColumn = valueColumns.find((c) => c.name === value)!;
    const groups = categories.filter((c) => selected.includes(c));
    setStatus(null);
    try {
      setStep('upload');
      const uploaded = await ensureUploaded(client, keyId);
      setStep('encrypt');
      const query = await he.encryptGroupSelection(
        keyId,
        categories.length,
        groups.map((g) => categories.indexOf(g)),
      );
      setStep('submit');
      const submitted = await submitEncryptedQuery(client, {
        licenceId: licence.id,
        keyId,
        kind: 'GROUP_AGGREGATE',
        params: { groupColumn: groupBy, valueColumn: value },
        query,
        ...(needsEpsilon ? { epsilon: Number(epsilon) } : {}),
      });
      setStep('wait');
      setStatus(submitted.status);
      let done = await getEncryptedQuery(client, submitted.id);
      while (done.status === 'QUEUED' || done.status === 'RUNNING') {
        if (!alive.current) throw new Error('left the page');
        setStatus(done.status);
        await sleep(1000);
        done = await getEncryptedQuery(client, submitted.id);
      }
      setStatus(done.status);
      onFinished();
      if (done.status === 'FAILED' || !done.result) throw new QueryFailedError(done.errorCode ?? 'FAILED', done.errorMessage ?? t('query.failed'));
      setStep('decrypt');
      const answer = await he.decryptGroupAggregate(keyId, done.result as GroupAggregateResult);
      return { answer, query: done, groups, of: categories.length, kb: Math.round((query.selection.length * 3) / 4 / 1024), valueColumn, uploaded };
    } finally {
      setStep(null);
    }
  });

  if (dataset.error) return <CodedError error={dataset.error} />;
  if (!version) return <Loading />;
  const epsilonOk = !needsEpsilon || (Number(epsilon) > 0 && Number(epsilon) <= (licence.epsilonRemaining ?? 0));
  const outcome = run.result;
  return (
    <section class="card" aria-labelledby="builder-h">
      <h2 id="builder-h">{t('query.builder')}</h2>
      {groupColumns.length === 0 || valueColumns.length === 0 ? (
        <p>{t('query.noColumns')}</p>
      ) : (
        <form onSubmit={(e) => (e.preventDefault(), void run.run())}>
          <div class="grid two">
            <SelectField<string>
              label={t('query.groupBy')}
              value={groupBy}
              onValue={(v) => (setGroupBy(v), setSelected([]), run.reset())}
              options={groupColumns.map((c) => ({ value: c.name, label: c.name }))}
            />
            <SelectField<string>
              label={t('query.aggregate')}
              value={value}
              onValue={(v) => (setValue(v), run.reset())}
              options={valueColumns.map((c) => ({ value: c.name, label: c.unit ? `${c.name} (${c.unit})` : c.name }))}
            />
          </div>
          <CheckboxGroup<string> legend={t('query.groups')} selected={selected} onValue={setSelected} options={categories.map((c) => ({ value: c, label: c }))} />
          <p class="small muted">{t('query.kHint', { k: version.minGroupSize })}</p>
          {needsEpsilon && (
            <TextField
              label={t('query.epsilon')}
              inputMode="decimal"
              value={epsilon}
              onValue={setEpsilon}
              hint={t('query.epsilonHint', { left: String(licence.epsilonRemaining ?? 0) })}
            />
          )}
          <button type="submit" class="primary" disabled={!keyId || selected.length === 0 || !epsilonOk || run.pending}>
            {run.pending ? t('query.running') : t('query.sendButton')}
          </button>
          {!keyId && <p class="small muted">{t('query.needKey')}</p>}
          {step && (
            <p class="small" role="status" aria-live="polite">
              {t(`query.step.${step}`)}
              {step === 'wait' && status && (
                <>
                  {' '}
                  <StatusBadge group="equery" value={status} />
                </>
              )}
            </p>
          )}
          <CodedError error={run.error} />
        </form>
      )}
      {outcome && <Answer outcome={outcome} formatNumber={formatNumber} />}
    </section>
  );
}

function Answer({ outcome, formatNumber }: { outcome: Outcome; formatNumber: (n: number) => string }) {
  const { t } = useI18n();
  const { answer, query, valueColumn } = outcome;
  const l = query.licence;
  const unit = valueColumn.unit ? ` ${valueColumn.unit}` : '';
  const big = (s: string) => {
    const [whole = '0', frac] = s.split('.');
    const n = BigInt(whole);
    const grouped = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? formatNumber(Number(n)) : whole;
    return frac ? `${grouped}.${frac}` : grouped;
  };
  const scale = valueColumn.type === 'DECIMAL' ? 10 ** (valueColumn.scale ?? 0) : 1;
  const noise = answer.noise;
  return (
    <div class="answer" aria-labelledby="answer-h">
      <h3 id="answer-h">{t('query.answer')}</h3>
      <Notice kind="ok">
        {t('query.encrypted', { groups: outcome.groups.length, of: outcome.of, kb: outcome.kb })} {outcome.uploaded ? t('query.keyUploaded') : t('query.keyOnExchange')}
      </Notice>
      <dl class="kv">
        <dt>{t('query.selectedGroups')}</dt>
        <dd>{outcome.groups.join(', ')}</dd>
        <dt>{t('query.count')}</dt>
        <dd data-answer="count" data-value={answer.count}>
          {big(answer.count)}
        </dd>
        <dt>{t('query.sum', { column: valueColumn.name })}</dt>
        <dd data-answer="sum" data-value={scaled(answer.sum, valueColumn)}>
          {big(scaled(answer.sum, valueColumn))}
          {unit}
        </dd>
        <dt>{t('query.mean')}</dt>
        <dd data-answer="mean">{answer.mean === null ? '—' : `${(answer.mean / scale).toFixed(2)}${unit}`}</dd>
        <dt>{t('query.suppressed')}</dt>
        <dd data-answer="suppressed" data-value={String(answer.suppressedGroups)}>
          {answer.suppressedGroups === 0 ? t('query.suppressedNone') : t('query.suppressedSome', { n: answer.suppressedGroups })}
        </dd>
        <dt>{t('query.noise')}</dt>
        <dd>{noise ? t('query.noiseLaplace', { epsilon: noise.epsilon, count: noise.scales.count, sum: noise.scales.sum ?? '—' }) : t('query.noNoise')}</dd>
        {l && (
          <>
            <dt>{t('query.quotaRemaining')}</dt>
            <dd data-answer="queries-left">{quotaText(l, formatNumber, t('licences.unlimited'))}</dd>
            <dt>{t('query.budgetRemaining')}</dt>
            <dd data-answer="budget-left">{l.epsilonBudget === null ? t('query.noBudget') : `ε ${l.epsilonRemaining} / ${l.epsilonBudget}`}</dd>
          </>
        )}
        <dt>{t('query.evaluation')}</dt>
        <dd>{query.resultMeta?.evaluationMs !== undefined ? `${formatNumber(query.resultMeta.evaluationMs)} ms` : '—'}</dd>
      </dl>
    </div>
  );
}

function RecentQueries({ runs }: { runs: number }) {
  const { t, formatDate } = useI18n();
  const { client } = useSession();
  const recent = useAsync(() => listMyEncryptedQueries(client, { first: 10 }), [client, runs]);
  return (
    <section class="card" aria-labelledby="recent-h">
      <div class="row">
        <h2 id="recent-h">{t('query.recent')}</h2>
        <button type="button" class="link" onClick={recent.reload}>
          {t('query.refresh')}
        </button>
      </div>
      <CodedError error={recent.error} />
      {!recent.data ? (
        <Loading />
      ) : recent.data.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{t('query.recent')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.created')}</th>
                <th scope="col">{t('query.columns')}</th>
                <th scope="col">{t('query.keyId')}</th>
                <th scope="col">{t('common.status')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.map((q) => (
                <tr key={q.id}>
                  <td>{formatDate(q.createdAt, true)}</td>
                  <td>{Object.values(q.params).join(' · ')}</td>
                  <td>
                    <code>{q.keyId.slice(0, 12)}…</code>
                  </td>
                  <td>
                    <StatusBadge group="equery" value={q.status} /> {q.errorCode && <code class="error-code">{q.errorCode}</code>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
