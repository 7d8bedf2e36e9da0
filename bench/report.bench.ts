import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { nodeFlagsFor } from '@procura/config';
import { Benchmark, BenchEnv, BenchFigure } from './bench-kit';

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
    // Both runs under the reporting service's own Node flags (its heap cap).
    const proc = spawn(process.execPath, [...nodeFlagsFor('reporting'), '-r', join(root, 'tools', 'module-aliases.js'), join(__dirname, 'report-build.child.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env.env },
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

/**
 * The access-rights report of a company of 10,000 users with 5 authorizations each,
 * built by ReportBuilder exactly as the worker does (pages of 200 users, spool,
 * streamed PDF into the document storage, READY transaction on PostgreSQL), beside bare
 * pdfkit writing the same number of table rows from memory. The users and rights are
 * generated page by page in the build process instead of coming over RPC from identity
 * and authorizations (the report's company summary seam is not served yet).
 */
export const benchmark: Benchmark = {
  name: 'report: access-rights PDF of 10,000 users × 5 authorizations',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const report = await child(env, ['report', String(USERS), String(AUTHORIZATIONS_PER_USER)]);
    const bare = await child(env, ['baseline', String(USERS), String(AUTHORIZATIONS_PER_USER)]);
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
      { metric: 'peak RSS of the build process', value: report.peakRssMb, unit: 'MB', baseline: { label: 'bare pdfkit', value: bare.peakRssMb }, target: '< 300 MB', met: report.peakRssMb < 300 },
      { metric: 'peak JS heap of the build process', value: report.peakHeapMb, unit: 'MB', baseline: { label: 'bare pdfkit', value: bare.peakHeapMb } },
      { metric: 'table rows rendered', value: report.rows, unit: 'rows', baseline: { label: 'bare pdfkit', value: bare.rows } },
      { metric: 'pages', value: report.pages, unit: 'pages', baseline: { label: 'bare pdfkit', value: bare.pages } },
      { metric: 'PDF size', value: report.bytes / 1048576, unit: 'MB', baseline: { label: 'bare pdfkit', value: bare.bytes / 1048576 } },
    ];
  },
};
