import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// End-to-end tests: the exchange in process, the built web UI, headless Chromium. One file at a
// time in one fork: each starts its own exchange and browser on two shared cores.
export default defineConfig({
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // A page polled for its first render may wait behind a cold browser on loaded cores; 1 s,
    // vitest's default, failed a CI run's first catalog heading and with it the whole flow.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
