// A tiny GraphQL client for the exchange's API: one POST per operation, the API key as a bearer
// token. The typed operations beside this file are what integrators and web/ call.
import { ExchangeError, type AppErrorResult } from './errors.ts';

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql (a relative URL works in a browser). */
  url: string;
  /** An API key (`Authorization: Bearer <key>`); omit it for public reads such as the catalog. */
  apiKey?: string | null;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface ExchangeClient {
  readonly url: string;
  readonly apiKey: string | null;
  /** Runs a document; resolves to `data`, or throws GraphQLRequestError when the server answers with `errors`. */
  request<T>(document: string, variables?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<T>;
  /** The same endpoint with another key. */
  withApiKey(apiKey: string | null): ExchangeClient;
}

/** The request failed below the exchange's own typed errors: network, HTTP or a GraphQL error. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly { message: string; path?: readonly (string | number)[] }[] = [],
  ) {
    super(message);
  }
}

export function createClient(options: ClientOptions): ExchangeClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const apiKey = options.apiKey ?? null;
  return {
    url: options.url,
    apiKey,
    withApiKey: (key) => createClient({ ...options, apiKey: key }),
    async request<T>(document: string, variables: Record<string, unknown> = {}, requestOptions: { signal?: AbortSignal } = {}): Promise<T> {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({ query: document, variables }),
        signal: requestOptions.signal,
      });
      let body: { data?: T | null; errors?: { message: string; path?: (string | number)[] }[] };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new GraphQLRequestError(`HTTP ${res.status}: the answer is not JSON`, res.status);
      }
      if (body.errors?.length) throw new GraphQLRequestError(body.errors.map((e) => e.message).join('; '), res.status, body.errors);
      if (!res.ok || body.data == null) throw new GraphQLRequestError(`HTTP ${res.status}`, res.status);
      return body.data;
    },
  };
}

/** A field's union result: the value, or ExchangeError thrown for an AppError. */
export function unwrap<T extends { __typename: string }>(result: T | AppErrorResult): Exclude<T, AppErrorResult> {
  if (result.__typename === 'AppError') throw ExchangeError.from(result as AppErrorResult);
  return result as Exclude<T, AppErrorResult>;
}
