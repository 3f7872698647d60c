import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // ESM (package.json has "type": "module"), emitted as out/main/index.js, beside it the
      // worker threads: the webhook sender's (out/main/send-worker.js, found by
      // webhook-sender.ts) and the address pool's (out/main/derivation-worker.js, batch-deriver.ts).
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'send-worker': resolve(import.meta.dirname, 'src/main/engine/webhooks/send-worker.ts'),
          'derivation-worker': resolve(import.meta.dirname, 'src/main/engine/wallet/derivation-worker.ts'),
        },
        // Shared code in out/main too, not out/main/chunks: the sender finds its worker beside itself.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload is not loaded by Node's module system: Electron wraps it in a
      // function with a tiny `require` that knows only `electron` and a few polyfills. So it
      // must be one self-contained CommonJS file: no ESM, no chunks, no externalized packages.
      // Named .cjs so nothing (Node, tools) mistakes it for ESM under "type": "module".
      // src/main/index.ts points the window at out/preload/index.cjs.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    base: './',
    build: {
      minify: true,
      // The hosted checkout page (till serve's /pay/{id}) and the customer display (/display) are
      // pages of their own: they load none of the merchant UI's code.
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/renderer/index.html'),
          checkout: resolve(import.meta.dirname, 'src/renderer/checkout.html'),
          display: resolve(import.meta.dirname, 'src/renderer/display.html'),
        },
      },
    },
    plugins: [react()],
  },
});
