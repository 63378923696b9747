// Builds the dashboard into web/dist, which the API server serves at `/`. The output is plain files:
// module scripts and stylesheets only, so it runs under the server's CSP (script-src 'self').
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './precompress.ts';

const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    {
      name: 'precompress',
      apply: 'build',
      closeBundle() {
        precompress(new URL('dist', import.meta.url).pathname);
      },
    },
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP has no 'unsafe-inline' for scripts: never inline the module preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    port: 3351,
    proxy: { '/v1': 'http://127.0.0.1:3350' },
  },
});
