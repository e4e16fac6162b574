// 账户: the signed-in organisation, its balance with deposits and withdrawals, and more API keys.
import { useMemo, useState } from 'preact/hooks';
import { createApiKey } from '../../../sdk/graphql/participants.ts';
import { deposit, getBalance, withdraw } from '../../../sdk/graphql/trading.ts';
import type { Scope } from '../../../sdk/graphql/types.ts';
import { Hash, KeyValues, newIdempotencyKey, StatusBadge, Yuan, yuanToFen } from '../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../components/feedback.tsx';
import { CheckboxGroup, TextField } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../session.tsx';

export default function AccountPage() {
  const { t, label, formatDate } = useI18n();
  const session = useSession();
  const p = session.viewer!.participant;
  const balance = useAsync(() => getBalance(session.client), [session.client]);
  return (
    <Page title={t('account.title')}>
      <div class="grid two">
        <section class="card" aria-labelledby="org-h">
          <h2 id="org-h">{p.name}</h2>
          <KeyValues
            items={[
              [t('account.id'), <code>{p.id}</code>],
              [t('account.status'), <StatusBadge group="participant" value={p.status} />],
              [t('account.roles'), p.roles.map((r) => label('role', r)).join('、')],
              [t('account.scopes'), session.viewer!.scopes.map((s) => label('role', s)).join('、')],
              [t('register.jurisdiction'), p.jurisdiction],
              [t('register.code'), p.registrationCode],
              [t('account.chainAddress'), <Hash value={p.chainAddress} />],
              [t('account.chainRegistration'), p.chainRegistration ? <StatusBadge group="chainWork" value={p.chainRegistration.status} /> : '—'],
              [t('account.verifiedAt'), formatDate(p.verifiedAt, true)],
            ]}
          />
          <p class="small muted">{t('account.idHint')}</p>
        </section>
        <section class="card" aria-labelledby="bal-h">
          <h2 id="bal-h">{t('account.balance')}</h2>
          <ErrorNotice error={balance.error} />
          {balance.data ? (
            <KeyValues
              items={[
                [t('account.available'), <Yuan yuan={balance.data.available.yuan} />],
                [t('account.escrow'), <Yuan yuan={balance.data.escrow.yuan} />],
              ]}
            />
          ) : (
            <Loading />
          )}
          <MoveFunds onDone={balance.reload} />
        </section>
      </div>
      <NewApiKey />
    </Page>
  );
}

function MoveFunds({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [amount, setAmount] = useState('');
  const [attempt, setAttempt] = useState(0);
  const fen = yuanToFen(amount);
  // A new key per submission attempt; a double click inside one attempt cannot move money twice.
  const key = useMemo(() => newIdempotencyKey('funds'), [attempt, amount]);
  const move = useAction(async (direction: 'deposit' | 'withdraw') => {
    const r = await (direction === 'deposit' ? deposit : withdraw)(client, { amountFen: fen!, idempotencyKey: `${key}-${direction}` });
    setAttempt((n) => n + 1);
    setAmount('');
    onDone();
    return r;
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void move.run('deposit'))}>
      <TextField label={t('account.amount')} inputMode="decimal" value={amount} onValue={setAmount} error={amount && !fen ? t('account.amountInvalid') : null} hint={t('account.amountHint')} />
      <div class="row">
        <button type="submit" class="primary" disabled={!fen || move.pending}>
          {t('account.deposit')}
        </button>
        <button type="button" disabled={!fen || move.pending} onClick={() => void move.run('withdraw')}>
          {t('account.withdraw')}
        </button>
      </div>
      <ErrorNotice error={move.error} />
      {move.result && <Notice kind="ok">{t('account.moved')}</Notice>}
    </form>
  );
}

function NewApiKey() {
  const { t, label } = useI18n();
  const session = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['READ']);
  const create = useAction(() => createApiKey(session.client, { label: name, scopes }));
  const choices: Scope[] = ['READ', ...session.viewer!.participant.roles];
  return (
    <form class="card" aria-labelledby="key-h" onSubmit={(e) => (e.preventDefault(), void create.run())}>
      <h2 id="key-h">{t('account.newKey')}</h2>
      <TextField label={t('account.keyLabel')} value={name} onValue={setName} required />
      <CheckboxGroup<Scope> legend={t('account.scopes')} selected={scopes} onValue={setScopes} options={choices.map((s) => ({ value: s, label: label('role', s) }))} />
      <button type="submit" disabled={create.pending || !name.trim() || scopes.length === 0}>
        {t('account.createKey')}
      </button>
      <ErrorNotice error={create.error} />
      {create.result && (
        <Notice kind="ok">
          {t('account.keyOnce')}
          <p class="token">{create.result.token}</p>
        </Notice>
      )}
    </form>
  );
}
