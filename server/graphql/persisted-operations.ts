// Persisted operations. A request may name a known document by its sha256 instead of sending
// it (`extensions.persistedQuery.sha256Hash`, as Apollo's automatic persisted queries do);
// with EXCHANGE_PERSISTED_OPERATIONS=only, any other document is refused, so a production
// server runs exactly the operations of sdk/graphql (and so of web/), nothing hand-written.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { documentHash, type OperationAllowList } from './operation-allow-list.ts';

export type PersistedOperationsMode = 'all' | 'only';

function refusal(code: 'PERSISTED_QUERY_NOT_FOUND' | 'OPERATION_NOT_ALLOWED', message: string) {
  return new GraphQLError(message, { extensions: { code, http: { status: 400, spec: false } } });
}

function requestedHash(extensions: unknown): string | null {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : null;
}

export function usePersistedOperations(options: { mode: PersistedOperationsMode; allowList: Promise<OperationAllowList> }): Plugin {
  return {
    async onParams({ params, setParams }) {
      const hash = requestedHash(params.extensions);
      if (hash && !params.query) {
        const document = (await options.allowList).get(hash);
        if (!document) throw refusal('PERSISTED_QUERY_NOT_FOUND', `no persisted operation has the hash ${hash.slice(0, 64)}`);
        setParams({ ...params, query: document });
        return;
      }
      if (options.mode !== 'only') return;
      if (typeof params.query !== 'string' || !(await options.allowList).has(documentHash(params.query))) {
        throw refusal('OPERATION_NOT_ALLOWED', 'this server runs only the persisted operations of the exchange\'s client (sdk/graphql); the document is not one of them');
      }
    },
  };
}
