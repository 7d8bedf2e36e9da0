import { runSoak } from '../../tools/soak/soak';

/**
 * The soak's 60-second version (`npm run soak -- --minutes 5` is the full one): a smaller
 * load, two replicas of the gateway, authorizations and notifications, and one fault of
 * each kind: a replica killed and restarted, Redis restarted, PostgreSQL stopped for 10 s,
 * SMTP refusing for 20 s. Every verification of the summary must pass.
 */
describe('Soak, 60 s (e2e)', () => {
  it('loses nothing, does nothing twice and never answers 500 through one fault of each kind', async () => {
    const summary = await runSoak({
      durationMs: 60_000,
      companies: 2,
      makersPerCompany: 3,
      validatorsPerCompany: 3,
      submitEveryMs: 30_000,
      checksPerSecond: 5,
      signInsPerSecond: 1,
      reportEveryMs: 20_000,
      replicas: { identity: 1, reporting: 1 },
      faults: { firstKillAtMs: 5_000, killEveryMs: 600_000, redisRestartAtMs: 15_000, postgresStopAtMs: 25_000, smtpRefuseAtMs: 40_000 },
      // SOAK_LOG=1 follows its progress.
      log: (line) => (process.env.SOAK_LOG ? process.stdout.write(`${line}\n`) : undefined),
    });
    process.stdout.write(`[soak e2e]\n${summary.text}\n`);
    expect(summary.failures).toEqual([]);
  }, 900_000);
});
