// 结算记录: the participant's net result of each clearing cycle, each with its chain proof,
// checkable in the browser against its own content.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { SettlementRecord } from '../../../sdk/graphql/clearing.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { AnchorProofView } from './anchor-proof.tsx';
import { StatusBadge, Yuan } from './data.tsx';

export function SettlementsTable({ records }: { records: SettlementRecord[] }) {
  const { t, formatDate } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  if (records.length === 0) return <p class="muted">{t('settlements.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{t('settlements.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settlements.cycle')}</th>
            <th scope="col">{t('common.time')}</th>
            <th scope="col" class="num">
              {t('settlements.income')}
            </th>
            <th scope="col" class="num">
              {t('settlements.paid')}
            </th>
            <th scope="col" class="num">
              {t('settlements.net')}
            </th>
            <th scope="col">{t('anchor.status')}</th>
            <th scope="col">{t('rights.chainProof')}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <Fragment key={r.id}>
              <tr>
                <td>#{r.cycleSeq}</td>
                <td>{formatDate(r.createdAt, true)}</td>
                <td class="num">
                  <Yuan yuan={r.receivable.yuan} />
                </td>
                <td class="num">
                  <Yuan yuan={r.payable.yuan} />
                </td>
                <td class="num">
                  <Yuan yuan={r.net.yuan} />
                </td>
                <td>{r.anchor ? <StatusBadge group="anchor" value={r.anchor.status} /> : '—'}</td>
                <td>
                  <button type="button" class="link" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                    {t('settlements.proof', { n: r.cycleSeq })}
                  </button>
                </td>
              </tr>
              {open === r.id && (
                <tr>
                  <td colSpan={7}>
                    <AnchorProofView proof={r.anchor} content={r.content} label={t('settlements.cycleN', { n: r.cycleSeq })} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
