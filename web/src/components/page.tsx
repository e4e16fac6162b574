// A page's frame: its h1 (focused after a route change so screen readers announce it) and the
// document title.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.tsx';

let navigated = false;
addEventListener('hashchange', () => {
  navigated = true;
});

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  const { t } = useI18n();
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (navigated) {
      h1.current?.focus();
      scrollTo(0, 0);
    }
  }, []);
  return (
    <>
      <div class="spread">
        <h1 ref={h1} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="row">{actions}</div>}
      </div>
      {children}
    </>
  );
}
