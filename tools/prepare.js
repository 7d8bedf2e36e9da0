#!/usr/bin/env node
// Brings a checkout up to date before `npm start` or `npm test`, doing only what is
// missing: dependencies (npm ci, the committed lock file), the Prisma client (offline generate), the build (tsc,
// incremental), the web console (tools/build-console.js, when the API or its sources changed). Plain Node with no dependencies, so it runs on a fresh clone.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const rel = (...p) => path.join(root, ...p);
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, env = {}) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function step(label, fn) {
  const started = Date.now();
  fn();
  process.stdout.write(`prepare: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`Procura needs Node.js >= 20.19 (found ${process.versions.node}).\n`);
  process.exit(1);
}

// 1. Dependencies: installed when node_modules is missing or older than the lock file.
// `npm ci` installs exactly the committed lock file.
const installedMarker = rel('node_modules', '.package-lock.json');
if (mtime(installedMarker) < mtime(rel('package-lock.json'))) {
  step('dependencies installed (npm ci)', () => run(npm, ['ci', '--no-audit', '--no-fund']));
}

// 2. Prisma client: generated offline (the schema engine stub is never called by generate).
const generated = rel('libs', 'database', 'src', 'generated', 'client.ts');
if (mtime(generated) < mtime(rel('prisma', 'schema.prisma'))) {
  step('Prisma client generated', () =>
    run(process.execPath, [rel('node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
      PRISMA_SCHEMA_ENGINE_BINARY: rel('tools', 'schema-engine-stub.sh'),
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    }),
  );
}

// 3. Build: tsc is incremental, a no-op build takes a couple of seconds.
if (!process.argv.includes('--no-build')) {
  step('TypeScript built', () => {
    run(process.execPath, [rel('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
    // The `@procura/<lib>` imports become relative paths in dist/, so compiled code runs
    // with plain `node` (no resolver hook) wherever dist/ is copied.
    run(process.execPath, [rel('node_modules', 'tsc-alias', 'dist', 'bin', 'index.js'), '-p', 'tsconfig.build.json']);
  });
}

// 4. The web console (dist/console, served by the gateway at /): rebuilt only when the API
// document or the console's sources changed; a console that no longer fits the API fails here.
if (!process.argv.includes('--no-build') && !process.argv.includes('--no-console')) {
  run(process.execPath, [rel('tools', 'build-console.js')]);
}
