// 确权证书: holders and shares of the three rights, the certificate's chain proof and its
// chain of title (each transfer points at the certificate it replaced).
import type { RightsCertificate } from '../../../sdk/graphql/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { AnchorProofView } from './anchor-proof.tsx';
import { Hash, KeyValues } from './data.tsx';

export const percent = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)}%`;

export function CertificateView({ certificate, history }: { certificate: RightsCertificate | null; history: RightsCertificate[] }) {
  const { t, label, formatDate } = useI18n();
  if (!certificate) return <p class="muted">{t('rights.none')}</p>;
  return (
    <div class="stack">
      <KeyValues
        items={[
          [t('rights.number'), <code>{certificate.number}</code>],
          [t('rights.kind'), label('certKind', certificate.kind)],
          [t('rights.issued'), formatDate(certificate.issuedAt, true)],
          [t('rights.previous'), certificate.previous ? <code>{certificate.previous.number}</code> : '—'],
        ]}
      />
      <div class="table-wrap">
        <table>
          <caption>{t('rights.holdings')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rights.right')}</th>
              <th scope="col">{t('rights.holder')}</th>
              <th scope="col" class="num">
                {t('rights.share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {certificate.holdings.map((h, i) => (
              <tr key={i}>
                <td>{label('right', h.right)}</td>
                <td>{h.holder?.name ?? '—'}</td>
                <td class="num">{percent(h.shareBps)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('rights.chainProof')}</h3>
      <AnchorProofView proof={certificate.anchor} content={certificate.content} label={certificate.number} />
      {history.length > 1 && (
        <>
          <h3>{t('rights.chainOfTitle')}</h3>
          <ol>
            {history.map((c) => (
              <li key={c.id}>
                <code>{c.number}</code> · {label('certKind', c.kind)} · {formatDate(c.issuedAt, true)} {c.current && <span class="badge ok">{t('rights.current')}</span>}{' '}
                <Hash value={c.contentHash} keep={8} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
