// An external EVM node for fault tests: Hardhat's JSON-RPC server (what `hardhat node` runs,
// EDR underneath, offline) in this process, reached by the exchange through a TCP link the test
// can cut. While cut, the exchange's CHAIN_RPC_URL is a closed port.
import net from 'node:net';
import { JsonRpcProvider } from 'ethers';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import { PROJECT_ROOT } from '../../../server/config.ts';
import { EMBEDDED_OPERATOR_KEY } from '../../../server/chain/embedded.ts';

/** Hardhat's first two development keys: the exchange's operator, and a second administrator the test holds. */
export const OPERATOR_KEY = EMBEDDED_OPERATOR_KEY;
export const SECOND_ADMIN_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export interface ExternalNode {
  /** Where the exchange connects: through the link. */
  url: string;
  /** The test's own connection, straight to the node (mining control, inspection). */
  direct: JsonRpcProvider;
  link: CuttableLink;
  close(): Promise<void>;
}

export async function startExternalNode(): Promise<ExternalNode> {
  const hre = await createHardhatRuntimeEnvironment(
    {
      networks: {
        node: {
          type: 'edr-simulated',
          chainType: 'l1',
          chainId: 31337,
          accounts: [OPERATOR_KEY, SECOND_ADMIN_KEY].map((privateKey) => ({ privateKey, balance: 10n ** 24n })),
          mining: { auto: true, interval: 0 },
        },
      },
    },
    {},
    PROJECT_ROOT,
  );
  const server = await hre.network.createServer({ network: 'node', chainType: 'l1' }, '127.0.0.1', 0);
  const { port: nodePort } = await server.listen();
  const direct = new JsonRpcProvider(`http://127.0.0.1:${nodePort}`, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  const link = new CuttableLink(nodePort);
  const port = await link.open();
  return {
    url: `http://127.0.0.1:${port}`,
    direct,
    link,
    close: async () => {
      direct.destroy();
      await link.cut();
      await server.close();
    },
  };
}

/** A TCP relay to the node on a fixed local port; cut, the port refuses connections. */
export class CuttableLink {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  constructor(private readonly targetPort: number) {}

  /** Listens (again, on the same port after a cut); returns the port. */
  async open(): Promise<number> {
    if (this.server) return this.port;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this.port;
  }

  /** Stops listening and breaks every open connection. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
