// Request size limits on /graphql, as a yoga plugin (in place of yoga's own single limit):
// callers without a valid API key may send EXCHANGE_MAX_BODY_BYTES; callers with one up to
// EXCHANGE_MAX_UPLOAD_BYTES, for the operations that carry data (CSV rows, HE key bundles,
// encrypted queries) in their variables. The document itself is held to the smaller limit in
// both cases, so a large body is large variables, never a large query to parse and validate.
// A Content-Length over the limit is refused before the body is read; a body without one is
// counted as it streams in. The refusal is HTTP 413 with a GraphQL error saying which limit.
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { IdentityOf } from './request-identity.ts';

export interface BodyLimits {
  bodyBytes: number;
  uploadBytes: number;
}

function tooLarge(what: string, limit: number, hint: string): GraphQLError {
  return new GraphQLError(`${what} is larger than ${limit} bytes, this server's limit${hint}`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: limit, http: { status: 413 } },
  });
}

/** The body, counted as it is read: past `limit` bytes reading fails with the refusal. */
function limitedRequest(request: globalThis.Request, limit: number, refuse: () => GraphQLError, fetchAPI: { Request: typeof globalThis.Request; TransformStream: typeof TransformStream }): globalThis.Request {
  if (!request.body) return request;
  // As yoga's own limiter does: a native stream needs the native TransformStream.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(refuse());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}

export function useBodyLimit(limits: BodyLimits, identityOf: IdentityOf): Plugin<object, { req: Request; res: Response }> {
  return {
    async onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const { viewer } = await identityOf(serverContext.req, serverContext.res);
      const limit = viewer ? limits.uploadBytes : limits.bodyBytes;
      const hint = viewer ? '' : ' for requests without an API key';
      const refuse = () => {
        // Discard the rest of the body, so the client reads the 413 rather than a reset; and
        // close the connection after it, as the body may not have been read to its end.
        serverContext.req.resume();
        serverContext.res.setHeader('Connection', 'close');
        return tooLarge('the request body', limit, hint);
      };
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw refuse();
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(limitedRequest(req, limit, refuse, fetchAPI as never)));
    },
    onParams({ params }) {
      if (typeof params.query === 'string' && Buffer.byteLength(params.query) > limits.bodyBytes) {
        throw tooLarge('the GraphQL document', limits.bodyBytes, '; send large values as variables');
      }
    },
  };
}
