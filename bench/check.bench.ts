/**
 * The rights check, the hot path of every portal screen: through the gateway over HTTP
 * (32 connections; answered in the gateway from its copies of the compiled rights, one
 * Redis GET per check) and directly against the authorizations service (CommandBus), beside
 * a Redis GET round trip and a bare endpoint of the same framework, measured in the same
 * run, for a company of 10,000 users with 5 authorizations each.
 */
import { serviceProcessEnv } from '@procura/config';
import { DEMO, AuthorizationsQueries, CheckQuestionDto } from '@procura/contracts';
import { CommandBus, RedisRpcClient } from '@procura/messaging';
import { findFreePorts } from '@procura/infra';
import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { fixtureUserId as userId, insertRightsFixtures } from './fixtures';
import { Benchmark, BenchEnv, BenchFigure, cpuMs, load, percentile, spawnService, until } from './bench-kit';

const root = resolve(__dirname, '..', '..');
const USERS = 10_000;
const AUTHORIZATIONS_PER_USER = 5;
const CONCURRENCY = 32;
const REQUESTS = 20_000;
const company = DEMO.companies.martin.id;

/** The bare endpoint runs under the same process environment as the services. */
function spawnBareApp(port: number, redisUrl: string): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist', 'bench', 'bare-http.app.js'), String(port), redisUrl], {
    cwd: root,
    env: serviceProcessEnv('gateway', process.env),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function question(i: number): CheckQuestionDto {
  const u = userId((i % USERS) + 1);
  switch (i % 4) {
    case 0:
      return { userId: u, service: 'BANKING', right: 'VALIDATE', level: 'ACCESS', resourceId: '00000000-0000-4000-8000-000000000301' };
    case 1:
      return { userId: u, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT_ENTER_VALIDATE' };
    case 2:
      return { userId: u, service: 'EINVOICING', right: 'INVOICE_ASSIGNMENT', level: 'CONSULT' }; // ended authorization
    default:
      return { userId: u, service: 'EINVOICING', right: 'SINGLE_ENTRY_POINT', level: 'CONSULT_ENTER_VALIDATE' }; // level too low
  }
}

function httpCall(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done(res.statusCode) : fail(new Error(`HTTP ${res.statusCode} on ${path}`))));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function stats(metric: string, r: { latencies: number[]; seconds: number }) {
  return { metric, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), rate: r.latencies.length / r.seconds };
}

/** Runs a load and also reports how much CPU one call cost `child` (ms per call). */
async function measured(child: ChildProcess, count: number, fn: (i: number) => Promise<unknown>) {
  const before = cpuMs(child.pid);
  const result = await load(count, CONCURRENCY, fn);
  return { result, cpuPerCall: (cpuMs(child.pid) - before) / count };
}

