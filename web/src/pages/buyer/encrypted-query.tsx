// 加密查询 (可用不可见): the buyer's keys are made and kept in this browser, the query is built
// and encrypted here, and the answer is decrypted here; the server sees neither. The licence's
// remaining quota and privacy budget are shown. Sending the query waits for the API.
import { useEffect, useState } from 'preact/hooks';
import { getDataset } from '../../../../sdk/graphql/catalog.ts';
import { listLicences } from '../../../../sdk/graphql/trading.ts';
import type { GroupAggregateQuery } from '../../../../sdk/he/query-result.ts';
import { KeyValues, StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice, Placeholder } from '../../components/feedback.tsx';
import { CheckboxGroup, SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { saveText } from '../../download.ts';
import { he } from '../../he/he-client.ts';
import { deleteKeySet, listKeySets } from '../../he/key-store.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
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
      <Keys keys={keys.data} loading={keys.loading} reload={keys.reload} keyId={keyId} setKeyId={setKeyId} />
      {licence?.dataset && <QueryBuilder datasetId={licence.dataset.id} keyId={keyId} />}
    </Page>
  );
}

function Keys({
  keys,
  loading,
  reload,
  keyId,
  setKeyId,
}: {
  keys: Awaited<ReturnType<typeof listKeySets>> | undefined;
  loading: boolean;
  reload: () => void;
  keyId: string;
  setKeyId: (id: string) => void;
}) {
  const { t, formatDate } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [importPassphrase, setImportPassphrase] = useState('');
  const generate = useAction(async () => {
    const k = await he.generate('bfv');
    setKeyId(k.keyId);
    reload();
    return k;
  });
  const exportSealed = useAction(async () => {
    saveText(`he-key-set-${keyId.slice(0, 12)}.json`, 'application/json', await he.exportSealed(keyId, passphrase));
    return true;
  });
  const importFile = useAction(async (file: File) => {
    const k = await he.import(await file.text(), importPassphrase);
    setKeyId(k.keyId);
    reload();
    return k;
  });
  const remove = useAction(async (id: string) => {
    await deleteKeySet(id);
    if (id === keyId) setKeyId('');
    reload();
  });
  return (
    <section class="card" aria-labelledby="keys-h">
      <h2 id="keys-h">{t('query.keys')}</h2>
      <p class="small muted">{t('query.keysHint')}</p>
      {loading && !keys ? (
        <Loading />
      ) : keys && keys.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('query.use')}</th>
                <th scope="col">{t('query.keyId')}</th>
                <th scope="col">{t('query.scheme')}</th>
                <th scope="col">{t('common.created')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.keyId}>
                  <td>
                    <input type="radio" name="key" checked={k.keyId === keyId} onChange={() => setKeyId(k.keyId)} aria-label={`${t('query.use')} ${k.keyId.slice(0, 12)}`} />
                  </td>
                  <td>
                    <code>{k.keyId.slice(0, 16)}…</code>
                  </td>
                  <td>
                    {k.scheme.toUpperCase()} · {k.queries.join(', ')}
                  </td>
                  <td>{formatDate(k.createdAt, true)}</td>
                  <td>
                    <button type="button" class="danger" onClick={() => void remove.run(k.keyId)}>
                      {t('common.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('query.noKeys')}</p>
      )}
      <div class="row" style={{ marginTop: '.75rem' }}>
        <button type="button" class="primary" disabled={generate.pending} onClick={() => void generate.run()}>
          {generate.pending ? t('query.generating') : t('query.generate')}
        </button>
      </div>
      <ErrorNotice error={generate.error ?? remove.error} />
      <div class="grid two" style={{ marginTop: '.75rem' }}>
        <form onSubmit={(e) => (e.preventDefault(), void exportSealed.run())} aria-labelledby="export-h">
          <h3 id="export-h">{t('query.export')}</h3>
          <TextField label={t('query.passphrase')} type="password" value={passphrase} onValue={setPassphrase} autoComplete="new-password" hint={t('query.passphraseHint')} />
          <button type="submit" disabled={!keyId || passphrase.length < 8 || exportSealed.pending}>
            {t('query.exportButton')}
          </button>
          <ErrorNotice error={exportSealed.error} />
        </form>
        <div aria-labelledby="import-h">
          <h3 id="import-h">{t('query.import')}</h3>
          <TextField label={t('query.importPassphrase')} type="password" value={importPassphrase} onValue={setImportPassphrase} autoComplete="off" />
          <div class="field">
            <label for="key-file">{t('query.importFile')}</label>
            <input id="key-file" type="file" accept="application/json,.json" onChange={(e) => e.currentTarget.files?.[0] && void importFile.run(e.currentTarget.files[0])} />
          </div>
          <ErrorNotice error={importFile.error} />
          {importFile.result && <Notice kind="ok">{t('query.imported')}</Notice>}
        </div>
      </div>
    </section>
  );
}

