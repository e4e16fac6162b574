// The test exchange's in-process chain over HTTP JSON-RPC, so a second server (the regulator's
// node) can read the same chain as it would read a Besu node: CHAIN_RPC_URL=<url>.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChainClient } from '../../server/chain/client.ts';

interface RpcRequest {
  jsonrpc: '2.0';
  id: number | string | null;
  method: string;
  params?: unknown[];
}

export interface ChainRpcEndpoint {
  url: string;
  /** Every method called through the endpoint, in order (to show what a reader asked for). */
  methods: string[];
  close(): Promise<void>;
}

export async function serveChainRpc(chain: ChainClient): Promise<ChainRpcEndpoint> {
  const provider = chain.provider as unknown as { send(method: string, params: unknown[]): Promise<unknown> };
  const methods: string[] = [];
  const answer = async (req: RpcRequest) => {
    methods.push(req.method);
    try {
      return { jsonrpc: '2.0', id: req.id, result: await provider.send(req.method, req.params ?? []) };
    } catch (err) {
      const e = err as { error?: { code?: number; message?: string; data?: unknown }; message: string };
      return { jsonrpc: '2.0', id: req.id, error: { code: e.error?.code ?? -32000, message: e.error?.message ?? e.message, data: e.error?.data } };
    }
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcRequest | RpcRequest[];
    const result = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
