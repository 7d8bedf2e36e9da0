import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const gateway = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

// The console is built to dist/console, which the gateway serves at `/` (decision D3).
// `npm run console:dev` serves it with hot reload, the API proxied to a running gateway.
export default defineConfig({
  root: here,
  base: '/',
  resolve: {
    alias: { '@procura/credential-rules': resolve(here, '../../libs/credential-rules/src/index.ts') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline <script> or module-preload polyfill: the page runs under script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      // The component library marks its modules "use client" (for React Server Components): meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': gateway } },
});
