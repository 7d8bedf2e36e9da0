/**
 * Dual validation: approvals per second and latency from the final approval to APPLIED
 * (the approve call returns once the change is applied), through the real system, beside
 * a bare PostgreSQL transaction doing the same writes, in the same run; the CPU of every
 * process per approval and of the bare transaction; and the latency of single approvals
 * on an otherwise idle system.
 */
import { ChangeRequestView, ChangeSubmissionResult, CompanyView, QUEUES } from '@procura/contracts';
import { addAdministrator, addUsers, ApiSession } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { Benchmark, BenchEnv, BenchFigure, cpuMs, load, percentile, processTreeCpuMs, startSystem } from './bench-kit';

const REQUESTS = 300;
const CONCURRENCY = 8;
/** Approvals made one at a time after the loaded phase: the latency of an approval on an idle system. */
const SINGLES = 40;
/**
 * Approvals per second of main's code in this benchmark before the change kit (2 cores,
 * 2 Dec 2026; see README): the target is three times as many.
 */
const BEFORE_CHANGE_KIT_PER_SECOND = Number(process.env.APPROVALS_BEFORE_PER_SECOND ?? 'NaN');

async function bareTransactions(
  databaseUrl: string,
  count: number,
  cpu: () => number,
): Promise<{ latencies: number[]; seconds: number; cpuMs: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: CONCURRENCY });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS bench;
    CREATE TABLE IF NOT EXISTS bench.requests (id uuid PRIMARY KEY, status text, approvals int, decided_at timestamptz, applied_at timestamptz);
    CREATE TABLE IF NOT EXISTS bench.approvals (request_id uuid, validator uuid, PRIMARY KEY (request_id, validator));
    CREATE TABLE IF NOT EXISTS bench.users (id uuid PRIMARY KEY, last_name text, version int);
    CREATE TABLE IF NOT EXISTS bench.applied (id uuid PRIMARY KEY, outcome text, result jsonb);
    CREATE TABLE IF NOT EXISTS bench.outbox (id uuid PRIMARY KEY, job_id text UNIQUE, payload jsonb);`);
  const ids = Array.from({ length: count }, () => ({ request: randomUUID(), user: randomUUID() }));
  for (const { request, user } of ids) {
    await pool.query(`INSERT INTO bench.requests VALUES ($1, 'PENDING', 0, NULL, NULL)`, [request]);
    await pool.query(`INSERT INTO bench.users VALUES ($1, 'x', 1)`, [user]);
  }
  const cpuBefore = cpu();
  const result = await load(count, CONCURRENCY, async (i) => {
    const { request, user } = ids[i];
    const client = await pool.connect();
    try {
      // The same writes as an approval that applies: lock, approval, status, owner change,
      // owner's applied record, outcome, and the outbox rows (apply job, audit, notice).
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM bench.requests WHERE id = $1 FOR UPDATE', [request]);
      await client.query('INSERT INTO bench.approvals VALUES ($1, $2)', [request, randomUUID()]);
      await client.query(`UPDATE bench.requests SET status = 'APPROVED', approvals = 1, decided_at = now() WHERE id = $1`, [request]);
      await client.query(`INSERT INTO bench.outbox VALUES ($1, $2, '{}')`, [randomUUID(), `apply-${request}`]);
      await client.query('COMMIT');
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM bench.requests WHERE id = $1 FOR UPDATE', [request]);
      await client.query(`UPDATE bench.users SET last_name = 'y', version = version + 1 WHERE id = $1`, [user]);
      await client.query(`INSERT INTO bench.applied VALUES ($1, 'APPLIED', '{}')`, [randomUUID()]);
      await client.query(`UPDATE bench.requests SET status = 'APPLIED', applied_at = now() WHERE id = $1`, [request]);
      await client.query(`INSERT INTO bench.outbox VALUES ($1, $2, '{}'), ($3, $4, '{}')`, [
        randomUUID(),
        `audit-${request}`,
        randomUUID(),
        `notice-${request}`,
      ]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
  const cpuMs = cpu() - cpuBefore;
  await pool.end();
  return { ...result, cpuMs };
}

/** The benchmark's own PostgreSQL and Redis (the machine is shared: other servers' CPU must not count). */
async function serverPids(databaseUrl: string, redisUrl: string): Promise<{ postgres: number; redis: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const [{ pid }] = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  await pool.end();
  // A backend's parent is the postmaster, whose tree is the whole server.
  const { readFileSync } = await import('node:fs');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  redis.disconnect();
  return { postgres: postmaster, redis: Number(/process_id:(\d+)/.exec(info)?.[1]) };
}

/** Waits until no job is waiting or running on any queue (delayed expiry jobs do not count). */
async function queuesSettled(redisUrl: string, timeoutMs = 120_000): Promise<void> {
  const url = new URL(redisUrl);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: { host: url.hostname, port: Number(url.port) } }));
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      if (Date.now() > deadline) throw new Error(`queues still busy after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

