// Code splitting without preact/compat: a page's module is imported the first time it renders.
import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './feedback.tsx';

export function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<void> | undefined;
  return function Lazy(props: P) {
    const [, setReady] = useState(!!loaded);
    const [failed, setFailed] = useState<unknown>(undefined);
    useEffect(() => {
      if (loaded) return;
      pending ??= load().then((m) => {
        loaded = m.default;
      });
      pending.then(
        () => setReady(true),
        (e: unknown) => {
          pending = undefined;
          setFailed(e);
        },
      );
    }, []);
    if (failed) return <p role="alert">{String(failed)}</p>;
    const C = loaded;
    return C ? <C {...props} /> : <Loading />;
  };
}
