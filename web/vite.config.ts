// The web UI's build: root web/, static output in web/dist (served by the exchange at /), JSX
// for preact through Vite's own oxc transform, and the API proxied in development.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const API = process.env.EXCHANGE_URL ?? 'http://127.0.0.1:4000';

const CORE =
  /node_modules[\\/]preact[\\/]|web[\\/]src[\\/](app|router|session|taxonomy|i18n[\\/](i18n|zh)|hooks[\\/]use-(async|action)|components[\\/](data|feedback|form|lazy|page)|pages[\\/]catalog)\.tsx?$|sdk[\\/]graphql[\\/]/;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: [
      // node-seal's wrapper points SEAL at an unhashed 'seal_throws.wasm' beside itself; the
      // Emscripten module alone finds its wasm with new URL(…, import.meta.url), which Vite
      // rewrites to the emitted asset.
      { find: /^node-seal$/, replacement: fileURLToPath(new URL('../node_modules/node-seal/dist/seal_throws.js', import.meta.url)) },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // SEAL's wasm is loaded on demand by the encrypted-query page only.
    chunkSizeWarningLimit: 1500,
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // What the first page needs in one chunk beside the entry, rather than one request per
        // small shared module; pages, workers, charts and SEAL stay in their own chunks.
        codeSplitting: { groups: [{ name: 'core', test: CORE }] },
      },
    },
  },
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: {
      '/graphql': API,
      '/health': API,
      '/catalog': API,
      '/deliveries': API,
      '/regulator/audit-log.csv': API,
    },
  },
  preview: { port: 4173 },
});
