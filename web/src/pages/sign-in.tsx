// 登录: sign in with an API key, or register an organisation and receive its first key.
import { useState } from 'preact/hooks';
import { createClient } from '../../../sdk/graphql/client.ts';
import { registerParticipant } from '../../../sdk/graphql/participants.ts';
import type { IssuedApiKey, Role } from '../../../sdk/graphql/types.ts';
import { ErrorNotice, Notice } from '../components/feedback.tsx';
import { Checkbox, CheckboxGroup, TextField } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { navigate } from '../router.tsx';
import { GRAPHQL_URL, useSession } from '../session.tsx';

export default function SignInPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const session = useSession();
  const [apiKey, setApiKey] = useState('');
  const [remember, setRemember] = useState(false);
  const signIn = useAction(async () => {
    const viewer = await session.signIn(apiKey, remember);
    const back = query.get('back');
    navigate(back ?? homeOf(viewer.scopes as Role[]));
  });
  return (
    <Page title={t('signIn.title')}>
      <div class="grid two">
        <form
          class="card"
          aria-labelledby="signin-h"
          onSubmit={(e) => {
            e.preventDefault();
            void signIn.run();
          }}
        >
          <h2 id="signin-h">{t('signIn.withKey')}</h2>
          <TextField label={t('signIn.apiKey')} type="password" autoComplete="off" value={apiKey} onValue={setApiKey} required hint={t('signIn.apiKeyHint')} />
          <Checkbox label={t('signIn.remember')} checked={remember} onValue={setRemember} hint={t('signIn.rememberHint')} />
          <button type="submit" class="primary" disabled={signIn.pending || !apiKey.trim()}>
            {t('signIn.submit')}
          </button>
          <ErrorNotice error={signIn.error} />
        </form>
        <Register onSignedIn={(key) => void session.signIn(key, false).then(() => navigate('/account'))} />
      </div>
    </Page>
  );
}

export function homeOf(scopes: Role[]): string {
  if (scopes.includes('OPERATOR')) return '/operator/review';
  if (scopes.includes('REGULATOR')) return '/regulator';
  if (scopes.includes('PROVIDER')) return '/provider/datasets';
  return '/';
}

function Register({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const { t, label } = useI18n();
  const [name, setName] = useState('');
  const [jurisdiction, setJurisdiction] = useState('CN');
  const [code, setCode] = useState('');
  const [roles, setRoles] = useState<Role[]>(['BUYER']);
  const register = useAction(() => registerParticipant(createClient({ url: GRAPHQL_URL }), { name, jurisdiction: jurisdiction.trim().toUpperCase(), registrationCode: code.trim(), roles }));
  const issued: IssuedApiKey | undefined = register.result?.apiKey;
  return (
    <form
      class="card"
      aria-labelledby="register-h"
      onSubmit={(e) => {
        e.preventDefault();
        void register.run();
      }}
    >
      <h2 id="register-h">{t('register.title')}</h2>
      <TextField label={t('register.name')} value={name} onValue={setName} required />
      <TextField label={t('register.jurisdiction')} value={jurisdiction} onValue={setJurisdiction} required hint={t('register.jurisdictionHint')} />
      <TextField label={t('register.code')} value={code} onValue={setCode} required hint={t('register.codeHint')} />
      <CheckboxGroup<Role> legend={t('register.roles')} selected={roles} onValue={setRoles} options={(['PROVIDER', 'BUYER'] as const).map((r) => ({ value: r, label: label('role', r) }))} />
      <button type="submit" class="primary" disabled={register.pending || !!issued || roles.length === 0}>
        {t('register.submit')}
      </button>
      <ErrorNotice error={register.error} />
      {issued && (
        <Notice kind="ok">
          <p>{t('register.done')}</p>
          <p class="token" aria-label={t('signIn.apiKey')}>
            {issued.token}
          </p>
          <button type="button" class="primary" onClick={() => onSignedIn(issued.token)}>
            {t('register.continue')}
          </button>
        </Notice>
      )}
    </form>
  );
}
