// Hash routes (#/datasets/…): the server serves web/dist as static files with no fallback, so
// every page must be reachable from index.html. A route change moves focus to the page's h1.
import type { ComponentChildren, CSSProperties } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const onChange = () => setLoc(current());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return loc;
}

export function href(path: string, query?: Record<string, string | undefined>): string {
  const q = query ? new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString() : '';
  return `#${path}${q ? `?${q}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string | undefined>, options: { replace?: boolean } = {}): void {
  const target = href(path, query);
  if (options.replace) history.replaceState(null, '', target);
  else if (location.hash === target) return;
  else history.pushState(null, '', target);
  dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Matches '/datasets/:id' against a path; params are URI-decoded. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** A path segment for an id that may hold '/', '+' or '=' (base64 global ids). */
export const seg = (id: string) => encodeURIComponent(id);

export function Link({
  to,
  query,
  children,
  ...rest
}: {
  to: string;
  query?: Record<string, string | undefined>;
  children: ComponentChildren;
  class?: string;
  style?: CSSProperties;
  'aria-current'?: 'page' | undefined;
  'aria-label'?: string;
}) {
  return (
    <a href={href(to, query)} {...rest}>
      {children}
    </a>
  );
}
