// Builds the web console (web/index.html) and the Customer Hub (web/hub/index.html) into dist/web,
// which the Kunde server serves with an SPA fallback each (/hub/* answers dist/web/hub/index.html).
// In development `npm run dev` runs this beside the server and forwards /api to it.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two applications sharing one assets/ folder (React and Mantine chunks are shared).
    // rolldownOptions: Vite 8's name for rollupOptions.
    rolldownOptions: {
      input: {
        console: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        hub: fileURLToPath(new URL('./web/hub/index.html', import.meta.url)),
      },
      output: {
        // The console's pages are lazy (web/console/lazy-pages.tsx). Packages the first page needs
        // go in one vendor chunk, cached for a year and unchanged by a release that touches only
        // our code; packages only some pages use in one more (fetched with the first of them),
        // instead of a dozen 200-byte icon and Mantine chunks a page would wait on one by one.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, tags: ['$initial'], priority: 2 },
            { name: 'vendor-pages', test: /[\\/]node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // Only the server's paths: web/api/*.ts are the console's own sources under /api/ too.
    proxy: Object.fromEntries(
      ['/api/v1', '/api/hub/v1', '/api/docs', '/api/openapi.json', '/api/health'].map((path) => [
        path,
        { target: 'http://localhost:3000', changeOrigin: false },
      ]),
    ),
  },
});
