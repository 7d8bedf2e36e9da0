// Jest loads globalSetup/globalTeardown with Node's own require, which ignores
// `moduleNameMapper`; this maps the tsconfig `paths` (`@procura/*`) for that process.
import { Module } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { readConfigFile, sys } from 'typescript';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
interface ModuleInternals {
  _resolveFilename: ResolveFilename;
}

const INSTALLED = Symbol.for('procura.pathAliases');
const ROOT = resolve(__dirname, '../../../..');

interface Alias {
  /** Without `*`: the whole request must equal `prefix`. */
  wildcard: boolean;
  prefix: string;
  suffix: string;
  target: string;
}

function readAliases(): Alias[] {
  const file = join(ROOT, 'tsconfig.json');
  const { config, error } = readConfigFile(file, (path) => sys.readFile(path));
  if (error) throw new Error(`cannot read ${file}: ${String(error.messageText)}`);
  const compilerOptions = (config as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }).compilerOptions ?? {};
  const base = resolve(dirname(file), compilerOptions.baseUrl ?? '.');
  return Object.entries(compilerOptions.paths ?? {}).map(([pattern, [target]]) => {
    const star = pattern.indexOf('*');
    return star < 0
      ? { wildcard: false, prefix: pattern, suffix: '', target: join(base, target) }
      : { wildcard: true, prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), target: join(base, target) };
  });
}

export function registerPathAliases(): void {
  const registry = globalThis as { [INSTALLED]?: boolean };
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;

  const aliases = readAliases();
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename;
  internals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    for (const { wildcard, prefix, suffix, target } of aliases) {
      if (!wildcard && request === prefix) return original.call(this, target, parent, isMain, options);
      if (wildcard && request.startsWith(prefix) && request.endsWith(suffix) && request.length >= prefix.length + suffix.length) {
        const matched = request.slice(prefix.length, request.length - suffix.length);
        return original.call(this, target.replace('*', matched), parent, isMain, options);
      }
    }
    return original.call(this, request, parent, isMain, options);
  };
}

registerPathAliases();
