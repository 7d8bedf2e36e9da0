/**
 * The web console in Chromium, on loopback, with 10,000 users in the company: the JavaScript a
 * first visit downloads (gzipped, as sent) and the time from navigation to the users list on
 * the screen, beside a bare Vite page of the same component library (apps/console/baseline:
 * Mantine and React asking the API for the same first page of users), built and measured in the
 * same run. Each visit is a fresh browser context (empty cache), the session already open, as
 * when an administrator opens a bookmark of the users list; console and baseline alternate.
 */
import { DEMO, type SessionTokens } from '@procura/contracts';
import { findFreePorts } from '@procura/infra';
import { addUsers, ApiSession, CHROMIUM, CHROMIUM_FLAGS } from '@procura/testing';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateSync } from 'otplib';
import { type Browser, chromium } from 'playwright-core';
import { Benchmark, BenchEnv, BenchFigure, percentile, startSystem } from './bench-kit';

const USERS = 10_000;
const WARM_UP = 2;
const ROUNDS = 12;
const root = resolve(__dirname, '..', '..');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Builds the baseline page with Vite into `outDir`, with a .gz beside each text asset as tools/build-console.js does for the console. */
function buildBaseline(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(root, 'apps', 'console', 'baseline', 'vite.config.ts'),
      '--logLevel',
      'error',
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, BASELINE_OUT_DIR: outDir } },
  );
  for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (entry.isFile() && /\.(js|css|html|svg)$/.test(entry.name) && statSync(file).size >= 1024)
      writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  }
}

/**
 * Serves the baseline's files (gzipped when the browser accepts it, like the gateway) and passes
 * /api to the gateway, so that the page calls the API from its own origin as the console does.
 */
function serveBaseline(dir: string, port: number, gateway: URL): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/')) {
      const upstream = httpRequest(
        { host: gateway.hostname, port: gateway.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = path !== '/' && existsSync(join(dir, path)) ? join(dir, path) : join(dir, 'index.html');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'])) && existsSync(`${file}.gz`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    createReadStream(gzip ? `${file}.gz` : file).pipe(res);
  });
  return new Promise((ready) => server.listen(port, '127.0.0.1', () => ready(server)));
}

/** Signs in as the demo administrator (password, then the TOTP code) and returns the session as the console keeps it. */
async function openSession(baseUrl: string): Promise<Record<string, unknown>> {
  const { sophie } = DEMO.users;
  const anonymous = ApiSession.anonymous(baseUrl);
  const half = await anonymous.post<SessionTokens>('/auth/login', { loginId: sophie.loginId, password: sophie.password });
  const tokens =
    half.body.scope === 'totp-verification'
      ? (
          await new ApiSession(baseUrl, half.body.accessToken).post<SessionTokens>('/auth/totp/verify', {
            code: generateSync({ secret: sophie.totpSecret }),
          })
        ).body
      : half.body;
  if (tokens.scope !== 'full') throw new Error(`sign-in of the demo administrator: ${JSON.stringify(tokens)}`);
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    sessionExpiresAt: Date.parse(tokens.sessionExpiresAt),
    scope: tokens.scope,
    loginId: sophie.loginId,
    expired: false,
  };
}

interface Visit {
  /** From the start of the navigation to the first row of users in the document (the page's own clock). */
  shownMs: number;
  /** When the answer of the users list request had arrived, on the same clock: where the rest of the time went. */
  usersAnsweredMs: number;
  scriptBytes: number;
  styleBytes: number;
}

/** One first visit in a fresh context: the session is in the tab's storage before any script runs. */
async function visit(browser: Browser, url: string, session: Record<string, unknown>, rowSelector: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
  try {
    await context.addInitScript({
      content: `
        try { sessionStorage.setItem('procura.session', ${JSON.stringify(JSON.stringify(session))}); } catch {}
        new MutationObserver((_, observer) => {
          if (document.querySelector(${JSON.stringify(rowSelector)})) { window.__listShownAt = performance.now(); observer.disconnect(); }
        }).observe(document, { childList: true, subtree: true });`,
    });
    const page = await context.newPage();
    const sizes: Array<Promise<{ type: string; bytes: number }>> = [];
    page.on('requestfinished', (request) => {
      const type = request.resourceType();
      if (type === 'script' || type === 'stylesheet') sizes.push(request.sizes().then((s) => ({ type, bytes: s.responseBodySize })));
    });
    await page.goto(url);
    // A function, not a string: a string would be evaluated with eval, which the console's CSP refuses.
    const shown = await page.waitForFunction(() => (globalThis as { __listShownAt?: number }).__listShownAt, undefined, {
      timeout: 60_000,
      polling: 50,
    });
    const shownMs = Number(await shown.jsonValue());
    const resources = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => ({ name: e.name, end: (e as unknown as { responseEnd: number }).responseEnd })),
    );
    const usersAnsweredMs = resources.find((r) => /\/companies\/[^/]+\/users\?/.test(r.name))?.end ?? NaN;
    const loaded = await Promise.all(sizes);
    const bytes = (type: string) => loaded.filter((s) => s.type === type).reduce((sum, s) => sum + s.bytes, 0);
    return { shownMs, usersAnsweredMs, scriptBytes: bytes('script'), styleBytes: bytes('stylesheet') };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => percentile(values, 50);

