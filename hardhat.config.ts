// Hardhat compiles the contracts offline (solc from the `solc` package) and provides the
// in-process EVM chain that `npm start` uses when no CHAIN_RPC_URL is configured.
import { createRequire } from 'node:module';
import { defineConfig } from 'hardhat/config';

const require = createRequire(import.meta.url);

export const SOLC_VERSION = '0.8.28';

export default defineConfig({
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve('solc/soljson.js'),
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun' },
  },
  paths: { sources: './contracts' },
});