export const benchmark: Benchmark = {
  name: 'approvals (dual validation: final approval → APPLIED)',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const system = await startSystem(env);
    try {
      const operator = ApiSession.operator(system.baseUrl);
      const company = (
        await operator.post<CompanyView>('/companies', {
          name: 'Bench SA',
          registrationNumber: '999999999',
          billingMode: 'CLIENT',
          pricingOffer: 'ESSENTIEL',
        })
      ).body;
      const maker = await addAdministrator(system.databaseUrl, company.id, { firstName: 'Maker' });
      // One validator per request: a TOTP code is accepted once per validator and time step.
      // Only the first exists when the changes are submitted, the others join the company
      // afterwards: a company of 300 administrators would otherwise queue 300 "pending"
      // e-mails per request (90,000 in all) that the notifications service would still be
      // sending while the approvals are measured. Eligibility is checked at approval time.
      const validators: Awaited<ReturnType<typeof addAdministrator>>[] = [
        await addAdministrator(system.databaseUrl, company.id, { firstName: 'V0' }),
      ];
      const users = await addUsers(system.databaseUrl, company.id, REQUESTS + SINGLES);
      const makerSession = maker.session(system.baseUrl);
      const requests: string[] = [];
      for (const userId of users) {
        const res = await makerSession.request<ChangeSubmissionResult>('PATCH', `/users/${userId}`, { lastName: 'Approved' });
        if (res.status !== 202) throw new Error(`submission failed: ${res.status} ${JSON.stringify(res.body)}`);
        requests.push(res.body.changeRequestId);
      }
      for (let i = 1; i < REQUESTS + SINGLES; i += 10) {
        validators.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(10, REQUESTS + SINGLES - i) }, (_, j) =>
              addAdministrator(system.databaseUrl, company.id, { firstName: `V${i + j}` }),
            ),
          )),
        );
      }
      await queuesSettled(env.redisUrl);
      const sessions = validators.map((v) => v.session(system.baseUrl));
      // Codes are computed before the measured phase, so the client's CPU is mostly its HTTP; one whose
      // 30-second step has passed meanwhile is computed again (a slow, loaded run).
      const step = () => Math.floor(Date.now() / 30_000);
      const codes = validators.map((v) => ({ step: step(), code: v.totp() }));
      const codeOf = (i: number) => (codes[i].step === step() ? codes[i].code : validators[i].totp());
      let notApplied = 0;
      let lastRefusal = '';
      const servers = await serverPids(env.databaseUrl, env.redisUrl);
      // CPU of every process taking part, around the measured phase only: where an approval's cost goes.
      const cpuNow = () => ({
        ...Object.fromEntries(system.processes.map((p) => [p.service, cpuMs(p.child.pid)])),
        PostgreSQL: processTreeCpuMs(servers.postgres),
        Redis: cpuMs(servers.redis),
        'HTTP client (this process)': cpuMs(process.pid),
      });
      const approve = async (i: number) => {
        const res = await sessions[i].post<ChangeRequestView>(`/change-requests/${requests[i]}/approve`, { totpCode: codeOf(i) });
        if (res.body.status !== 'APPLIED') {
          notApplied++;
          lastRefusal = `${res.status} ${JSON.stringify(res.body)}`;
        }
      };
      const cpuBefore: Record<string, number> = cpuNow();
      const measured = await load(REQUESTS, CONCURRENCY, approve);
      // The approval's work after its answer (audit entries, the maker's notice, the relays) is part of its cost.
      await queuesSettled(env.redisUrl);
      const cpuAfter: Record<string, number> = cpuNow();
      if (notApplied) throw new Error(`${notApplied} approvals did not end APPLIED; the last: ${lastRefusal}`);
      const cpuPerApproval = Object.entries(cpuAfter)
        .map(([name, after]) => ({ metric: `CPU per approval: ${name}`, value: (after - cpuBefore[name]) / REQUESTS, unit: 'ms' }))
        .sort((a, b) => b.value - a.value);
      const cpuTotal = cpuPerApproval.reduce((sum, f) => sum + f.value, 0);

      // One at a time on the idle system, with the next code computed as it is sent.
      const singles: number[] = [];
      for (let i = REQUESTS; i < REQUESTS + SINGLES; i++) {
        codes[i] = { step: step(), code: validators[i].totp() };
        const t0 = performance.now();
        await approve(i);
        singles.push(performance.now() - t0);
      }
      if (notApplied) throw new Error(`${notApplied} single approvals did not end APPLIED; the last: ${lastRefusal}`);

      const bare = await bareTransactions(env.databaseUrl, REQUESTS, () => processTreeCpuMs(servers.postgres) + cpuMs(process.pid));
      const bareCpu = bare.cpuMs / REQUESTS;
      const rate = REQUESTS / measured.seconds;
      const bareRate = REQUESTS / bare.seconds;
      const median = percentile(measured.latencies, 50);
      const singleMedian = percentile(singles, 50);
      return [
        {
          metric: `approvals/s (${CONCURRENCY} concurrent)`,
          value: rate,
          unit: '/s',
          baseline: { label: 'bare PG transactions, same writes', value: bareRate },
        },
        ...(Number.isFinite(BEFORE_CHANGE_KIT_PER_SECOND)
          ? [
              {
                metric: 'approvals/s against main before the change kit',
                value: rate,
                unit: '/s',
                baseline: { label: 'main, same benchmark (APPROVALS_BEFORE_PER_SECOND)', value: BEFORE_CHANGE_KIT_PER_SECOND },
                target: '≥ 3× main',
                met: rate >= 3 * BEFORE_CHANGE_KIT_PER_SECOND,
              },
            ]
          : []),
        {
          metric: 'final approval → APPLIED, median (loaded)',
          value: median,
          unit: 'ms',
          baseline: { label: 'bare transaction median', value: percentile(bare.latencies, 50) },
        },
        {
          metric: 'final approval → APPLIED, p99 (loaded)',
          value: percentile(measured.latencies, 99),
          unit: 'ms',
          baseline: { label: 'bare transaction p99', value: percentile(bare.latencies, 99) },
        },
        {
          metric: `single approval → APPLIED, median (idle, ${SINGLES})`,
          value: singleMedian,
          unit: 'ms',
          target: '< 30 ms',
          met: singleMedian < 30,
        },
        {
          metric: 'CPU per approval, all processes',
          value: cpuTotal,
          unit: 'ms',
          baseline: { label: 'bare transaction (PostgreSQL + client)', value: bareCpu },
          target: '≤ 8× baseline',
          met: cpuTotal <= 8 * bareCpu,
        },
        ...cpuPerApproval,
      ];
    } finally {
      await system.stop();
    }
  },
};
