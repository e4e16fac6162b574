// The in-process EVM chain of the embedded default: Hardhat 3's simulated network (EDR).
// It lives in memory; server/chain/journal.ts rebuilds it after a restart.
import type { Eip1193Provider } from 'ethers';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';

/** Hardhat's well-known first development key: the embedded chain's operator. Never for production. */
export const EMBEDDED_OPERATOR_KEY = '0xac0974bec39a17e36ba4a4b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const EMBEDDED_CHAIN_ID = 31337;
/**
 * A fixed genesis date in the past: the chain's first block must not depend on the start
 * time, or a rebuilt chain would differ, and replayed blocks must be allowed to carry the
 * timestamps they first had.
 */
const GENESIS_DATE = '2025-01-01T00:00:00Z';

export interface EmbeddedChain {
  provider: Eip1193Provider;
  close(): Promise<void>;
}

export async function startEmbeddedChain(projectRoot: string): Promise<EmbeddedChain> {
  const hre = await createHardhatRuntimeEnvironment(
    {
      networks: {
        exchange: {
          type: 'edr-simulated',
          chainType: 'l1',
          chainId: EMBEDDED_CHAIN_ID,
          hardfork: 'cancun',
          initialDate: GENESIS_DATE,
          initialBaseFeePerGas: 0n,
          accounts: [{ privateKey: EMBEDDED_OPERATOR_KEY, balance: 10n ** 27n }],
          mining: { auto: true, interval: 0 },
          // One block per transaction: without this, each block would be a second after the last
          // and a burst of anchors would push the chain's clock ahead of the wall clock.
          allowBlocksWithSameTimestamp: true,
          throwOnTransactionFailures: false,
          throwOnCallFailures: true,
        },
      },
    },
    {},
    projectRoot,
  );
  const connection = await hre.network.create({ network: 'exchange', chainType: 'l1' });
  return {
    provider: connection.provider as unknown as Eip1193Provider,
    close: () => connection.close(),
  };
}
