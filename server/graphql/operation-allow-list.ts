// The allow-list of persisted operations: every GraphQL document the typed client in
// sdk/graphql/ sends (which is everything web/ sends), keyed by the sha256 of its exact text.
// The documents are not listed by hand: each exported function of each sdk/graphql module is
// called once with a recording client that keeps the document and stops the call there, so a
// new typed operation joins the list by being written (test/hardening checks none is missed).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExchangeClient } from '../../sdk/graphql/client.ts';

export const SDK_GRAPHQL_DIR = path.resolve(import.meta.dirname, '../../sdk/graphql');

export type OperationAllowList = ReadonlyMap<string, string>;

export function documentHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** Stops an operation once its document is recorded. */
class Recorded extends Error {}

function recordingClient(documents: Set<string>): ExchangeClient {
  const client: ExchangeClient = {
    url: '',
    apiKey: null,
    withApiKey: () => client,
    request(document) {
      documents.add(document);
      return Promise.reject(new Recorded());
    },
  };
  return client;
}

/**
 * A stand-in for any argument: every property is itself, calling it returns itself, it is
 * empty when iterated and '' as a primitive; so argument handling before the request runs.
 */
function anything(): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    get(_t, key) {
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'then') return undefined; // not a thenable
      return proxy;
    },
    apply: () => proxy,
  });
  return proxy;
}

export async function loadOperationAllowList(dir = SDK_GRAPHQL_DIR): Promise<OperationAllowList> {
  const documents = new Set<string>();
  const client = recordingClient(documents);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (typeof exported !== 'function' || /^class\s/.test(Function.prototype.toString.call(exported))) continue;
      try {
        await (exported as (...args: unknown[]) => unknown)(client, anything(), anything(), anything());
      } catch {
        // Recorded, or a helper that is not an operation: either way nothing more to learn.
      }
    }
  }
  return new Map([...documents].map((d) => [documentHash(d), d]));
}
