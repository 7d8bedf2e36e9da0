// Resolves the `@procura/<lib>` imports of compiled code (dist/) to dist/libs/<lib>/src,
// the run-time twin of the `paths` in tsconfig.json. Loaded with `node -r`.
const Module = require('node:module');
const path = require('node:path');

const libsRoot = path.resolve(__dirname, '..', 'dist', 'libs');
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function resolveProcuraAlias(request, ...rest) {
  if (request.startsWith('@procura/')) {
    const [, lib, ...rest2] = request.split('/');
    return resolveFilename.call(this, path.join(libsRoot, lib, 'src', ...rest2), ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};
