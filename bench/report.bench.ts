import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeFlagsFor, serviceProcessEnv } from '@procura/config';
import { Actor, DEMO, IdentitySeams, ReportingCommands, ReportType, SystemCommands } from '@procura/contracts';
import { CommandBus, RedisRpcClient } from '@procura/messaging';
import { Benchmark, BenchEnv, BenchFigure, spawnService, until } from './bench-kit';
import { insertIdentityFixtures, insertRightsFixtures } from './fixtures';

const root = resolve(__dirname, '..', '..');
const USERS = 10_000;
const AUTHORIZATIONS_PER_USER = 5;

interface Figures {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  rows: number;
  pages: number;
  bytes: number;
}

/** Runs bench/report-build.child in its own process: its memory figures are the build's alone. */
function child(env: BenchEnv, args: string[]): Promise<Figures> {
  return new Promise((done, fail) => {
    // Both runs under the reporting service's own Node flags and process environment.
    const proc = spawn(process.execPath, [...nodeFlagsFor('reporting'), join(__dirname, 'report-build.child.js'), ...args], {
      cwd: root,
      env: serviceProcessEnv('reporting', { ...process.env, ...env.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code === 0 && line) done(JSON.parse(line) as Figures);
      else fail(new Error(`report-build.child ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Peak resident memory of a live process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
}

/**
 * The whole path: 10,000 users with their credentials in identity and 5 authorizations
 * each in authorizations, the report ordered over RPC as the gateway does, and the
 * reporting service reading the users and rights page by page over the seams. Measures
 * the time from the order to READY and the reporting process's peak resident memory
 * (its whole life: start-up, then the build).
 */
async function throughServices(env: BenchEnv): Promise<{ seconds: number; peakRssMb: number }> {
  const company = DEMO.companies.martin.id;
  const services = ['identity', 'authorizations', 'reporting'] as const;
  const children: ChildProcess[] = services.map((service) => spawnService(service, { ...env.env, SEED_DEMO: 'true', LOG_LEVEL: 'warn' }));
  const rpc = new RedisRpcClient(env.redisUrl);
  try {
    await rpc.connect();
    const bus = new CommandBus(rpc, 30_000);
    for (const service of services)
      await until(`the ${service} service`, () => bus.execute(SystemCommands.ping(service), {}, { timeoutMs: 1000 }));
    await until('the demo company', () => bus.execute(IdentitySeams.companySummary, { companyId: company }, { timeoutMs: 1000 }));
    await insertIdentityFixtures(env.databaseUrl, company, USERS);
    await insertRightsFixtures(env.databaseUrl, company, USERS, AUTHORIZATIONS_PER_USER);
    const actor: Actor = { kind: 'operator', operatorId: DEMO.operator.id };
    const started = performance.now();
    const { report } = await bus.execute(
      ReportingCommands.orderReport,
      { companyId: company, order: { type: ReportType.ACCESS_RIGHTS, language: 'fr' } },
      { actor },
    );
    // Polled here rather than with until(): a FAILED report must stop the run at once.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const view = await bus.execute(ReportingCommands.getReport, { reportId: report.id }, { actor });
      if (view.status === 'READY') break;
      if (view.status === 'FAILED') throw new Error(`the report failed: ${view.failureReason}`);
      if (Date.now() > deadline) throw new Error(`the report is still ${view.status} after 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, peakRssMb: peakRssMb(children[2].pid!) };
  } finally {
    await rpc.close().catch(() => undefined);
    await Promise.all(
      children.map(
        (child) =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(undefined);
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/**
 * The access-rights report of a company of 10,000 users with 5 authorizations each,
 * built by ReportBuilder exactly as the worker does (pages of 200 users, spool,
 * streamed PDF into the document storage, READY transaction on PostgreSQL), beside bare
 * pdfkit writing the same number of table rows from memory. Two runs: the builder alone
 * (users and rights generated page by page in the build process, which isolates the PDF
 * work), then the whole path through the identity, authorizations and reporting services
 * (throughServices), which is what a client waits for.
 */
export const benchmark: Benchmark = {
  name: 'report: access-rights PDF of 10,000 users × 5 authorizations',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const report = await child(env, ['report', String(USERS), String(AUTHORIZATIONS_PER_USER)]);
    const bare = await child(env, ['baseline', String(USERS), String(AUTHORIZATIONS_PER_USER)]);
    const system = await throughServices(env);
    const seconds = report.ms / 1000;
    const bareSeconds = bare.ms / 1000;
    return [
      {
        metric: 'build time',
        value: seconds,
        unit: 's',
        baseline: { label: `bare pdfkit, same ${bare.rows} rows`, value: bareSeconds },
        target: '< 15 s and ≤ 3× bare pdfkit',
        met: seconds < 15 && seconds <= 3 * bareSeconds,
      },
      {
        metric: 'peak RSS of the build process',
        value: report.peakRssMb,
        unit: 'MB',
        baseline: { label: 'bare pdfkit', value: bare.peakRssMb },
        target: '< 300 MB',
        met: report.peakRssMb < 300,
      },
      {
        metric: 'through the services: order → READY',
        value: system.seconds,
        unit: 's',
        baseline: { label: 'bare pdfkit', value: bareSeconds },
        target: '< 15 s and ≤ 3× bare pdfkit',
        met: system.seconds < 15 && system.seconds <= 3 * bareSeconds,
      },
      {
        metric: 'through the services: reporting peak RSS',
        value: system.peakRssMb,
        unit: 'MB',
        baseline: { label: 'bare pdfkit', value: bare.peakRssMb },
        target: '< 300 MB',
        met: system.peakRssMb < 300,
      },
      {
        metric: 'peak JS heap of the build process',
        value: report.peakHeapMb,
        unit: 'MB',
        baseline: { label: 'bare pdfkit', value: bare.peakHeapMb },
      },
      { metric: 'table rows rendered', value: report.rows, unit: 'rows', baseline: { label: 'bare pdfkit', value: bare.rows } },
      { metric: 'pages', value: report.pages, unit: 'pages', baseline: { label: 'bare pdfkit', value: bare.pages } },
      { metric: 'PDF size', value: report.bytes / 1048576, unit: 'MB', baseline: { label: 'bare pdfkit', value: bare.bytes / 1048576 } },
    ];
  },
};
