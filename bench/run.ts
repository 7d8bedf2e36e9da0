/**
 * `npm run bench [name…]`: runs the benchmarks of bench/*.bench.ts on real PostgreSQL,
 * Redis and SMTP servers started for the run, and prints each figure beside the baseline
 * measured in the same run on the same machine.
 */
import { cpus } from 'node:os';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Benchmark, BenchFigure, startBenchEnv } from './bench-kit';
import { BenchResult, format, loadNow, renderReport } from './report';

const REPORT = resolve(__dirname, '..', '..', 'docs', 'benchmarks.md');

function print(name: string, figures: BenchFigure[]): void {
  process.stdout.write(`\n${name}\n`);
  for (const f of figures) {
    const baseline = f.baseline
      ? `   baseline ${f.baseline.label}: ${format(f.baseline.value)} ${f.unit}   ratio ${format((f.value / f.baseline.value) * 100)} %`
      : '';
    const target = f.target ? `   target ${f.target}: ${f.met === undefined ? '-' : f.met ? 'met' : 'NOT met'}` : '';
    process.stdout.write(`  ${f.metric.padEnd(44)} ${format(f.value).padStart(10)} ${f.unit.padEnd(8)}${baseline}${target}\n`);
  }
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js'));
  // The bench files are found at run time, so they are required, not imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const benches: Benchmark[] = files.map((f) => (require(join(__dirname, f)) as { benchmark: Benchmark }).benchmark);
  const selected = benches.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    process.stdout.write(`no benchmark matches ${filters.join(' ')}; available: ${benches.map((b) => b.name).join(', ')}\n`);
    return;
  }
  const startedAt = new Date();
  const loadBefore = loadNow();
  process.stdout.write(
    `Procura benchmarks on ${cpus().length} cores, Node ${process.version}, load average ${loadBefore.map((n) => n.toFixed(2)).join(' ')}\n`,
  );
  const results: BenchResult[] = [];
  for (const bench of selected) {
    const began = performance.now();
    const env = await startBenchEnv();
    try {
      const figures = await bench.run(env);
      print(bench.name, figures);
      results.push({ name: bench.name, figures, seconds: (performance.now() - began) / 1000 });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stdout.write(`\n${bench.name}\n  FAILED: ${message}\n`);
      results.push({ name: bench.name, figures: [], seconds: (performance.now() - began) / 1000, error: message });
      process.exitCode = 1;
    } finally {
      await env.stop();
    }
  }
  mkdirSync(resolve(REPORT, '..'), { recursive: true });
  writeFileSync(REPORT, renderReport(results, { startedAt, finishedAt: new Date(), loadBefore, loadAfter: loadNow(), filters }));
  process.stdout.write(`\nwritten to ${REPORT}\n`);
}

void main();
