/**
 * `npm run soak -- --minutes 5`: the soak of tools/soak/soak.ts at the size
 * (50 administrators and 50 validators over 10 companies, two replicas of every service,
 * a replica killed every 30 s, Redis restarted, PostgreSQL stopped 10 s, SMTP refusing
 * 20 s), loopback only. Prints its summary; exits 1 when a verification failed.
 */
import { runSoak } from './soak';

function minutesArg(): number {
  const i = process.argv.indexOf('--minutes');
  const minutes = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 60) {
    process.stderr.write('usage: npm run soak -- --minutes <1..60>\n');
    process.exit(2);
  }
  return minutes;
}

async function main(): Promise<void> {
  const durationMs = minutesArg() * 60_000;
  const summary = await runSoak({
    durationMs,
    companies: 10,
    makersPerCompany: 5,
    validatorsPerCompany: 5,
    // 50 validators approve about 100 changes a minute at most (one TOTP code per 30 s step each).
    submitEveryMs: 45_000,
    checksPerSecond: 20,
    signInsPerSecond: 2,
    reportEveryMs: 20_000,
    replicas: {},
    faults: {
      firstKillAtMs: 30_000,
      killEveryMs: 30_000,
      redisRestartAtMs: durationMs * 0.25,
      postgresStopAtMs: durationMs * 0.5,
      smtpRefuseAtMs: durationMs * 0.75,
    },
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`\n${summary.text}\n`);
  process.exitCode = summary.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
