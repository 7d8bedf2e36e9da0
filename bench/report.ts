/**
 * docs/benchmarks.md, written by `npm run bench` from the figures of the run: the machine,
 * the Node version, the method, and each figure beside its same-run baseline and the ratio.
 * Nothing in it is typed by hand, so the README links it instead of copying figures.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { BenchFigure } from './bench-kit';

export interface BenchResult {
  name: string;
  figures: BenchFigure[];
  seconds: number;
  error?: string;
}

export interface RunFacts {
  startedAt: Date;
  finishedAt: Date;
  loadBefore: number[];
  loadAfter: number[];
  filters: string[];
}

export function format(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderReport(results: BenchResult[], facts: RunFacts): string {
  const cores = cpus();
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${facts.filters.length ? ` -- ${facts.filters.join(' ')}` : ''}\` on ${facts.startedAt.toISOString()} ` +
      `(${((facts.finishedAt.getTime() - facts.startedAt.getTime()) / 60_000).toFixed(1)} min). Do not edit: run it again.`,
    '',
    '| | |',
    '| --- | --- |',
    `| machine | ${cores.length} × ${cell(cores[0]?.model.trim() ?? 'unknown CPU')}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch} |`,
    `| Node | ${process.version} |`,
    `| load average (1 / 5 / 15 min) | before ${load(facts.loadBefore)}, after ${load(facts.loadAfter)} |`,
    '',
    '## Method',
    '',
    'Each benchmark starts its own PostgreSQL (embedded), Redis and SMTP catcher on free ports,',
    'starts the services as every launcher does (their Node flags and process settings), and',
    'measures the real path beside a baseline measured in the same run on the same machine:',
    'a bare endpoint, a bare library call or a bare SQL transaction doing the same work.',
    'The ratio is figure ÷ baseline. Figures move by 10–20 % between runs; on a machine shared',
    'with other work (see the load average) they are lower and noisier. Notes on what the',
    'figures mean and how they were taken apart: [benchmark-notes.md](benchmark-notes.md).',
    '',
  ];
  for (const result of results) {
    lines.push(`## ${result.name}`, '');
    if (result.error) {
      lines.push(`FAILED after ${result.seconds.toFixed(0)} s:`, '', '```', result.error, '```', '');
      continue;
    }
    lines.push('| figure | value | baseline (same run) | ratio | target |', '| --- | --- | --- | --- | --- |');
    for (const f of result.figures) {
      const baseline = f.baseline ? `${format(f.baseline.value)} ${f.unit} (${cell(f.baseline.label)})` : '';
      const ratio = f.baseline ? `${format((f.value / f.baseline.value) * 100)} %` : '';
      const target = f.target ? `${cell(f.target)}: ${f.met === undefined ? '–' : f.met ? 'met' : '**not met**'}` : '';
      lines.push(`| ${cell(f.metric)} | ${format(f.value)} ${f.unit} | ${baseline} | ${ratio} | ${target} |`);
    }
    lines.push('', `(${result.seconds.toFixed(0)} s)`, '');
  }
  return lines.join('\n');
}

export function loadNow(): number[] {
  return loadavg();
}
