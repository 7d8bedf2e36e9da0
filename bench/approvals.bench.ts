/**
 * Dual validation: approvals per second and latency from the final approval to APPLIED
 * (the approve call returns once the change is applied), through the real system, beside
 * a bare PostgreSQL transaction doing the same writes, in the same run.
 */
import { ChangeRequestView, ChangeSubmissionResult, CompanyView, QUEUES } from '@procura/contracts';
import { addAdministrator, addUsers, ApiSession } from '@procura/testing';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { Benchmark, BenchEnv, BenchFigure, cpuMs, cpuMsOfCommand, load, percentile, startSystem } from './bench-kit';

const REQUESTS = 300;
const CONCURRENCY = 8;

async function bareTransactions(databaseUrl: string, count: number): Promise<{ latencies: number[]; seconds: number }> {
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
  await pool.end();
  return result;
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
          pricingOffer: 'X',
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
      const users = await addUsers(system.databaseUrl, company.id, REQUESTS);
      const makerSession = maker.session(system.baseUrl);
      const requests: string[] = [];
      for (const userId of users) {
        const res = await makerSession.request<ChangeSubmissionResult>('PATCH', `/users/${userId}`, { lastName: 'Approved' });
        if (res.status !== 202) throw new Error(`submission failed: ${res.status} ${JSON.stringify(res.body)}`);
        requests.push(res.body.changeRequestId);
      }
      for (let i = 1; i < REQUESTS; i += 10) {
        validators.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(10, REQUESTS - i) }, (_, j) =>
              addAdministrator(system.databaseUrl, company.id, { firstName: `V${i + j}` }),
            ),
          )),
        );
      }
      await queuesSettled(env.redisUrl);
      const sessions = validators.map((v) => v.session(system.baseUrl));
      let notApplied = 0;
      // CPU of every process taking part, around the measured phase only: where an approval's cost goes.
      const cpuNow = () => ({
        ...Object.fromEntries(system.processes.map((p) => [p.service, cpuMs(p.child.pid)])),
        PostgreSQL: cpuMsOfCommand('postgres'),
        Redis: cpuMsOfCommand('redis-server'),
        'HTTP client (this process)': cpuMs(process.pid),
      });
      const cpuBefore: Record<string, number> = cpuNow();
      const measured = await load(REQUESTS, CONCURRENCY, async (i) => {
        const res = await sessions[i].post<ChangeRequestView>(`/change-requests/${requests[i]}/approve`, {
          totpCode: validators[i].totp(),
        });
        if (res.body.status !== 'APPLIED') notApplied++;
      });
      const cpuAfter: Record<string, number> = cpuNow();
      if (notApplied) throw new Error(`${notApplied} approvals did not end APPLIED`);
      const cpuPerApproval = Object.entries(cpuAfter)
        .map(([name, after]) => ({ metric: `CPU per approval: ${name}`, value: (after - cpuBefore[name]) / REQUESTS, unit: 'ms' }))
        .sort((a, b) => b.value - a.value);
      const bare = await bareTransactions(env.databaseUrl, REQUESTS);
      const rate = REQUESTS / measured.seconds;
      const bareRate = REQUESTS / bare.seconds;
      const median = percentile(measured.latencies, 50);
      return [
        {
          metric: `approvals/s (${CONCURRENCY} concurrent)`,
          value: rate,
          unit: '/s',
          baseline: { label: 'bare PG transactions, same writes', value: bareRate },
          target: '≥ 33 % of baseline',
          met: rate >= bareRate / 3,
        },
        {
          metric: 'final approval → APPLIED, median',
          value: median,
          unit: 'ms',
          baseline: { label: 'bare transaction median', value: percentile(bare.latencies, 50) },
          target: '< 50 ms',
          met: median < 50,
        },
        {
          metric: 'final approval → APPLIED, p99',
          value: percentile(measured.latencies, 99),
          unit: 'ms',
          baseline: { label: 'bare transaction p99', value: percentile(bare.latencies, 99) },
        },
        { metric: 'CPU per approval, all processes', value: cpuPerApproval.reduce((sum, f) => sum + f.value, 0), unit: 'ms' },
        ...cpuPerApproval,
      ];
    } finally {
      await system.stop();
    }
  },
};
