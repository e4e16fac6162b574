// An anchored record's chain proof, and a button that checks it here in the browser: content
// hash, leaf and Merkle path recomputed with the sdk; the root's place on chain as the API reports.
import { useState } from 'preact/hooks';
import type { AnchorProofCheck, AnchorProofInput } from '../../../sdk/anchoring/verify-anchor-proof.ts';
import type { AnchorProof } from '../../../sdk/graphql/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Hash, KeyValues, StatusBadge } from './data.tsx';

export function verifyInBrowser(proof: AnchorProofInput, content?: unknown): Promise<AnchorProofCheck> {
  return import('../../../sdk/anchoring/verify-anchor-proof.ts').then((m) => m.verifyAnchorProof(proof, content));
}

/** True when every check that applies passed and the root is on chain. */
export function proofHolds(proof: AnchorProof, check: AnchorProofCheck): boolean {
  return check.leafMatches && check.contentHashMatches !== false && check.pathReachesRoot === true && proof.verifiesOnChain;
}

export function AnchorProofView({ proof, content, label }: { proof: AnchorProof | null; content?: unknown; label: string }) {
  const { t } = useI18n();
  const [check, setCheck] = useState<AnchorProofCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!proof) return <p class="muted">{t('anchor.none')}</p>;
  // The list items carry ✓ / ✗ themselves (.checks li.pass / .fail).
  const mark = (ok: boolean | null) => (ok === null ? t('anchor.notApplicable') : ok ? t('anchor.pass') : t('anchor.fail'));
  return (
    <div class="stack" aria-label={label}>
      <KeyValues
        items={[
          [t('anchor.status'), <StatusBadge group="anchor" value={proof.status} />],
          [t('anchor.contentHash'), <Hash value={proof.contentHash} />],
          [t('anchor.leaf'), <Hash value={proof.leaf} />],
          [t('anchor.root'), <Hash value={proof.root} />],
          [t('anchor.tx'), proof.txHash ? <Hash value={proof.txHash} /> : '—'],
          [t('anchor.block'), proof.blockNumber ?? '—'],
          [t('anchor.proofLength'), proof.proof.length],
          [t('anchor.onChain'), proof.verifiesOnChain ? `✓ ${t('common.yes')}` : t('common.no')],
        ]}
      />
      <div class="row">
        <button
          type="button"
          onClick={() => {
            setError(null);
            verifyInBrowser(proof, content).then(setCheck, (e: unknown) => setError(String(e)));
          }}
        >
          {t('anchor.verify')} ({label})
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {check && (
        <div role="status" class={`notice ${proofHolds(proof, check) ? 'ok' : proof.status === 'ANCHORED' ? 'bad' : 'info'}`}>
          <strong>{proofHolds(proof, check) ? t('anchor.verified') : proof.status === 'ANCHORED' ? t('anchor.broken') : t('anchor.notYet')}</strong>
          <ul class="checks">
            <li class={check.contentHashMatches === null ? '' : check.contentHashMatches ? 'pass' : 'fail'}>
              {t('anchor.checkContent')}: {mark(check.contentHashMatches)}
            </li>
            <li class={check.leafMatches ? 'pass' : 'fail'}>
              {t('anchor.checkLeaf')}: {mark(check.leafMatches)}
            </li>
            <li class={check.pathReachesRoot === null ? '' : check.pathReachesRoot ? 'pass' : 'fail'}>
              {t('anchor.checkPath')}: {mark(check.pathReachesRoot)}
            </li>
            <li class={proof.status !== 'ANCHORED' ? '' : proof.verifiesOnChain ? 'pass' : 'fail'}>
              {t('anchor.checkChain')}: {mark(proof.status === 'ANCHORED' ? proof.verifiesOnChain : null)}
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
