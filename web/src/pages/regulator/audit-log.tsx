// 审计日志: search the hash-chained log of access and admin actions, check the whole chain, and
// export what the search finds as CSV.
import { useState } from 'preact/hooks';
import { checkAuditChain, searchAuditLog, type AuditSearch } from '../../../../sdk/graphql/audit.ts';
import { Hash } from '../../components/data.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx';
import { TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { downloadWithKey } from '../../download.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../session.tsx';

const PAGE = 50;
/** A date field (YYYY-MM-DD) as the start or the end of that day, or the text as given. */
const instant = (v: string, end: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? `${v.trim()}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00` : v.trim() || undefined);

export default function AuditLogPage() {
  const { t, formatDate } = useI18n();
  const { client } = useSession();
  const [form, setForm] = useState({ actorId: '', action: '', subjectKind: '', subjectId: '', from: '', to: '' });
  const [search, setSearch] = useState<AuditSearch>({ first: PAGE });
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const before = pages.at(-1);
  const entries = useAsync(() => searchAuditLog(client, { ...search, before }), [client, search, before]);
  const chain = useAction(() => checkAuditChain(client));
  const exportCsv = useAction(async () => {
    const q = new URLSearchParams(Object.entries({ ...search, first: undefined, before: undefined }).filter((e): e is [string, string] => typeof e[1] === 'string' && !!e[1]));
    await downloadWithKey(client.apiKey, `/regulator/audit-log.csv?${q}`, 'audit-log.csv');
    return true;
  });
  const field = (key: keyof typeof form, label: string, placeholder?: string) => (
    <TextField label={label} value={form[key]} placeholder={placeholder} onValue={(v) => setForm({ ...form, [key]: v })} />
  );
  const rows = entries.data ?? [];
  return (
    <Page title={t('audit.title')}>
      <p class="muted">{t('audit.hint')}</p>
      <form
        class="card"
        aria-labelledby="audit-h"
        onSubmit={(e) => {
          e.preventDefault();
          setPages([undefined]);
          setSearch({
            first: PAGE,
            actorId: form.actorId.trim() || undefined,
            action: form.action.trim() || undefined,
            subjectKind: form.subjectKind.trim() || undefined,
            subjectId: form.subjectId.trim() || undefined,
            from: instant(form.from, false),
            to: instant(form.to, true),
          });
        }}
      >
        <h2 id="audit-h">{t('audit.search')}</h2>
        <div class="grid three">
          {field('action', t('audit.action'), 'dataset.review')}
          {field('actorId', t('audit.actor'))}
          {field('subjectKind', t('audit.subjectKind'), 'dataset')}
          {field('subjectId', t('audit.subjectId'))}
          {field('from', t('audit.from'), 'YYYY-MM-DD')}
          {field('to', t('audit.to'), 'YYYY-MM-DD')}
        </div>
        <div class="row">
          <button type="submit" class="primary">
            {t('audit.searchButton')}
          </button>
          <button type="button" disabled={exportCsv.pending} onClick={() => void exportCsv.run()}>
            {t('audit.csv')}
          </button>
          <button type="button" disabled={chain.pending} onClick={() => void chain.run()}>
            {t('audit.checkChain')}
          </button>
        </div>
        <ErrorNotice error={exportCsv.error ?? chain.error} />
        {chain.result && (
          <Notice kind={chain.result.intact ? 'ok' : 'bad'}>
            {chain.result.intact ? t('audit.intact', { n: chain.result.entries }) : t('audit.broken', { seq: chain.result.brokenAt ?? '?', problem: chain.result.problem ?? '' })}
          </Notice>
        )}
      </form>
      <ErrorNotice error={entries.error} />
      {entries.loading && !entries.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>{t('audit.entries')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  #
                </th>
                <th scope="col">{t('common.time')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.subject')}</th>
                <th scope="col">{t('audit.details')}</th>
                <th scope="col">{t('audit.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.seq}>
                  <td class="num">{e.seq}</td>
                  <td>{formatDate(e.at, true)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    <Hash value={e.actorId} keep={8} />
                  </td>
                  <td>
                    {e.subjectKind ?? '—'} <Hash value={e.subjectId} keep={8} />
                  </td>
                  <td class="small">
                    <code>{e.details ? JSON.stringify(e.details).slice(0, 120) : '—'}</code>
                  </td>
                  <td>
                    <Hash value={e.hash} keep={8} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t('catalog.pages')}>
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>
          {t('common.previous')}
        </button>
        <button type="button" disabled={rows.length < PAGE} onClick={() => setPages([...pages, rows.at(-1)!.seq])}>
          {t('common.next')}
        </button>
      </nav>
    </Page>
  );
}