function QueryBuilder({ datasetId, keyId }: { datasetId: string; keyId: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const dataset = useAsync(() => getDataset(client, datasetId), [client, datasetId]);
  const columns = dataset.data?.currentVersion.columns ?? [];
  const groupColumns = columns.filter((c) => c.type === 'CATEGORY');
  const valueColumns = columns.filter((c) => c.type === 'INTEGER' || c.type === 'DECIMAL');
  const [groupBy, setGroupBy] = useState('');
  const [value, setValue] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    setGroupBy(groupColumns[0]?.name ?? '');
    setValue(valueColumns[0]?.name ?? '');
  }, [dataset.data]);
  const categories = groupColumns.find((c) => c.name === groupBy)?.categories ?? [];
  const encrypt = useAction(async (): Promise<GroupAggregateQuery> => {
    const indexes = selected.map((s) => categories.indexOf(s));
    return he.encryptGroupSelection(keyId, categories.length, indexes);
  });
  if (dataset.error) return <ErrorNotice error={dataset.error} />;
  if (!dataset.data) return <Loading />;
  return (
    <section class="card" aria-labelledby="builder-h">
      <h2 id="builder-h">{t('query.builder')}</h2>
      {groupColumns.length === 0 || valueColumns.length === 0 ? (
        <p>{t('query.noColumns')}</p>
      ) : (
        <form onSubmit={(e) => (e.preventDefault(), void encrypt.run())}>
          <div class="grid two">
            <SelectField<string> label={t('query.groupBy')} value={groupBy} onValue={(v) => (setGroupBy(v), setSelected([]))} options={groupColumns.map((c) => ({ value: c.name, label: c.name }))} />
            <SelectField<string> label={t('query.aggregate')} value={value} onValue={setValue} options={valueColumns.map((c) => ({ value: c.name, label: c.name }))} />
          </div>
          <CheckboxGroup<string> legend={t('query.groups')} selected={selected} onValue={setSelected} options={categories.map((c) => ({ value: c, label: c }))} />
          <button type="submit" class="primary" disabled={!keyId || selected.length === 0 || encrypt.pending}>
            {encrypt.pending ? t('query.encrypting') : t('query.encrypt')}
          </button>
          {!keyId && <p class="small muted">{t('query.needKey')}</p>}
          <ErrorNotice error={encrypt.error} />
          {encrypt.result && (
            <Notice kind="ok">
              {t('query.encrypted', { groups: selected.length, of: categories.length, kb: Math.round((encrypt.result.selection.length * 3) / 4 / 1024) })}
            </Notice>
          )}
        </form>
      )}
      <Placeholder title={t('query.send')} needs="registerHeKeySet(bundle), submitEncryptedQuery(licenceId, keyId, column, query) → job, encryptedQueryResult(jobId) → GroupAggregateResult">
        <p class="small">{t('query.sendHint')}</p>
        <button type="button" disabled>
          {t('query.sendButton')}
        </button>
      </Placeholder>
    </section>
  );
}