export const benchmark: Benchmark = {
  name: 'check',
  async run(env: BenchEnv): Promise<BenchFigure[]> {
    const [gatewayPort, barePort] = await findFreePorts(2);
    const serviceEnv = { ...env.env, SEED_DEMO: 'true', LOG_LEVEL: 'warn' };
    const children: ChildProcess[] = [];
    const redis = new Redis(env.redisUrl);
    const rpc = new RedisRpcClient(env.redisUrl);
    try {
      children.push(
        spawnService('identity', serviceEnv),
        spawnService('authorizations', serviceEnv),
        spawnService('gateway', { ...serviceEnv, PORT: String(gatewayPort) }),
      );
      children.push(spawnBareApp(barePort, env.redisUrl));
      await until('the system', async () => {
        const res = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/health`);
        const body = (await res.json()) as { components: Record<string, { status: string }> };
        return body.components.identity?.status === 'up' && body.components.authorizations?.status === 'up';
      });
      await until('the bare endpoint', async () => (await fetch(`http://127.0.0.1:${barePort}/ping`)).ok);
      await insertRightsFixtures(env.databaseUrl, company, USERS, AUTHORIZATIONS_PER_USER);

      const bus = new CommandBus(rpc, 10_000);
      const actor = { kind: 'operator' as const, operatorId: DEMO.operator.id };
      // Warm-up: every user compiled once (what a running system has), then the HTTP paths.
      for (let i = 0; i < USERS; i += 100) {
        await bus.execute(
          AuthorizationsQueries.checkBatch,
          { questions: Array.from({ length: 100 }, (_, k) => question(i + k)) },
          { actor },
        );
      }
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const auth = { authorization: `Bearer ${DEMO.operator.apiKey}` };
      // The gateway keeps its own copy of each user's compiled rights: fill it for every user too.
      for (let i = 0; i < USERS; i += 100) {
        const body = JSON.stringify({ questions: Array.from({ length: 100 }, (_, k) => question(i + k)) });
        await httpCall(agent, gatewayPort, 'POST', '/api/v1/check/batch', auth, body);
      }
      const checkOverHttp = (i: number) => httpCall(agent, gatewayPort, 'POST', '/api/v1/check', auth, JSON.stringify(question(i)));
      const bare = (_: number) => httpCall(agent, barePort, 'GET', '/ping', {});
      const floorCheck = (i: number) => httpCall(agent, barePort, 'POST', '/floor-check', auth, JSON.stringify(question(i)));
      await load(2000, CONCURRENCY, checkOverHttp);
      await load(2000, CONCURRENCY, bare);
      await load(2000, CONCURRENCY, floorCheck);
      await load(2000, CONCURRENCY, (i) => bus.execute(AuthorizationsQueries.check, question(i), { actor }));

      const redisGet = stats(
        'Redis GET',
        await load(REQUESTS, CONCURRENCY, (i) => redis.get(`procura:authz:rights-gen:${userId((i % USERS) + 1)}`)),
      );
      const [, authorizations, gateway, bareApp] = children;
      const bareRun = await measured(bareApp, REQUESTS, bare);
      const floorRun = await measured(bareApp, REQUESTS, floorCheck);
      const httpRun = await measured(gateway, REQUESTS, checkOverHttp);
      const directRun = await measured(authorizations, REQUESTS, (i) => bus.execute(AuthorizationsQueries.check, question(i), { actor }));
      const bareHttp = stats('bare Nest GET', bareRun.result);
      const viaHttp = stats('check over HTTP', httpRun.result);
      const floor = stats('floor check route', floorRun.result);
      const direct = stats('check via CommandBus', directRun.result);
      agent.destroy();

      const b = { label: 'bare Nest GET', value: bareHttp.rate };
      return [
        { metric: 'Redis GET round trip p50', value: redisGet.p50, unit: 'ms' },
        { metric: 'Redis GET round trip p99', value: redisGet.p99, unit: 'ms' },
        { metric: 'Redis GET throughput', value: redisGet.rate, unit: 'ops/s' },
        { metric: 'bare Nest GET p50', value: bareHttp.p50, unit: 'ms' },
        { metric: 'bare Nest GET p99', value: bareHttp.p99, unit: 'ms' },
        { metric: 'bare Nest GET throughput', value: bareHttp.rate, unit: 'req/s' },
        { metric: 'floor check route (guard, DTO, Redis read) p99', value: floor.p99, unit: 'ms' },
        { metric: 'floor check route throughput', value: floor.rate, unit: 'req/s', baseline: b },
        { metric: 'floor check route: server CPU per request', value: floorRun.cpuPerCall, unit: 'ms' },
        { metric: 'check via CommandBus p50', value: direct.p50, unit: 'ms' },
        { metric: 'check via CommandBus p99', value: direct.p99, unit: 'ms' },
        { metric: 'check via CommandBus throughput', value: direct.rate, unit: 'checks/s', baseline: b },
        { metric: 'check over HTTP p50', value: viaHttp.p50, unit: 'ms', baseline: { label: 'bare Nest GET p50', value: bareHttp.p50 } },
        { metric: 'check over HTTP p99 (32 connections)', value: viaHttp.p99, unit: 'ms', target: 'p99 < 10 ms', met: viaHttp.p99 < 10 },
        {
          metric: 'check over HTTP throughput',
          value: viaHttp.rate,
          unit: 'checks/s',
          baseline: b,
          target: '≥ 60 % of bare',
          met: viaHttp.rate >= 0.6 * bareHttp.rate,
        },
        { metric: 'bare Nest GET: server CPU per request', value: bareRun.cpuPerCall, unit: 'ms' },
        {
          metric: 'check over HTTP: gateway CPU per check',
          value: httpRun.cpuPerCall,
          unit: 'ms',
          baseline: { label: 'bare server CPU per request', value: bareRun.cpuPerCall },
        },
        { metric: 'check via CommandBus: service CPU per check', value: directRun.cpuPerCall, unit: 'ms' },
      ];
    } finally {
      redis.disconnect();
      await rpc.close();
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null) return done();
              c.once('exit', () => done());
              c.kill('SIGTERM');
              setTimeout(() => c.kill('SIGKILL'), 5000).unref();
            }),
        ),
      );
    }
  },
};
