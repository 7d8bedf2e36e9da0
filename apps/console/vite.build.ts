import type { BuildEnvironmentOptions } from 'vite';

/**
 * Build settings of every page built from apps/console (the console, and the baseline page of
 * `npm run bench console`, which must be built the same way to be compared with it).
 */
export function buildOptions(outDir: string): BuildEnvironmentOptions {
  return {
    outDir,
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
  };
}