export const benchmark: Benchmark = {
  name: 'console (first load and users list in Chromium, 10,000 users)',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const loadBefore = loadavg()[0];
    if (!existsSync(join(root, 'dist', 'console', 'index.html')))
      throw new Error('dist/console is missing: node tools/prepare.js builds it');
    const baselineDir = join(env.dir, 'baseline');
    buildBaseline(baselineDir);
    const system = await startSystem(env);
    const [port] = await findFreePorts(1);
    const server = await serveBaseline(baselineDir, port, new URL(system.baseUrl));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    try {
      const martin = DEMO.companies.martin.id;
      await addUsers(system.databaseUrl, martin, USERS);
      const listed = await ApiSession.operator(system.baseUrl).get<{ total: number }>(`/companies/${martin}/users?pageSize=1`);
      const session = await openSession(system.baseUrl);
      const targets = {
        console: { url: `${system.baseUrl}/users`, rows: 'tbody tr a[href^="/users/"]' },
        baseline: { url: `http://127.0.0.1:${port}/?company=${martin}`, rows: 'tbody tr a' },
      };
      const visits: Record<keyof typeof targets, Visit[]> = { console: [], baseline: [] };
      for (let round = 0; round < WARM_UP + ROUNDS; round++) {
        for (const name of ['console', 'baseline'] as const) {
          const result = await visit(browser, targets[name].url, session, targets[name].rows);
          if (round >= WARM_UP) visits[name].push(result);
        }
      }
      const kb = (bytes: number) => bytes / 1024;
      const consoleJs = median(visits.console.map((v) => v.scriptBytes));
      const consoleShown = visits.console.map((v) => v.shownMs);
      const baselineShown = visits.baseline.map((v) => v.shownMs);
      const loadAfter = loadavg()[0];
      return [
        { metric: 'users in the company', value: listed.body.total, unit: '' },
        {
          metric: 'first-load JavaScript, gzipped',
          value: kb(consoleJs),
          unit: 'KB',
          baseline: { label: 'bare Mantine page', value: kb(median(visits.baseline.map((v) => v.scriptBytes))) },
          target: '≤ 300 KB',
          met: consoleJs <= 300 * 1024,
        },
        {
          metric: 'first-load CSS, gzipped',
          value: kb(median(visits.console.map((v) => v.styleBytes))),
          unit: 'KB',
          baseline: { label: 'bare Mantine page', value: kb(median(visits.baseline.map((v) => v.styleBytes))) },
        },
        {
          metric: `navigation → users list shown, median of ${ROUNDS}`,
          value: median(consoleShown),
          unit: 'ms',
          baseline: { label: 'bare Mantine page', value: median(baselineShown) },
          target: '≤ 1 s',
          met: median(consoleShown) <= 1000,
        },
        {
          metric: '… of which: users list answered by the API',
          value: median(visits.console.map((v) => v.usersAnsweredMs)),
          unit: 'ms',
          baseline: { label: 'bare Mantine page', value: median(visits.baseline.map((v) => v.usersAnsweredMs)) },
        },
        {
          metric: 'navigation → users list shown, slowest',
          value: Math.max(...consoleShown),
          unit: 'ms',
          baseline: { label: 'bare Mantine page', value: Math.max(...baselineShown) },
        },
        { metric: 'load average (1 min) at the start', value: loadBefore, unit: '' },
        { metric: 'load average (1 min) at the end', value: loadAfter, unit: '' },
      ];
    } finally {
      await browser.close();
      server.close();
      await system.stop();
    }
  },
};
