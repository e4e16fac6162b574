// 存证核验: check records against the chain. Pick a trade (or give a dataset id): every anchored
// record behind it — the listing decisions and the rights certificates — is verified here, in
// the browser, from its content to its batch root; or paste any proof to check it alone.
import { useState } from 'preact/hooks';
import type { AnchorProofCheck } from '../../../../sdk/anchoring/verify-anchor-proof.ts';
import { getDataset } from '../../../../sdk/graphql/catalog.ts';
import { listTrades } from '../../../../sdk/graphql/trading.ts';
import type { AnchorProof, Dataset } from '../../../../sdk/graphql/types.ts';
import { proofHolds, verifyInBrowser } from '../../components/anchor-proof.tsx';
import { Hash, StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { TradesTable } from '../../components/trading-tables.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';

interface Verified {
  what: string;
  proof: AnchorProof;
  check: AnchorProofCheck;
}

async function verifyDataset(dataset: Dataset, describe: { decision: (action: string) => string; certificate: (n: string) => string }): Promise<Verified[]> {
  const out: Verified[] = [];
  for (const e of dataset.listingHistory) {
    if (e.anchor) out.push({ what: describe.decision(e.action), proof: e.anchor, check: await verifyInBrowser(e.anchor) });
  }
  for (const c of dataset.rightsHistory) {
    if (c.anchor) out.push({ what: describe.certificate(c.number), proof: c.anchor, check: await verifyInBrowser(c.anchor, c.content) });
  }
  return out;
}

export default function VerifyPage({ query }: { query: URLSearchParams }) {
  const { t, lang, label } = useI18n();
  const { client } = useSession();
  const datasetId = query.get('dataset');
  const trades = useAsync(() => listTrades(client, { side: 'ALL', first: 50 }), [client]);
  const [typed, setTyped] = useState(datasetId ?? '');
  const result = useAsync(async () => {
    if (!datasetId) return null;
    const dataset = await getDataset(client, datasetId);
    const records = await verifyDataset(dataset, {
      decision: (a) => `${t('verify.decision')} · ${label('action', a)}`,
      certificate: (n) => `${t('verify.certificate')} · ${n}`,
    });
    return { dataset, records };
  }, [client, datasetId]);
  const r = result.data;
  const allHold = r && r.records.length > 0 && r.records.every((x) => proofHolds(x.proof, x.check));
  return (
    <Page title={t('verify.title')}>
      <p class="muted">{t('verify.intro')}</p>
      <section class="card" aria-labelledby="trades-h">
        <h2 id="trades-h">{t('verify.pickTrade')}</h2>
        <ErrorNotice error={trades.error} />
        {trades.data ? (
          <TradesTable
            trades={trades.data.nodes}
            caption={t('verify.tradesCaption')}
            actions={(x) =>
              x.dataset && (
                <Link to="/regulator/verify" query={{ dataset: x.dataset.id }} aria-label={`${t('verify.verifyTrade')} · ${x.id}`}>
                  {t('verify.verifyTrade')}
                </Link>
              )
            }
          />
        ) : (
          <Loading />
        )}
        <form class="row" onSubmit={(e) => (e.preventDefault(), navigate('/regulator/verify', { dataset: typed.trim() || undefined }))}>
          <div style={{ flex: '1 1 20rem' }}>
            <TextField label={t('verify.datasetId')} value={typed} onValue={setTyped} />
          </div>
          <button type="submit">{t('verify.run')}</button>
        </form>
      </section>
      {datasetId && (
        <section class="card" aria-labelledby="result-h" aria-busy={result.loading}>
          <h2 id="result-h">{t('verify.result')}</h2>
          <ErrorNotice error={result.error} />
          {!r ? (
            <Loading />
          ) : (
            <>
              <p>
                {lang === 'zh' ? r.dataset.currentVersion.titleZh : r.dataset.currentVersion.titleEn} · <StatusBadge group="status" value={r.dataset.status} />
              </p>
              <Notice kind={allHold ? 'ok' : 'bad'}>{allHold ? t('verify.allHold', { n: r.records.length }) : t('verify.notAll')}</Notice>
              <div class="table-wrap">
                <table>
                  <caption>{t('verify.records')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('verify.record')}</th>
                      <th scope="col">{t('anchor.status')}</th>
                      <th scope="col">{t('anchor.checkContent')}</th>
                      <th scope="col">{t('anchor.checkLeaf')}</th>
                      <th scope="col">{t('anchor.checkPath')}</th>
                      <th scope="col">{t('anchor.checkChain')}</th>
                      <th scope="col">{t('anchor.tx')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.records.map((x, i) => (
                      <tr key={i}>
                        <td>{x.what}</td>
                        <td>
                          <StatusBadge group="anchor" value={x.proof.status} />
                        </td>
                        <td>{x.check.contentHashMatches === null ? '—' : x.check.contentHashMatches ? '✓' : '✗'}</td>
                        <td>{x.check.leafMatches ? '✓' : '✗'}</td>
                        <td>{x.check.pathReachesRoot === null ? '—' : x.check.pathReachesRoot ? '✓' : '✗'}</td>
                        <td>{x.proof.verifiesOnChain ? `✓ #${x.proof.blockNumber}` : '✗'}</td>
                        <td>
                          <Hash value={x.proof.txHash} keep={8} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
      <PastedProof />
    </Page>
  );
}

function PastedProof() {
  const { t } = useI18n();
  const [proofText, setProofText] = useState('');
  const [contentText, setContentText] = useState('');
  const check = useAction(async () => {
    const proof = JSON.parse(proofText) as AnchorProof;
    const content = contentText.trim() ? (JSON.parse(contentText) as unknown) : undefined;
    return { proof, check: await verifyInBrowser(proof, content) };
  });
  return (
    <form class="card" aria-labelledby="paste-h" onSubmit={(e) => (e.preventDefault(), void check.run())}>
      <h2 id="paste-h">{t('verify.paste')}</h2>
      <TextArea label={t('verify.proofJson')} value={proofText} onValue={setProofText} rows={5} hint={t('verify.proofJsonHint')} />
      <TextArea label={t('verify.contentJson')} value={contentText} onValue={setContentText} rows={3} />
      <button type="submit" disabled={!proofText.trim() || check.pending}>
        {t('verify.run')}
      </button>
      <ErrorNotice error={check.error} />
      {check.result && (
        <Notice kind={proofHolds(check.result.proof, check.result.check) ? 'ok' : 'bad'}>
          {proofHolds(check.result.proof, check.result.check) ? t('anchor.verified') : t('anchor.broken')} · {t('anchor.root')} <Hash value={check.result.check.computedRoot} />
        </Notice>
      )}
    </form>
  );
}
