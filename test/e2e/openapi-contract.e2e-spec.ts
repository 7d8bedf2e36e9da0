import { RunningSystem, sharedSystem, SYSTEM_START_HOOK_TIMEOUT_MS } from '@procura/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location?: Array<{ pointer?: string }> }>;
}

/**
 * The contract itself: the OpenAPI document the gateway serves at /api/docs-json passes
 * Redocly's recommended rules (redocly.yaml) with no error and no warning. Redocly runs
 * offline: telemetry and update checks are off.
 */
describe('OpenAPI document (e2e)', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await sharedSystem();
  }, SYSTEM_START_HOOK_TIMEOUT_MS);

  it('is served as JSON at /api/docs-json and as a page at /api/docs, under the security headers', async () => {
    const json = await fetch(`${system.baseUrl}/api/docs-json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const page = await fetch(`${system.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it("passes a well-kept linter's recommended rules (redocly lint)", async () => {
    const document = await (await fetch(`${system.baseUrl}/api/docs-json`)).text();
    const dir = await mkdtemp(join(process.env.PROCURA_TEST_DIR ?? '/tmp', 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, document);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [REDOCLY, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
        {
          cwd: ROOT,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 64 * 1024 * 1024,
        },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // a failed lint exits 1 with its report
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
      const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('documents the problem+json answers of every operation, and no security on public ones', async () => {
    const document = (await (await fetch(`${system.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown[] }>>;
    };
    const gaps: string[] = [];
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(item)) {
        for (const status of ['400', '429', '503']) {
          // The health reports' 503 is the report itself, which says what is down.
          const healthReport = ['/api/v1/health', '/api/v1/health/ready'].includes(path) && status === '503';
          const documented = op.responses[status]?.content?.['application/problem+json'] || healthReport;
          if (!documented) gaps.push(`${method} ${path}: ${status}`);
        }
        if (op.security === undefined && !op.responses['401']) gaps.push(`${method} ${path}: 401`);
      }
    expect(gaps).toEqual([]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(document.paths['/api/v1/health'].get.security).toEqual([]);
  });
});
