// Messages: loading, success, typed refusals from the API, and the marked placeholders for
// parts of the exchange whose API has not landed yet.
import type { ComponentChildren } from 'preact';
import { GraphQLRequestError } from '../../../sdk/graphql/client.ts';
import { ExchangeError } from '../../../sdk/graphql/errors.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'ok' | 'bad' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'bad' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The text of an error for people: the typed code's sentence and the server's detail. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useI18n();
  return (error) => {
    if (error instanceof ExchangeError) {
      const head = t(`error.${error.code}` as MessageKey);
      return error.message && error.message !== head ? `${head} (${error.message})` : head;
    }
    if (error instanceof GraphQLRequestError) return `${t('error.request')} (${error.message})`;
    return error instanceof Error ? error.message : String(error);
  };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return <Notice kind="bad">{text(error)}</Notice>;
}

/**
 * A part of the page that waits for an API the exchange does not have yet. It says so, names
 * the API it needs, and renders whatever working preview the page can offer meanwhile.
 */
export function Placeholder({ title, needs, children }: { title: string; needs: string; children?: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <section class="placeholder" role="note" aria-label={title} data-placeholder={needs}>
      <h3>{title}</h3>
      <p>
        <strong>{t('placeholder.pending')}</strong> {t('placeholder.needs')} <code>{needs}</code>
      </p>
      {children}
    </section>
  );
}
