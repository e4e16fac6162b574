// 合规证明 on a dataset's pages: the coverage of the current version's zero-knowledge proofs, the
// proofs themselves (circuit, statement, on-chain record) with the three files `snarkjs groth16
// verify` needs, and for the provider the sdk CLI command that proves what is missing.
import { exportComplianceProof, getCompliance, type ComplianceCoverage, type ComplianceProofSummary, type VersionCompliance } from '../../../sdk/graphql/compliance.ts';
import { saveText } from '../download.ts';
import { useAction } from '../hooks/use-action.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../session.tsx';
import { Hash } from './data.tsx';
import { ErrorNotice, Loading } from './feedback.tsx';

/** The current version's compliance state, loaded once per dataset. */
export function useCompliance(datasetId: string) {
  const { client } = useSession();
  return useAsync(() => getCompliance(client, datasetId), [client, datasetId]);
}

const ranges = (missing: ComplianceCoverage['ruleChunks']['missing']) => missing.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');

/** Complete, or what is missing, as a checks list (the same look as the automated checks). */
export function CoverageSummary({ coverage }: { coverage: ComplianceCoverage }) {
  const { t } = useI18n();
  const { ruleChunks: r, sampledAudit: a } = coverage;
  // Once satisfied, only the way it was satisfied; until then both ways and what each lacks.
  const shown = (complete: boolean) => !coverage.satisfied || complete;
  return (
    <ul class="checks" data-testid="compliance-coverage">
      <li class={coverage.satisfied ? 'pass' : 'fail'}>
        <strong>{coverage.satisfied ? t('compliance.complete') : t('compliance.incomplete')}</strong>
        {coverage.unprovable && <span class="muted small"> — {coverage.unprovable}</span>}
      </li>
      {shown(r.complete) && (
        <li class={r.complete ? 'pass' : 'fail'}>
          {t('compliance.ruleChunks', { proved: r.proved, expected: r.expected })}
          {r.missing.length > 0 && ` — ${t('compliance.missingChunks', { chunks: ranges(r.missing) })}`}
        </li>
      )}
      {shown(a.complete) && (
        <li class={a.complete ? 'pass' : 'fail'}>
          {t('compliance.sampledAudit', { proved: a.provedSamples, required: a.requiredSamples, open: a.openNonces })}
        </li>
      )}
    </ul>
  );
}

/** The statement in one line: name=value, long field elements shortened. */
function Statement({ statement }: { statement: Record<string, string> }) {
  return (
    <span class="small">
      {Object.entries(statement).map(([k, v]) => (
        <span key={k}>
          {k}={v.length > 12 ? <Hash value={v} keep={6} /> : <code>{v}</code>}{' '}
        </span>
      ))}
    </span>
  );
}

function DownloadProof({ proof }: { proof: ComplianceProofSummary }) {
  const { t } = useI18n();
  const { client } = useSession();
  const download = useAction(async () => {
    const exported = await exportComplianceProof(client, proof.id);
    const json = (v: unknown) => JSON.stringify(v, null, 2);
    saveText('proof.json', 'application/json', json(exported.proof));
    saveText('public.json', 'application/json', json(exported.publicSignals));
    saveText('verification_key.json', 'application/json', json(exported.verificationKey));
  });
  return (
    <>
      <button type="button" disabled={download.pending} onClick={() => void download.run()}>
        {t('compliance.download')}
      </button>
      <ErrorNotice error={download.error} />
    </>
  );
}

export function ProofTable({ proofs }: { proofs: ComplianceProofSummary[] }) {
  const { t, label, formatDate } = useI18n();
  if (proofs.length === 0) return <p>{t('compliance.none')}</p>;
  return (
    <div class="table-wrap">
      <table data-testid="compliance-proofs">
        <caption>{t('compliance.caption', { n: proofs.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('compliance.circuit')}</th>
            <th scope="col">{t('compliance.statement')}</th>
            <th scope="col">{t('compliance.onChain')}</th>
            <th scope="col">{t('common.time')}</th>
            <th scope="col">{t('compliance.files')}</th>
          </tr>
        </thead>
        <tbody>
          {proofs.map((p) => (
            <tr key={p.id}>
              <td>{label('circuit', p.circuit)}</td>
              <td>
                <Statement statement={p.statement as Record<string, string>} />
              </td>
              <td>
                {label('proofRecord', p.onChain.status)}
                {p.onChain.txHash && (
                  <>
                    {' '}
                    <Hash value={p.onChain.txHash} keep={6} />
                  </>
                )}
              </td>
              <td>{formatDate(p.verifiedAt, true)}</td>
              <td>
                <DownloadProof proof={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        {t('compliance.verifyHint')} <code>npx snarkjs groth16 verify verification_key.json public.json proof.json</code>
      </p>
    </div>
  );
}

/** The sdk CLI command that proves what the coverage lacks (rule chunks, or the sampled audit). */
export function ProveCommand({ compliance }: { compliance: VersionCompliance }) {
  const { t } = useI18n();
  const { client } = useSession();
  if (compliance.coverage.satisfied || compliance.coverage.unprovable) return null;
  const api = new URL(client.url, location.href).href;
  const command = (audit: boolean) =>
    `node --import tsx sdk/cli/prove-compliance.ts --api ${api} --key $EXCHANGE_API_KEY --version ${compliance.versionId} --csv <rows.csv>${audit ? ' --audit' : ''}`;
  return (
    <div data-testid="prove-command">
      <p>{t('compliance.cliIntro')}</p>
      <pre class="command">
        <code>{command(false)}</code>
      </pre>
      <p class="muted small">{t('compliance.cliAudit')}</p>
      <pre class="command">
        <code>{command(true)}</code>
      </pre>
    </div>
  );
}

/** The whole section: coverage, proofs, and (for the provider) the command. */
export function ComplianceSection({ datasetId, own = false, heading = 'h2' }: { datasetId: string; own?: boolean; heading?: 'h2' | 'h3' }) {
  const { t } = useI18n();
  const compliance = useCompliance(datasetId);
  const H = heading;
  return (
    <section class="card" aria-labelledby="compliance-h">
      <H id="compliance-h">{t('compliance.title')}</H>
      <ErrorNotice error={compliance.error} />
      {!compliance.data ? (
        compliance.error ? null : <Loading />
      ) : compliance.data.coverage.unprovable && compliance.data.proofs.length === 0 ? (
        <p class="muted">{t('compliance.notProvable', { why: compliance.data.coverage.unprovable })}</p>
      ) : (
        <>
          <CoverageSummary coverage={compliance.data.coverage} />
          {own && <ProveCommand compliance={compliance.data} />}
          <ProofTable proofs={compliance.data.proofs} />
        </>
      )}
    </section>
  );
}
