import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildOptions } from '../vite.build';

// The baseline page of `npm run bench console`, built with the console's own build settings
// into the directory the benchmark gives (BASELINE_OUT_DIR).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: buildOptions(process.env.BASELINE_OUT_DIR ?? resolve(import.meta.dirname, '../../../dist/console-baseline')),
});
