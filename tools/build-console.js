#!/usr/bin/env node
// Builds the web console (apps/console) into dist/console, which the gateway serves at `/`.
// Called by tools/prepare.js after the services are built; does nothing when neither the API
// nor the console's sources changed since the last build (a stamp of their contents).
//   1. the OpenAPI document, exported from the built gateway without starting it;
//   2. the typed client's types, generated from it (openapi-typescript);
//   3. a type check of the console (tsc): an API change that breaks a page fails here;
//   4. the bundle (Vite), then a .gz beside each text asset (the gateway sends those).
// Plain Node with no dependencies beyond the installed packages.
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const rel = (...p) => path.join(root, ...p);
const consoleDir = rel('apps', 'console');
const outDir = rel('dist', 'console');
const openapiFile = rel('dist', 'openapi.json');
const schemaFile = rel('apps', 'console', 'src', 'api', 'schema.d.ts');
const stampFile = rel('dist', 'console-build.stamp');

function run(args, env = {}) {
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function filesUnder(dir, keep) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function digest(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file));
  return hash.digest('hex');
}

// What the OpenAPI document is made of: the compiled gateway and libraries.
const apiInputs = [
  ...filesUnder(rel('dist', 'apps', 'gateway'), (n) => n.endsWith('.js')),
  ...filesUnder(rel('dist', 'libs'), (n) => n.endsWith('.js')),
];
// What the bundle is made of besides the generated types.
const consoleInputs = [
  ...filesUnder(consoleDir, (n) => !n.endsWith('schema.d.ts')).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`)),
  ...filesUnder(rel('libs', 'credential-rules', 'src'), (n) => n.endsWith('.ts')),
  rel('package-lock.json'),
];
const previous = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) : {};
const stamp = { api: digest(apiInputs), document: previous.document, console: digest(consoleInputs) };
const started = Date.now();
// The export takes a few seconds (it loads the whole gateway): only when the gateway changed.
if (stamp.api !== previous.api || !fs.existsSync(openapiFile)) {
  run([rel('dist', 'tools', 'openapi', 'export-openapi.js'), openapiFile]);
  stamp.document = digest([openapiFile]);
}
const built = fs.existsSync(path.join(outDir, 'index.html')) && fs.existsSync(schemaFile);
const save = () => fs.writeFileSync(stampFile, JSON.stringify(stamp));
if (built && stamp.document === previous.document && stamp.console === previous.console) {
  save();
  process.exit(0);
}

run([rel('node_modules', 'openapi-typescript', 'bin', 'cli.js'), openapiFile, '--output', schemaFile, '--root-types', '--silent']);
run([rel('node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(consoleDir, 'tsconfig.json')]);
run([rel('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(consoleDir, 'vite.config.ts'), '--logLevel', 'warn']);

// Pre-compressed copies: the console's JavaScript is sent gzipped (@fastify/static preCompressed).
for (const file of filesUnder(outDir, (n) => /\.(js|css|html|svg|json)$/.test(n))) {
  const content = fs.readFileSync(file);
  if (content.length >= 1024) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
}
save();
process.stdout.write(`prepare: web console built (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
