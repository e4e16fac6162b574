// The buyer's HE key sets in this browser: made in the HE worker, kept in IndexedDB, chosen for
// a query, exported sealed with a passphrase, imported back, removed. The secret keys never leave
// the worker and the browser's storage.
import { useState } from 'preact/hooks';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { TextField } from '../../components/form.tsx';
import { saveText } from '../../download.ts';
import { he } from '../../he/he-client.ts';
import { deleteKeySet, type listKeySets } from '../../he/key-store.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export function HeKeySets({
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
