// 存证核验: check records against the chain. Pick a trade (or give a dataset id): the exchange's
// verifyRecord checks the trade's filing end to end (content, proof, root on chain), and every
// anchored record — that filing, the listing decisions and the rights certificates — is also
// verified here, in the browser, from its content to its batch root. Any record can be looked up
// by kind and id (or a global id) the same way, or a pasted proof checked alone.
import { useState } from 'preact/hooks';
import type { AnchorProofCheck } from '../../../../sdk/anchoring/verify-anchor-proof.ts';
import { getDataset } from '../../../../sdk/graphql/catalog.ts';
import { verifyRecord, type RecordVerification } from '../../../../sdk/graphql/regulator.ts';
import { listTrades } from '../../../../sdk/graphql/trading.ts';
import type { AnchorProof, Dataset } from '../../../../sdk/graphql/types.ts';
import { proofHolds, verifyInBrowser } from '../../components/anchor-proof.tsx';
import { Hash, StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../components/form.tsx';
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

/** The exchange's verification as a proof to check here: the content is the record as the database holds it. */
async function checkVerification(v: RecordVerification, what: string): Promise<Verified & { server: RecordVerification }> {
  const proof: AnchorProof = {
    status: v.status === 'NOT_ANCHORED' ? 'PENDING' : v.status,
    kind: v.kind,
    recordId: v.recordId,
    contentHash: v.anchoredContentHash ?? '',
    leaf: v.leaf ?? '',
    batchId: v.batchId,
    leafIndex: v.leafIndex,
    root: v.root,
    proof: v.proof,
    txHash: v.txHash,
    blockNumber: v.blockNumber,
    verifiesOnChain: v.verifiesOnChain && v.rootOnChain,
  };
  // Nothing to recompute for a record that was never anchored.
  const check: AnchorProofCheck =
    v.anchoredContentHash && v.leaf ? await verifyInBrowser(proof, v.record ?? undefined) : { contentHashMatches: null, leafMatches: false, pathReachesRoot: null, computedRoot: '' };
  return { what, proof, check, server: v };
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
  const tradeId = query.get('trade');
  const trades = useAsync(() => listTrades(client, { side: 'ALL', first: 50 }), [client]);
  const [typed, setTyped] = useState(datasetId ?? '');
  const result = useAsync(async () => {
    if (!datasetId) return null;
    const dataset = await getDataset(client, datasetId);
    const filing = tradeId ? [await checkVerification(await verifyRecord(client, { id: tradeId }), t('verify.tradeFiling'))] : [];
    const records = await verifyDataset(dataset, {
      decision: (a) => `${t('verify.decision')} · ${label('action', a)}`,
      certificate: (n) => `${t('verify.certificate')} · ${n}`,
    });
    return { dataset, records: [...filing, ...records], filing: filing[0]?.server ?? null };
  }, [client, datasetId, tradeId]);
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
                <Link to="/regulator/verify" query={{ dataset: x.dataset.id, trade: x.id }} aria-label={`${t('verify.verifyTrade')} · ${x.id}`}>
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
              {r.filing && <ServerVerdict v={r.filing} />}
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
      <RecordLookup />
      <PastedProof />
    </Page>
  );
}

/** What the exchange's verifyRecord concluded, with its problems. */
function ServerVerdict({ v }: { v: RecordVerification }) {
  const { t } = useI18n();
  return (
    <Notice kind={v.verified ? 'ok' : 'bad'}>
      <span data-verdict={v.verified ? 'verified' : 'failed'}>
        {v.verified ? t('verify.serverVerified', { kind: v.kind }) : t('verify.serverFailed', { kind: v.kind, problems: v.problems.join('; ') || v.status })}
      </span>{' '}
      {v.blockNumber !== null && <span class="small">#{v.blockNumber}</span>} <Hash value={v.txHash} keep={8} />
    </Notice>
  );
}

/** The kinds of anchored record (ARCHITECTURE.md, "Anchoring format"), for looking one up by id. */
const RECORD_KINDS = [
  'trading.trade-filing',
  'rights.certificate',
  'catalog.listing-decision',
  'clearing.settlement-record',
  'clearing.cycle-summary',
  'disputes.opened',
  'disputes.ruling',
  'disputes.withdrawn',
  'crossborder.positive-list',
  'crossborder.assessment',
  'supervision.action',
] as const;

function isGlobalId(text: string): boolean {
  try {
    return /^[A-Z][A-Za-z]+:./.test(atob(text));
  } catch {
    return false;
  }
}

function RecordLookup() {
  const { t } = useI18n();
  const { client } = useSession();
  const [kind, setKind] = useState<(typeof RECORD_KINDS)[number]>('trading.trade-filing');
  const [recordId, setRecordId] = useState('');
  const lookup = useAction(async () => {
    const id = recordId.trim();
    // A global id (base64 of "Trade:<uuid>") names its kind itself; a record id needs the kind chosen.
    const ref = isGlobalId(id) ? { id } : { kind, recordId: id };
    return checkVerification(await verifyRecord(client, ref), kind);
  });
  const r = lookup.result;
  return (
    <form class="card" aria-labelledby="lookup-h" onSubmit={(e) => (e.preventDefault(), void lookup.run())}>
      <h2 id="lookup-h">{t('verify.lookup')}</h2>
      <p class="small muted">{t('verify.lookupHint')}</p>
      <div class="grid two">
        <SelectField label={t('verify.kind')} value={kind} onValue={setKind} options={RECORD_KINDS.map((k) => ({ value: k, label: k }))} />
        <TextField label={t('verify.recordId')} value={recordId} onValue={setRecordId} />
      </div>
      <button type="submit" disabled={!recordId.trim() || lookup.pending}>
        {t('verify.run')}
      </button>
      <ErrorNotice error={lookup.error} />
      {r && (
        <>
          <ServerVerdict v={r.server} />
          <Notice kind={proofHolds(r.proof, r.check) ? 'ok' : 'bad'}>
            {proofHolds(r.proof, r.check) ? t('verify.localVerified') : t('verify.localFailed')} · {t('anchor.root')} <Hash value={r.check.computedRoot || null} />
          </Notice>
        </>
      )}
    </form>
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
