import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

import { manifest } from './manifest.config.ts';

// `npm run dev` serves the app with hot reload and sends API calls to a running backend
// (`selfservice run`, port 8000 unless SELFSERVICE_API says otherwise).
const backend = process.env.SELFSERVICE_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      // Our own service worker (src/sw.ts) with Workbox's precaching: full control over
      // what is cached (the app shell) and what never is (/api/).
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false, // src/app/serviceWorker.ts registers it and offers updates
      registerType: 'prompt',
      manifest,
      manifestFilename: 'manifest.webmanifest',
      // The shell only: the manifest's icons are fetched by the browser when installing,
      // and precaching them would cost every first visit ~50 kB for nothing.
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html}', 'icons/favicon.svg'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets', // the backend serves /assets/* as immutable: only hashed files go here
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/schema': backend,
    },
  },
});
