/**
 * `npm run bench [name…]`: runs the benchmarks of bench/*.bench.ts on real PostgreSQL,
 * Redis and SMTP servers started for the run, and prints each figure beside the baseline
 * measured in the same run on the same machine.
 */
import { cpus } from 'node:os';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Benchmark, BenchFigure, startBenchEnv } from './bench-kit';

function format(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

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
  process.stdout.write(`Procura benchmarks on ${cpus().length} cores, Node ${process.version}\n`);
  for (const bench of selected) {
    const env = await startBenchEnv();
    try {
      print(bench.name, await bench.run(env));
    } catch (error) {
      process.stdout.write(`\n${bench.name}\n  FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    } finally {
      await env.stop();
    }
  }
}

void main();
