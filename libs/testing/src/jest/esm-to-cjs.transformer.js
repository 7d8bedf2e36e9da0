// Jest runs CommonJS and cannot `require()` an ES module (Node can, since 20.19: that is
// how the app loads NestJS 12, which ships as ESM only). This transformer turns such
// packages into CommonJS for Jest: TypeScript transpiles the module syntax, and
// `import.meta.url` becomes the file URL of the module.
// From Node 24.9, Jest 30 loads such packages as ES modules itself (vm.SourceTextModule
// evaluates synchronously there) and says so with `supportsStaticESM`: the source is then
// left as it is, since CommonJS output evaluated as a module fails on `exports`.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const IMPORT_META_DIRNAME = /\bimport\.meta\.dirname\b/g;
const IMPORT_META_FILENAME = /\bimport\.meta\.filename\b/g;
// `const require = createRequire(import.meta.url)`: in CommonJS `require` already exists
// (and resolves from the same file), and redeclaring it is a syntax error.
const OWN_REQUIRE = /^\s*(?:const|let|var)\s+require\s*=\s*(?:\w+\.)?createRequire\([^;\n]*\);?\s*$/gm;

module.exports = {
  process(sourceText, sourcePath, options) {
    if (options?.supportsStaticESM) return { code: sourceText };
    const source = sourceText
      .replace(OWN_REQUIRE, '')
      .replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href")
      .replace(IMPORT_META_DIRNAME, '__dirname')
      .replace(IMPORT_META_FILENAME, '__filename');
    const { outputText } = ts.transpileModule(source, {
      fileName: sourcePath,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: false,
      },
    });
    return { code: outputText };
  },
  getCacheKey(sourceText, sourcePath, options) {
    return createHash('sha256')
      .update('esm-to-cjs-v3')
      .update(options?.supportsStaticESM ? 'esm' : 'cjs')
      .update(ts.version)
      .update(sourcePath)
      .update(sourceText)
      .digest('hex');
  },
};
