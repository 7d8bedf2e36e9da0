import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIST_LIBS = resolve(__dirname, '../../../../dist/libs');

interface Libraries {
  database: typeof import('@procura/database');
  infra: typeof import('@procura/infra');
  testing: typeof import('@procura/testing');
}

/**
 * A `@procura/*` library as built in dist/ (where the build rewrote its own imports to
 * relative paths), for code that Jest runs outside its module system: the global setup.
 */
export function builtLibrary<K extends keyof Libraries>(name: K): Libraries[K] {
  const entry = join(DIST_LIBS, name, 'src', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run the build (npm test does it) before the tests`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as Libraries[K];
}
