// 主体核验: the register of participants; the operator verifies or rejects a pending one.
import { useState } from 'preact/hooks';
import { listParticipants, reviewParticipant } from '../../../../sdk/graphql/participants.ts';
import type { Participant, ParticipantStatus } from '../../../../sdk/graphql/types.ts';
import { Hash, StatusBadge } from '../../components/data.tsx';
import { ErrorNotice, Loading } from '../../components/feedback.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../session.tsx';

type Filter = ParticipantStatus | 'ALL';

export default function ParticipantsPage() {
  const { t, label, formatDate } = useI18n();
  const { client } = useSession();
  const [status, setStatus] = useState<Filter>('PENDING');
  const list = useAsync(() => listParticipants(client, { status: status === 'ALL' ? undefined : status, first: 200 }), [client, status]);
  return (
    <Page title={t('participants.title')}>
      <div style={{ maxWidth: '16rem' }}>
        <SelectField<Filter>
          label={t('common.status')}
          value={status}
          onValue={setStatus}
          options={(['PENDING', 'VERIFIED', 'REJECTED', 'SUSPENDED', 'ALL'] as const).map((s) => ({ value: s, label: s === 'ALL' ? t('common.all') : label('participant', s) }))}
        />
      </div>
      <ErrorNotice error={list.error} />
      {!list.data ? (
        <Loading />
      ) : list.data.nodes.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('participants.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('register.name')}</th>
                <th scope="col">{t('register.jurisdiction')}</th>
                <th scope="col">{t('register.code')}</th>
                <th scope="col">{t('account.roles')}</th>
                <th scope="col">{t('account.chainAddress')}</th>
                <th scope="col">{t('common.created')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.nodes.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    <div class="small muted">
                      <code>{p.id}</code>
                    </div>
                  </td>
                  <td>{p.jurisdiction}</td>
                  <td>
                    <code>{p.registrationCode}</code> <span class="small muted">{p.registrationScheme}</span>
                  </td>
                  <td>{p.roles.map((r) => label('role', r)).join('、')}</td>
                  <td>
                    <Hash value={p.chainAddress} keep={6} />
                  </td>
                  <td>{formatDate(p.createdAt)}</td>
                  <td>
                    <StatusBadge group="participant" value={p.status} />
                    {p.statusReason && <div class="small muted">{p.statusReason}</div>}
                  </td>
                  <td>{p.status === 'PENDING' && <Verify participant={p} onDone={list.reload} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function Verify({ participant, onDone }: { participant: Participant; onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [reason, setReason] = useState('');
  const review = useAction(async (approve: boolean) => {
    await reviewParticipant(client, { participantId: participant.id, approve, reason: reason.trim() || undefined });
    onDone();
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void review.run(true))}>
      <TextField label={`${t('common.reason')} · ${participant.name}`} value={reason} onValue={setReason} />
      <div class="row">
        <button type="submit" class="primary" disabled={review.pending} aria-label={`${t('participants.verify')} · ${participant.name}`}>
          {t('participants.verify')}
        </button>
        <button type="button" class="danger" disabled={review.pending || !reason.trim()} onClick={() => void review.run(false)} aria-label={`${t('participants.reject')} · ${participant.name}`}>
          {t('participants.reject')}
        </button>
      </div>
      <ErrorNotice error={review.error} />
    </form>
  );
}
