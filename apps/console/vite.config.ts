import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildOptions } from './vite.build';

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
  build: buildOptions(resolve(here, '../../dist/console')),
  server: { proxy: { '/api': gateway } },
});
