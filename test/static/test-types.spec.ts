// ts-jest compiles each test file on its own (isolatedModules) and reports no type errors,
// and the build (tsconfig.build.json) leaves the tests out. This is where a test's type
// errors, or a decorated signature that isolated compilation cannot emit, are caught.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

describe('test code', () => {
  it('type-checks, with the compiler options the tests run with (tsconfig.spec.json)', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(
      process.execPath,
      [
        tsc,
        '-p',
        join(root, 'tsconfig.spec.json'),
        '--noEmit',
        // Incremental: a later run re-checks only what changed since (the state lives in dist/).
        '--incremental',
        '--tsBuildInfoFile',
        join(root, 'dist', '.tsbuildinfo-spec'),
      ],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(result).toBe('');
    // One compiler process that is working all along: the cap is for a hung one only. On a
    // loaded 2-core machine a full check took more than 180 s.
  }, 900_000);
});
