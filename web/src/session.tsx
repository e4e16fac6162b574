// Who is signed in: the API key (sessionStorage by default, localStorage with "remember me"),
// the typed API client that carries it, and the viewer the key identifies.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { createClient, type ExchangeClient } from '../../sdk/graphql/client.ts';
import { getViewer } from '../../sdk/graphql/participants.ts';
import type { Role, Viewer } from '../../sdk/graphql/types.ts';

const KEY = 'exchange.apiKey';
export const GRAPHQL_URL = '/graphql';

function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function storeKey(apiKey: string | null, remember: boolean): void {
  try {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
    if (apiKey) (remember ? localStorage : sessionStorage).setItem(KEY, apiKey);
  } catch {
    /* storage unavailable: the key lives in memory for this page */
  }
}

export interface Session {
  client: ExchangeClient;
  viewer: Viewer | null;
  /** True until the stored key has been checked. */
  loading: boolean;
  signIn: (apiKey: string, remember: boolean) => Promise<Viewer>;
  signOut: () => void;
  refresh: () => Promise<void>;
  /** Whether the key's scopes include the role. */
  can: (role: Role) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [apiKey, setApiKey] = useState<string | null>(storedKey);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [loading, setLoading] = useState<boolean>(() => storedKey() !== null);
  const client = useMemo(() => createClient({ url: GRAPHQL_URL, apiKey }), [apiKey]);

  useEffect(() => {
    if (!apiKey) {
      setViewer(null);
      setLoading(false);
      return;
    }
    let live = true;
    getViewer(client)
      .then((v) => live && setViewer(v))
      .catch(() => {
        // A revoked or unknown key: forget it rather than fail every page.
        if (!live) return;
        storeKey(null, false);
        setApiKey(null);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, apiKey]);

  const signIn = useCallback(async (key: string, remember: boolean) => {
    const candidate = createClient({ url: GRAPHQL_URL, apiKey: key.trim() });
    const v = await getViewer(candidate);
    if (!v) throw new Error('no viewer');
    storeKey(key.trim(), remember);
    setViewer(v);
    setApiKey(key.trim());
    return v;
  }, []);
  const signOut = useCallback(() => {
    storeKey(null, false);
    setApiKey(null);
    setViewer(null);
  }, []);
  const refresh = useCallback(async () => {
    setViewer(apiKey ? await getViewer(client) : null);
  }, [client, apiKey]);
  const value = useMemo<Session>(
    () => ({ client, viewer, loading, signIn, signOut, refresh, can: (role) => !!viewer?.scopes.includes(role) }),
    [client, viewer, loading, signIn, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
