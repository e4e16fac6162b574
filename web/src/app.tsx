// The shell: header with the role-aware navigation, the language switch and who is signed in;
// the routed page; the footer. Pages other than the catalog load on demand.
import { Fragment, type ComponentType } from 'preact';
import { Link, match, useLocation } from './router.tsx';
import { useSession } from './session.tsx';
import { useI18n, type MessageKey } from './i18n/i18n.tsx';
import { lazy } from './components/lazy.tsx';
import { Loading, Notice } from './components/feedback.tsx';
import { CatalogPage } from './pages/catalog.tsx';
import type { Role } from '../../sdk/graphql/types.ts';

interface Route {
  path: string;
  page: ComponentType<{ params: Record<string, string>; query: URLSearchParams }>;
  /** Any one of these roles opens the page. */
  roles?: Role[];
  signedIn?: boolean;
}

const ROUTES: Route[] = [
  { path: '/', page: CatalogPage },
  { path: '/signin', page: lazy(() => import('./pages/sign-in.tsx')) },
  { path: '/datasets/:id', page: lazy(() => import('./pages/dataset.tsx')) },
  { path: '/account', page: lazy(() => import('./pages/account.tsx')), signedIn: true },
  { path: '/provider/datasets', page: lazy(() => import('./pages/provider/my-datasets.tsx')), roles: ['PROVIDER'] },
  { path: '/provider/new', page: lazy(() => import('./pages/provider/new-dataset.tsx')), roles: ['PROVIDER'] },
  { path: '/provider/datasets/:id', page: lazy(() => import('./pages/provider/manage-dataset.tsx')), roles: ['PROVIDER'] },
  { path: '/provider/sales', page: lazy(() => import('./pages/provider/sales.tsx')), roles: ['PROVIDER'] },
  { path: '/buyer/orders', page: lazy(() => import('./pages/buyer/orders.tsx')), roles: ['BUYER'] },
  { path: '/buyer/licences', page: lazy(() => import('./pages/buyer/licences.tsx')), roles: ['BUYER'] },
  { path: '/buyer/query', page: lazy(() => import('./pages/buyer/encrypted-query.tsx')), roles: ['BUYER'] },
  { path: '/operator/review', page: lazy(() => import('./pages/operator/review-queue.tsx')), roles: ['OPERATOR'] },
  { path: '/operator/participants', page: lazy(() => import('./pages/operator/participants.tsx')), roles: ['OPERATOR'] },
  { path: '/clearing', page: lazy(() => import('./pages/operator/clearing.tsx')), roles: ['OPERATOR', 'REGULATOR'] },
  { path: '/regulator', page: lazy(() => import('./pages/regulator/dashboard.tsx')), roles: ['REGULATOR'] },
  { path: '/regulator/verify', page: lazy(() => import('./pages/regulator/verify.tsx')), roles: ['REGULATOR'] },
  { path: '/audit', page: lazy(() => import('./pages/regulator/audit-log.tsx')), roles: ['REGULATOR', 'OPERATOR'] },
  { path: '/regulator/reports', page: lazy(() => import('./pages/regulator/reports.tsx')), roles: ['REGULATOR'] },
];

const NAV: { role?: Role; group?: MessageKey; items: { to: string; label: MessageKey }[] }[] = [
  { items: [{ to: '/', label: 'nav.catalog' }] },
  {
    role: 'PROVIDER',
    group: 'role.PROVIDER',
    items: [
      { to: '/provider/datasets', label: 'nav.myDatasets' },
      { to: '/provider/new', label: 'nav.newDataset' },
      { to: '/provider/sales', label: 'nav.sales' },
    ],
  },
  {
    role: 'BUYER',
    group: 'role.BUYER',
    items: [
      { to: '/buyer/orders', label: 'nav.orders' },
      { to: '/buyer/licences', label: 'nav.licences' },
      { to: '/buyer/query', label: 'nav.encryptedQuery' },
    ],
  },
  {
    role: 'OPERATOR',
    group: 'role.OPERATOR',
    items: [
      { to: '/operator/review', label: 'nav.reviewQueue' },
      { to: '/operator/participants', label: 'nav.participants' },
      { to: '/clearing', label: 'nav.clearing' },
      { to: '/audit', label: 'nav.auditLog' },
    ],
  },
  {
    role: 'REGULATOR',
    group: 'role.REGULATOR',
    items: [
      { to: '/regulator', label: 'nav.dashboard' },
      { to: '/regulator/verify', label: 'nav.verifier' },
      { to: '/audit', label: 'nav.auditLog' },
      { to: '/clearing', label: 'nav.clearing' },
      { to: '/regulator/reports', label: 'nav.reports' },
    ],
  },
];

function Header({ path }: { path: string }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const groups = NAV.filter((g) => !g.role || session.can(g.role));
  return (
    <header class="top">
      <div class="bar">
        <Link to="/" class="brand">
          {t('app.name')}
          <small>{t('app.tagline')}</small>
        </Link>
        <div class="lang" role="group" aria-label={t('lang.switch')}>
          <button type="button" lang="zh-CN" aria-pressed={lang === 'zh'} onClick={() => void setLang('zh')}>
            中文
          </button>
          <button type="button" lang="en" aria-pressed={lang === 'en'} onClick={() => void setLang('en')}>
            English
          </button>
        </div>
        {session.viewer ? (
          <>
            <Link to="/account" class="who" style={{ color: '#fff' }}>
              {session.viewer.participant.name}
            </Link>
            <button type="button" onClick={session.signOut}>
              {t('nav.signOut')}
            </button>
          </>
        ) : (
          <Link to="/signin" class="button">
            {t('nav.signIn')}
          </Link>
        )}
        <nav aria-label={t('nav.main')}>
          <ul>
            {groups.map((g, i) => (
              <Fragment key={i}>
                {g.group && (
                  <li class="group" aria-hidden="true">
                    {t(g.group)}
                  </li>
                )}
                {g.items.map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={path === item.to ? 'page' : undefined}>
                      {t(item.label)}
                    </Link>
                  </li>
                ))}
              </Fragment>
            ))}
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function App() {
  const { path, query } = useLocation();
  const { t } = useI18n();
  const session = useSession();
  let body = <Notice kind="bad">{t('app.notFound')}</Notice>;
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (!params) continue;
    const Page = route.page;
    const guarded = !!route.roles || route.signedIn;
    if (guarded && session.loading) body = <Loading />;
    else if (guarded && !session.viewer)
      body = (
        <Notice>
          {t('app.signInNeeded')} <Link to="/signin">{t('nav.signIn')}</Link>
        </Notice>
      );
    else if (route.roles && !route.roles.some((r) => session.can(r)))
      body = <Notice kind="bad">{t('app.roleNeeded', { role: route.roles.map((r) => t(`role.${r}`)).join(' / ') })}</Notice>;
    else body = <Page key={path} params={params} query={query} />;
    break;
  }
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <Header path={path} />
      <main id="main" tabIndex={-1}>
        {body}
      </main>
      <footer class="bottom">
        {t('app.footer')} · <a href="/graphql">GraphQL API</a> · <a href="/health">/health</a>
      </footer>
    </>
  );
}
