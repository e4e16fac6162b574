import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module); Node loads the CJS one for Pothos and yoga,
  // so our own files must get the same copy or the schema mixes two realms.
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: SEAL, snarkjs and the EVM are CPU-bound, so files run in two forks.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
