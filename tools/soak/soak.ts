/**
 * The soak: the whole system with replicas, on servers of its own (loopback only), under
 * a steady, bounded load while faults are injected on a schedule; then it lets the work
 * drain and verifies that nothing was lost, done twice or left half-done.
 *
 * Load: administrators submit user renames, new users, authorizations, authorization
 * removals, credentials and composite "add a user" requests (person, rights from a
 * template and credential in one request); validators approve or reject them; clients order reports; a portal
 * runs rights checks; demo users sign in. Faults: a random replica killed (and restarted)
 * every `killEveryMs`, Redis restarted once, PostgreSQL stopped for 10 s once, SMTP
 * refusing connections for 20 s once.
 */
import { ChangeRequestView, ChangeSubmissionResult, CompanyView, DEMO, JOBS, QUEUES, ReportView, RpcServiceName } from '@procura/contracts';
import { rpcKeys } from '@procura/messaging';
import {
  findFreePorts,
  readCaughtMail,
  startPostgres,
  startRedis,
  startRoundRobin,
  startSmtpCatcher,
  type RoundRobin,
  type RunningPostgres,
  type RunningService,
  type SmtpCatcher,
} from '@procura/infra';
import {
  addAdministrator,
  addUsers,
  ApiSession,
  createTemplateDatabase,
  FixtureAdministrator,
  queryRows,
  ServiceProcess,
  TestSystem,
} from '@procura/testing';
import { migrate } from '@procura/database';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPdf } from '../../apps/reporting/src/reports/render/read-pdf.testing';

export interface SoakOptions {
  /** Length of the loaded phase (the faults happen inside it); the drain comes after. */
  durationMs: number;
  companies: number;
  /** Per company; the issue's full soak: 50 of each over 10 companies. */
  makersPerCompany: number;
  validatorsPerCompany: number;
  /** Each maker's pause between two submissions (bounded load; validators approve about two a minute each, TOTP steps). */
  submitEveryMs: number;
  checksPerSecond: number;
  signInsPerSecond: number;
  reportEveryMs: number;
  /** Replicas per service (2 everywhere by default). */
  replicas: Partial<Record<'gateway' | 'identity' | 'authorizations' | 'notifications' | 'reporting', number>>;
  /** The fault schedule, in ms from the start of the loaded phase. */
  faults: { killEveryMs: number; firstKillAtMs: number; redisRestartAtMs: number; postgresStopAtMs: number; smtpRefuseAtMs: number };
  log: (line: string) => void;
}

type Phase = 'before' | 'during' | 'between' | 'after';
type Operation = 'submit' | 'approve' | 'reject' | 'inbox' | 'check' | 'sign-in' | 'report' | 'other';
interface Sample {
  op: Operation;
  at: number;
  ms: number;
  status: number;
}

export interface SoakSummary {
  ok: boolean;
  failures: string[];
  text: string;
}

const FINAL = new Set(['APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'STALE', 'FAILED']);
const CHECK = { service: 'EINVOICING', right: 'CUSTOMER_INVOICING', level: 'CONSULT' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms: number) => ms * (0.5 + Math.random());
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const totpStep = () => Math.floor(Date.now() / 30_000);

/** Servers of the soak's own, so that stopping them disturbs nothing else; each can be stopped and started again on its port. */
class SoakInfra {
  private constructor(
    private readonly dir: string,
    private readonly ports: number[],
    public pg: RunningPostgres,
    public redis: RunningService,
    public smtp: SmtpCatcher,
  ) {}

  static async start(dir: string): Promise<SoakInfra> {
    const ports = await findFreePorts(3);
    const infra = new SoakInfra(
      dir,
      ports,
      ...(await Promise.all([
        startPostgres(SoakInfra.pgOptions(dir, ports[0])),
        startRedis(SoakInfra.redisOptions(dir, ports[1])),
        startSmtpCatcher(SoakInfra.smtpOptions(dir, ports[2])),
      ])),
    );
    await migrate({ databaseUrl: infra.pg.url });
    await createTemplateDatabase(infra.pg.adminUrl, 'procura_soak');
    return infra;
  }

  private static pgOptions(dir: string, port: number) {
    // Two replicas of five services with pools of 10, and the soak's own connections.
    return { dataDir: join(dir, 'postgres'), port, database: 'procura_soak', settings: { max_connections: '300' } };
  }
  private static redisOptions(dir: string, port: number) {
    return { dataDir: join(dir, 'redis'), port };
  }
  private static smtpOptions(dir: string, port: number) {
    return { dataDir: join(dir, 'mail'), smtpPort: port };
  }

  get mailDir(): string {
    return join(this.dir, 'mail');
  }

  async restartPostgres(downMs: number): Promise<void> {
    await this.pg.stop();
    await sleep(downMs);
    this.pg = await startPostgres(SoakInfra.pgOptions(this.dir, this.ports[0]));
  }

  async restartRedis(): Promise<void> {
    await this.redis.stop();
    this.redis = await startRedis(SoakInfra.redisOptions(this.dir, this.ports[1]));
  }

  /** SMTP refuses: nothing listens on its port for `downMs`. */
  async refuseSmtp(downMs: number): Promise<void> {
    await this.smtp.stop();
    await sleep(downMs);
    this.smtp = await startSmtpCatcher(SoakInfra.smtpOptions(this.dir, this.ports[2]));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.smtp.stop(), this.redis.stop(), this.pg.stop()]);
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const say = options.log;
  const dir = await mkdtemp(join(tmpdir(), 'procura-soak-'));
  // Under root PostgreSQL runs as the postgres user, which must traverse this directory.
  await chmod(dir, 0o755);
  const savedEnv = { ...process.env };
  let system: TestSystem | undefined;
  let balancer: RoundRobin | undefined;
  let infra: SoakInfra | undefined;
  try {
    infra = await SoakInfra.start(dir);
    // TestSystem takes its servers from the environment, as under Jest's global setup.
    Object.assign(process.env, {
      PG_ADMIN_URL: infra.pg.adminUrl,
      SMTP_URL: infra.smtp.url,
      REDIS_URL: infra.redis.url,
      PROCURA_TEST_DIR: dir,
    });
    system = await TestSystem.start({
      redisUrl: infra.redis.url,
      replicas: { gateway: 2, identity: 2, authorizations: 2, notifications: 2, reporting: 2, ...options.replicas },
      healthTimeoutMs: 240_000,
      env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', RPC_TIMEOUT_MS: '4000' },
    });
    const [balancerPort] = await findFreePorts(1);
    balancer = await startRoundRobin({ port: balancerPort, upstreams: system.gatewayUrls });
    return await soak(options, system, balancer.url, infra, say);
  } finally {
    await balancer?.stop();
    await system?.stop();
    await infra?.stop();
    for (const key of ['PG_ADMIN_URL', 'SMTP_URL', 'REDIS_URL', 'PROCURA_TEST_DIR']) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    await rm(dir, { recursive: true, force: true });
  }
}

interface Company {
  view: CompanyView;
  makers: FixtureAdministrator[];
  validators: FixtureAdministrator[];
  /** Users to rename. */
  users: string[];
  /** Users without a credential yet. */
  noCredential: string[];
  /** Users with no authorization yet, known to the authorizations service. */
  grantable: string[];
  /** Authorization id per user granted one. */
  granted: Map<string, string>;
}

async function soak(
  options: SoakOptions,
  system: TestSystem,
  api: string,
  infra: SoakInfra,
  say: (line: string) => void,
): Promise<SoakSummary> {
  const samples: Sample[] = [];
  const otherErrors: string[] = [];
  const faultWindows: Array<{ name: string; start: number; end?: number }> = [];
  let loadStart = 0;
  let loadEnd = 0;

  /** One API call through the round-robin, timed and classified; a 503 is retried (counted), anything ≥ 500 else is a failure. */
  async function call<T>(
    op: Operation,
    session: ApiSession,
    method: string,
    path: string,
    body?: unknown,
    retries = 20,
  ): Promise<{ status: number; body: T } | undefined> {
    // A submission retried after a 503 or no answer carries the same key: the first may have
    // been recorded, and the retry must return it instead of submitting the change twice.
    const headers: Record<string, string> = op === 'submit' ? { 'Idempotency-Key': randomUUID() } : {};
    for (let attempt = 0; attempt <= retries; attempt++) {
      const started = Date.now();
      let status = 0;
      let parsed: T | undefined;
      try {
        const res = await session.request<T>(method, path, body, headers);
        status = res.status;
        parsed = res.body;
      } catch (error) {
        otherErrors.push(`${op} ${method} ${path}: no answer (${error instanceof Error ? error.message : String(error)})`);
      }
      samples.push({ op, at: started, ms: Date.now() - started, status });
      if (status === 503 || status === 0) {
        await sleep(500 + attempt * 250);
        continue;
      }
      if (status >= 500) otherErrors.push(`${op} ${method} ${path}: ${status} ${JSON.stringify(parsed).slice(0, 300)}`);
      return { status, body: parsed as T };
    }
    return undefined;
  }

  // --- set-up -------------------------------------------------------------------------
  const operator = ApiSession.operator(api);
  const companies: Company[] = [];
  const principals = new Queue(QUEUES.principals, { connection: { url: system.redisUrl } });
  for (let c = 0; c < options.companies; c++) {
    const digits = `${Date.now()}${c}`.slice(-9);
    const created = await call<CompanyView>('other', operator, 'POST', '/companies', {
      name: `Soak ${digits}`,
      registrationNumber: digits,
      billingMode: 'CLIENT',
      pricingOffer: 'ESSENTIEL',
    });
    if (created?.status !== 201) throw new Error(`could not create a company: ${JSON.stringify(created)}`);
    const view = created.body;
    const admins = await Promise.all(
      Array.from({ length: options.makersPerCompany + options.validatorsPerCompany }, (_, i) =>
        addAdministrator(system.databaseUrl, view.id, { firstName: `${i < options.makersPerCompany ? 'Maker' : 'Validator'}${c}x${i}` }),
      ),
    );
    const users = await addUsers(system.databaseUrl, view.id, 40);
    const grantable = users.slice(20);
    // The authorizations service knows users through identity's principal events; fixtures are written straight to identity.
    await principals.addBulk(
      grantable.map((userId) => ({
        name: JOBS.syncPrincipal.name,
        data: {
          userId,
          companyId: view.id,
          status: 'ACTIVE',
          version: 1,
          credentials: [{ id: randomUUID(), validUntil: null, revoked: false, bankingPower: false }],
        },
        opts: { jobId: `${userId}-v1` },
      })),
    );
    companies.push({
      view,
      makers: admins.slice(0, options.makersPerCompany),
      validators: admins.slice(options.makersPerCompany),
      users: users.slice(0, 10),
      noCredential: users.slice(10, 20),
      grantable,
      granted: new Map(),
    });
  }
  await principals.close();
  say(
    `soak: ${companies.length} companies, ${companies.length * options.makersPerCompany} makers, ${companies.length * options.validatorsPerCompany} validators, ` +
      `${system.processes.length} service processes behind ${api}`,
  );

  // --- load ---------------------------------------------------------------------------
  const submitted: Array<{
    id: string;
    kind: string;
    companyId: string;
    makerId?: string;
    userId?: string;
    revokes?: string;
    /** The new person's e-mail (composite "add a user"): their id is known once applied. */
    email?: string;
  }> = [];
  const revokedAt = new Map<string, number>();
  const checks: Array<{ userId: string; startedAt: number; allowed: boolean }> = [];
  const reports: string[] = [];
  const usedStep = new Map<string, number>();
  const takeStep = (who: string): boolean => {
    const step = totpStep();
    if (usedStep.get(who) === step) return false;
    usedStep.set(who, step);
    return true;
  };
  let running = true;
  const until = () => running;

  async function maker(company: Company, admin: FixtureAdministrator): Promise<void> {
    const session = admin.session(api);
    await sleep(jitter(options.submitEveryMs));
    while (until()) {
      const roll = Math.random();
      let res: { status: number; body: ChangeSubmissionResult } | undefined;
      let record: (typeof submitted)[number] | undefined;
      if (roll < 0.25 && company.noCredential.length > 0 && takeStep(admin.userId)) {
        const userId = company.noCredential.pop()!;
        res = await call('submit', session, 'POST', `/users/${userId}/credentials`, {
          type: 'PERMANENT',
          bankingPower: false,
          totpCode: admin.totp(),
        });
        record = { id: '', kind: 'CREDENTIAL_CREATE', companyId: company.view.id, userId };
      } else if (roll < 0.45 && company.grantable.length > 0) {
        const userId = company.grantable.pop()!;
        res = await call('submit', session, 'POST', `/companies/${company.view.id}/authorizations`, {
          label: `Soak ${userId.slice(0, 8)}`,
          service: CHECK.service,
          effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
          grants: [{ right: CHECK.right, level: CHECK.level }],
          userIds: [userId],
        });
        record = { id: '', kind: 'AUTHORIZATION_CREATE', companyId: company.view.id, userId };
      } else if (roll < 0.6 && [...company.granted.keys()].some((u) => !revokedAt.has(u))) {
        const userId = pick([...company.granted.keys()].filter((u) => !revokedAt.has(u)));
        revokedAt.set(userId, Number.POSITIVE_INFINITY); // submitted, not yet applied
        res = await call('submit', session, 'POST', `/authorizations/${company.granted.get(userId)}/users`, { detach: [userId] });
        record = { id: '', kind: 'AUTHORIZATION_DETACH', companyId: company.view.id, userId, revokes: userId };
      } else if (roll < 0.65) {
        // The console's "add a user": one request, one approval, items applied in order.
        const email = `soak.${randomUUID().slice(0, 12)}@fixture.example`;
        res = await call('submit', session, 'POST', `/companies/${company.view.id}/change-requests`, {
          items: [
            {
              kind: 'USER_CREATE',
              ref: 'person',
              payload: {
                lastName: 'Soak',
                firstName: `C${Math.floor(Math.random() * 1e6)}`,
                birthDate: '1990-01-01',
                email,
                clientType: 'STANDARD',
              },
            },
            { kind: 'RIGHTS_TEMPLATE', payload: { userId: { $ref: 'person' }, template: 'DIRECTOR', services: ['EINVOICING'] } },
            { kind: 'CREDENTIAL_CREATE', payload: { userId: { $ref: 'person' }, type: 'PERMANENT', bankingPower: false } },
          ],
        });
        record = { id: '', kind: 'COMPOSITE_ADD_USER', companyId: company.view.id, email };
      } else if (roll < 0.75) {
        res = await call('submit', session, 'POST', `/companies/${company.view.id}/users`, {
          lastName: 'Soak',
          firstName: `P${Math.floor(Math.random() * 1e6)}`,
          birthDate: '1990-01-01',
          email: `soak.${randomUUID().slice(0, 12)}@fixture.example`,
          clientType: 'STANDARD',
        });
        record = { id: '', kind: 'USER_CREATE', companyId: company.view.id };
      } else {
        const userId = pick(company.users);
        res = await call('submit', session, 'PATCH', `/users/${userId}`, { lastName: `Soak${Math.floor(Math.random() * 1e6)}` });
        record = { id: '', kind: 'USER_UPDATE', companyId: company.view.id, userId };
      }
      if (res?.status === 202 && res.body.changeRequestId)
        submitted.push({ ...record, makerId: admin.userId, id: res.body.changeRequestId });
      else if (record.revokes) revokedAt.delete(record.revokes);
      await sleep(jitter(options.submitEveryMs));
    }
  }

  /** A validator's decision on a request; the answer, or undefined when none was sent or received. */
  async function decide(
    company: Company,
    validator: FixtureAdministrator,
    id: string,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const session = validator.session(api);
    const entry = submitted.find((s) => s.id === id);
    if (Math.random() < 0.15 && entry?.kind !== 'AUTHORIZATION_DETACH')
      return call('reject', session, 'POST', `/change-requests/${id}/reject`, { reason: 'Not asked for by the manager (soak)' });
    if (!takeStep(validator.userId)) return undefined;
    const res = await call<ChangeRequestView>('approve', session, 'POST', `/change-requests/${id}/approve`, {
      totpCode: validator.totp(),
    });
    if (res?.status === 200 && res.body.status === 'APPLIED') noteApplied(entry, res.body);
    return res;
  }

  function noteApplied(entry: (typeof submitted)[number] | undefined, view: ChangeRequestView): void {
    if (!entry?.userId) return;
    const company = companies.find((c) => c.view.id === entry.companyId)!;
    if (entry.kind === 'AUTHORIZATION_CREATE') {
      const result = (view as unknown as { result?: { authorizationId?: string } }).result;
      if (result?.authorizationId) company.granted.set(entry.userId, result.authorizationId);
    }
    if (entry.kind === 'AUTHORIZATION_DETACH' && revokedAt.get(entry.userId) === Number.POSITIVE_INFINITY)
      revokedAt.set(entry.userId, Date.now());
  }

  async function validator(company: Company, admin: FixtureAdministrator): Promise<void> {
    const session = admin.session(api);
    await sleep(jitter(2000));
    while (until()) {
      const inbox = await call<{ items: ChangeRequestView[] }>(
        'inbox',
        session,
        'GET',
        `/companies/${company.view.id}/change-requests?status=PENDING&pageSize=20`,
      );
      const open = (inbox?.body.items ?? []).filter((cr) => cr.status === 'PENDING');
      if (open.length > 0) await decide(company, admin, pick(open).id);
      await sleep(jitter(3000));
    }
  }

  async function portal(): Promise<void> {
    const pause = 1000 / options.checksPerSecond;
    while (until()) {
      const candidates = companies.flatMap((c) => [...c.granted.keys()].map((userId) => ({ c, userId })));
      if (candidates.length > 0) {
        const { c, userId } = pick(candidates);
        const startedAt = Date.now();
        const res = await call<{ allowed: boolean }>('check', c.makers[0].session(api), 'POST', '/check', { userId, ...CHECK });
        if (res?.status === 200) checks.push({ userId, startedAt, allowed: res.body.allowed });
      }
      await sleep(pause);
    }
  }

  async function signIns(): Promise<void> {
    const users = Object.values(DEMO.users);
    const anonymous = ApiSession.anonymous(api);
    while (until()) {
      const user = pick(users);
      // The pharmacy's users sign in with their e-mail (seed 003).
      const login = user.id === DEMO.users.nathalie.id ? DEMO.users.nathalie.email : user.loginId;
      const res = await call('sign-in', anonymous, 'POST', '/auth/login', { login, password: user.password });
      if (res && res.status !== 200) otherErrors.push(`sign-in of ${user.name}: ${res.status}`);
      await sleep(1000 / options.signInsPerSecond);
    }
  }

  async function reportClients(): Promise<void> {
    while (until()) {
      await sleep(jitter(options.reportEveryMs));
      if (!until()) break;
      const company = pick(companies);
      const res = await call<ReportView>('report', company.makers[0].session(api), 'POST', `/companies/${company.view.id}/reports`, {
        type: 'ACCESS_RIGHTS',
      });
      if (res?.status === 202) reports.push(res.body.id);
    }
  }

  async function faults(): Promise<void> {
    const f = options.faults;
    const events: Array<{ at: number; name: string; run: () => Promise<void> }> = [];
    for (let at = f.firstKillAtMs; at < options.durationMs; at += f.killEveryMs) events.push({ at, name: 'kill', run: killRandomReplica });
    events.push({ at: f.redisRestartAtMs, name: 'Redis restart', run: () => infra.restartRedis() });
    events.push({ at: f.postgresStopAtMs, name: 'PostgreSQL stopped 10 s', run: () => infra.restartPostgres(10_000) });
    events.push({ at: f.smtpRefuseAtMs, name: 'SMTP refusing 20 s', run: () => infra.refuseSmtp(20_000) });
    events.sort((a, b) => a.at - b.at);
    // Faults run one after the other, each from its time or when the previous one is over.
    for (const event of events) {
      const wait = loadStart + event.at - Date.now();
      if (wait > 0) await sleep(wait);
      const window: { name: string; start: number; end?: number } = { name: event.name, start: Date.now() };
      faultWindows.push(window);
      // A fault that cannot be carried out (or a replica that does not come back) is a finding, not a crash of the soak.
      await event.run().catch((error: unknown) => {
        otherErrors.push(`${event.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
      // Over when the system is whole again: every live process serving (a crashed one is reported at the end).
      await wholeAgain().catch((error: unknown) => {
        otherErrors.push(`after ${event.name}: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
      });
      window.end = Date.now();
      say(
        `soak: ${((window.start - loadStart) / 1000).toFixed(0)} s ${window.name}${window.name === 'kill' ? ` ${killedLast}` : ''}, whole again after ${((window.end - window.start) / 1000).toFixed(1)} s`,
      );
    }
  }

  /** Every live process serving: a back-end replica's heartbeat current, a gateway ready. */
  async function serving(proc: ServiceProcess, redis: Redis): Promise<boolean> {
    if (proc.service === 'gateway') {
      const url = system.gatewayUrls[Number(proc.instanceId.split('-')[1])];
      return fetch(`${url}/api/v1/health/ready`)
        .then((r) => r.status === 200)
        .catch(() => false);
    }
    return Number(await redis.zscore(rpcKeys.presence(proc.service as RpcServiceName), proc.instanceId).catch(() => 0)) > Date.now();
  }

  async function wholeAgain(): Promise<void> {
    const redis = new Redis(system.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      await progressUntil(
        'every live process to serve',
        async () => {
          const alive = system.processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
          const states = await Promise.all(alive.map((p) => serving(p, redis)));
          return states.filter((ok) => !ok).length;
        },
        () => undefined,
        250,
      );
    } finally {
      redis.disconnect();
    }
  }

  let killedLast = '';
  const killedOnPurpose = new Set<string>();
  async function killRandomReplica(): Promise<void> {
    const alive = system.processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const twins = alive.filter((p) => alive.filter((q) => q.service === p.service).length > 1);
    if (twins.length === 0) return;
    const victim = pick(twins);
    killedLast = victim.instanceId;
    killedOnPurpose.add(victim.instanceId);
    const replica = Number(victim.instanceId.split('-')[1]);
    const exited = new Promise<void>((done) => victim.child.once('exit', () => done()));
    victim.child.kill('SIGKILL');
    await exited;
    const gatewayUrl = system.gatewayUrls[replica];
    const fresh = system.spawn(victim.service, replica, victim.service === 'gateway' ? { PORT: new URL(gatewayUrl).port } : {});
    // Whole again only once the new process serves (the dead one's heartbeat lingers for 3 s).
    const redis = new Redis(system.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      // A start makes no countable progress: allow it 180 s while the process lives (a loaded 2-core machine).
      const deadline = Date.now() + 180_000;
      while (!(await serving(fresh, redis))) {
        if (fresh.child.exitCode !== null) throw new Error(`${fresh.instanceId} exited at start: ${fresh.output.slice(-5).join(' | ')}`);
        if (Date.now() > deadline) throw new Error(`${fresh.instanceId} did not serve within 180 s of its start`);
        await sleep(250);
      }
    } finally {
      redis.disconnect();
    }
  }

  loadStart = Date.now();
  say(`soak: load for ${(options.durationMs / 1000).toFixed(0)} s with faults`);
  const actors = [
    ...companies.flatMap((c) => c.makers.map((m) => maker(c, m))),
    ...companies.flatMap((c) => c.validators.map((v) => validator(c, v))),
    portal(),
    signIns(),
    reportClients(),
  ];
  const faulting = faults();
  await sleep(options.durationMs);
  await faulting; // a fault still running finishes first, so the "after" phase is after it
  const afterStart = Date.now();
  await sleep(Math.min(20_000, options.durationMs / 4));
  running = false;
  await Promise.all(actors);
  loadEnd = Date.now();
  say(`soak: load stopped after ${((loadEnd - loadStart) / 1000).toFixed(0)} s; draining`);

  // --- drain: every request decided, every decision applied -----------------------------
  const failures: string[] = [];
  /** The last answer refusing a validator's decision during the drain, per request: why one stays open. */
  const lastRefusal = new Map<string, string>();
  const settle = (what: string, remaining: () => Promise<number>) =>
    progressUntil(what, remaining, say).catch(
      (error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)),
    );
  const byCompany = new Map(companies.map((c) => [c.view.id, c]));
  const status = async (id: string, companyId: string) =>
    (await call<ChangeRequestView>('other', byCompany.get(companyId)!.makers[0].session(api), 'GET', `/change-requests/${id}`))?.body;
  await settle('every change request to reach a final status', async () => {
    let open = 0;
    for (const entry of submitted) {
      const view = await status(entry.id, entry.companyId);
      if (!view || FINAL.has(view.status)) {
        if (view?.status === 'APPLIED') noteApplied(entry, view);
        continue;
      }
      open++;
      if (view.status === 'PENDING') {
        // A validator who has not approved this one yet and still has a code this step.
        const company = byCompany.get(entry.companyId)!;
        const approvedBy = new Set(view.approvals.map((a) => a.validatorUserId));
        const free = company.validators.find((v) => !approvedBy.has(v.userId) && usedStep.get(v.userId) !== totpStep());
        if (free) {
          const answer = await decide(company, free, entry.id);
          if (answer && answer.status >= 400) lastRefusal.set(entry.id, `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
    }
    return open;
  });

  /**
   * Tells a passing stale copy from a revocation that did not hold: per user, how long
   * after the revocation the stale answers came, which fault windows they fell in, what
   * the check says now and which authorizations still hold the user in the database.
   */
  async function explainStaleGrants(stale: typeof checks): Promise<string[]> {
    const byUser = new Map<string, number[]>();
    for (const c of stale) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c.startedAt]);
    const lines: string[] = [];
    for (const [userId, starts] of byUser) {
      const revoked = revokedAt.get(userId)!;
      const company = companies.find((c) => c.granted.has(userId))!;
      const now = await call<{ allowed: boolean }>('other', company.makers[0].session(api), 'POST', '/check', { userId, ...CHECK });
      const held = await queryRows<{ authorization_id: string }>(
        system.databaseUrl,
        `SELECT authorization_id FROM authorizations.authorization_users WHERE user_id = $1`,
        [userId],
      );
      const faultsHit = faultWindows
        .filter((w) => starts.some((t) => t >= w.start - 1000 && t <= (w.end ?? Infinity) + 1000))
        .map((w) => w.name);
      lines.push(
        `  stale: user ${userId}: ${starts.length} check(s) +${Math.min(...starts) - revoked} to +${Math.max(...starts) - revoked} ms after the revocation returned` +
          ` (at ${((revoked - loadStart) / 1000).toFixed(0)} s of load); near faults: ${faultsHit.join(', ') || 'none'};` +
          ` allowed now: ${now?.body.allowed}; authorizations holding the user now: ${held.map((h) => h.authorization_id).join(', ') || 'none'}` +
          ` (revoked from ${company.granted.get(userId)})`,
      );
    }
    return lines;
  }

  // --- verify ---------------------------------------------------------------------------
  const views = await Promise.all(submitted.map(async (s) => ({ s, view: (await status(s.id, s.companyId))! })));
  const notFinal = views.filter((v) => !FINAL.has(v.view?.status));
  if (notFinal.length)
    failures.push(
      `${notFinal.length} change requests not final:`,
      ...notFinal
        .slice(0, 5)
        .map(
          (v) =>
            `  ${v.s.id} ${v.s.kind} ${v.view?.status}, approvals ${v.view?.approvals.length}/${v.view?.requiredApprovals}; last refusal: ${lastRefusal.get(v.s.id) ?? 'none'}`,
        ),
    );
  const byStatus = new Map<string, number>();
  for (const { view } of views) byStatus.set(view?.status, (byStatus.get(view?.status) ?? 0) + 1);

  const applied = views.filter((v) => v.view.status === 'APPLIED').map((v) => v.s.id);
  const appliedRows = await queryRows<{ cr: string; n: string }>(
    system.databaseUrl,
    `SELECT i.change_request_id AS cr,
            (SELECT count(*) FROM identity.applied_changes a WHERE a.change_request_id = i.id)
          + (SELECT count(*) FROM authorizations.applied_changes a WHERE a.change_request_id = i.id)
          + (SELECT count(*) FROM reporting.applied_changes a WHERE a.change_request_id = i.id) AS n
       FROM authorizations.change_request_items i WHERE i.change_request_id = ANY($1::uuid[])`,
    [applied],
  );
  const notOnce = appliedRows.filter((r) => Number(r.n) !== 1);
  if (notOnce.length) failures.push(`${notOnce.length} applied items not in their owner's table exactly once`);

  // Welcome e-mails of the credentials created: each at the SMTP server once, or dead-lettered with a reason.
  const addedEmails = views.filter((v) => v.s.kind === 'COMPOSITE_ADD_USER' && v.view.status === 'APPLIED').map((v) => v.s.email!);
  const addedUsers = await queryRows<{ id: string }>(system.databaseUrl, `SELECT id FROM identity.users WHERE email = ANY($1::text[])`, [
    addedEmails,
  ]);
  if (addedUsers.length !== addedEmails.length)
    failures.push(`${addedEmails.length - addedUsers.length} users of applied "add a user" requests missing`);
  const credentialUsers = [
    ...views.filter((v) => v.s.kind === 'CREDENTIAL_CREATE' && v.view.status === 'APPLIED').map((v) => v.s.userId!),
    ...addedUsers.map((u) => u.id),
  ];
  await settle('every welcome e-mail to be sent or dead-lettered', async () => {
    const rows = await queryRows<{ status: string }>(
      system.databaseUrl,
      `SELECT m.status::text AS status FROM notifications.messages m JOIN identity.credentials c ON m.event_key = 'welcome:' || c.id
          WHERE c.user_id = ANY($1::uuid[])`,
      [credentialUsers],
    );
    return credentialUsers.length - rows.filter((r) => r.status === 'SENT' || r.status === 'FAILED').length;
  });
  const welcome = await (async () => {
    const emails = await queryRows<{ email: string; status: string; last_error: string | null }>(
      system.databaseUrl,
      `SELECT u.email, m.status::text AS status, m.last_error FROM identity.users u JOIN identity.credentials c ON c.user_id = u.id
         JOIN notifications.messages m ON m.event_key = 'welcome:' || c.id WHERE u.id = ANY($1::uuid[])`,
      [credentialUsers],
    );
    const mails = await readCaughtMail(infra.mailDir);
    let sent = 0;
    let dead = 0;
    for (const row of emails) {
      const copies = mails.filter((m) => m.to.includes(row.email) && m.headers['x-procura-template'] === 'welcome-login-id').length;
      if (row.status === 'SENT' && copies === 1) sent++;
      else if (row.status === 'FAILED' && row.last_error && copies <= 1) dead++;
      else failures.push(`welcome e-mail to ${row.email}: ${row.status}, ${copies} copies`);
    }
    return { sent, dead, total: credentialUsers.length };
  })();

  // Reports: READY, with a PDF that parses.
  const reportSession = companies[0].makers[0].session(api);
  await settle('every report to be READY', async () => {
    let open = 0;
    for (const id of reports) {
      const view = await call<ReportView>('other', reportSession, 'GET', `/reports/${id}`);
      if (view?.body.status !== 'READY' && view?.body.status !== 'FAILED' && view?.status !== 404) open++;
    }
    return open;
  });
  let pdfs = 0;
  for (const id of reports) {
    const row = await queryRows<{ company_id: string; status: string }>(
      system.databaseUrl,
      `SELECT company_id, status::text AS status FROM reporting.reports WHERE id = $1`,
      [id],
    );
    const company = companies.find((c) => c.view.id === row[0]?.company_id) ?? companies[0];
    if (row[0]?.status !== 'READY') {
      failures.push(`report ${id}: ${row[0]?.status}`);
      continue;
    }
    const file = await company.makers[0].session(api).raw(`/reports/${id}/file`);
    const bytes = Buffer.from(await file.arrayBuffer());
    try {
      if ((await readPdf(bytes)).pages.length > 0) pdfs++;
    } catch (error) {
      failures.push(`report ${id}: the PDF does not parse (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  // Audit chains.
  for (const company of companies) {
    const verify = await call<{ valid: boolean; entries: number }>(
      'other',
      company.makers[0].session(api),
      'GET',
      `/companies/${company.view.id}/audit/verify`,
    );
    if (!verify?.body.valid) failures.push(`audit chain of ${company.view.id} does not verify: ${JSON.stringify(verify?.body)}`);
  }

  // No process died on its own (a crash under a fault is a defect, whatever recovered after).
  for (const proc of system.processes) {
    if ((proc.child.exitCode === null && proc.child.signalCode === null) || killedOnPurpose.has(proc.instanceId)) continue;
    failures.push(
      `${proc.instanceId} exited by itself (${proc.child.signalCode ?? proc.child.exitCode}): ${proc.output.slice(-6).join(' | ').slice(0, 1500)}`,
    );
  }

  // No check granted a right once the approval that revoked it had returned.
  const staleGrants = checks.filter((c) => c.allowed && c.startedAt > (revokedAt.get(c.userId) ?? Number.POSITIVE_INFINITY));
  if (staleGrants.length) {
    failures.push(`${staleGrants.length} checks granted a right after its revocation was applied`);
    failures.push(...(await explainStaleGrants(staleGrants)));
  }
  if (otherErrors.length)
    failures.push(
      ...otherErrors.slice(0, 20).map((e) => `error: ${e}`),
      ...(otherErrors.length > 20 ? [`… ${otherErrors.length - 20} more errors`] : []),
    );

  // --- summary --------------------------------------------------------------------------
  const phaseOf = (at: number): Phase => {
    if (faultWindows.some((w) => at >= w.start && at <= (w.end ?? Infinity))) return 'during';
    if (faultWindows.length === 0 || at < faultWindows[0].start) return 'before';
    if (at >= afterStart) return 'after';
    return 'between';
  };
  const loadSamples = samples.filter((s) => s.at >= loadStart && s.at <= loadEnd);
  const lines = [
    `soak summary: ${((loadEnd - loadStart) / 1000).toFixed(0)} s of load, ${system.processes.length} service processes started (kills and restarts included)`,
    `  faults: ${faultWindows.map((w) => `${w.name} at ${((w.start - loadStart) / 1000).toFixed(0)} s (${(((w.end ?? w.start) - w.start) / 1000).toFixed(1)} s)`).join('; ')}`,
    `  change requests: ${submitted.length} submitted; ${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}; all final: ${notFinal.length === 0}`,
    `  by kind: ${[...new Set(submitted.map((e) => e.kind))].map((k) => `${k} ${submitted.filter((e) => e.kind === k).length}`).join(', ')}; "add a user" applied: ${addedEmails.length}`,
    `  applied items in their owner's table exactly once: ${appliedRows.length - notOnce.length} of ${appliedRows.length}`,
    `  welcome e-mails: ${welcome.sent} sent once, ${welcome.dead} dead-lettered with a reason, of ${welcome.total}`,
    `  reports: ${reports.length} ordered, ${pdfs} READY with a PDF that parses`,
    `  audit chains: ${companies.length} verified`,
    `  checks: ${checks.length}, ${checks.filter((c) => c.allowed).length} allowed; granted after a revocation had returned: ${staleGrants.length} (${[...revokedAt.values()].filter(Number.isFinite).length} revocations)`,
    `  answers: ${loadSamples.length}; 503 problem+json: ${loadSamples.filter((s) => s.status === 503).length}; no answer: ${loadSamples.filter((s) => s.status === 0).length}; other 5xx: ${loadSamples.filter((s) => s.status >= 500 && s.status !== 503).length}`,
    '  latency (ms) p50 / p95 / p99 (count) per operation and phase:',
  ];
  const ops: Operation[] = ['submit', 'approve', 'reject', 'inbox', 'check', 'sign-in', 'report'];
  const phases: Phase[] = ['before', 'during', 'between', 'after'];
  lines.push(`    ${'operation'.padEnd(10)}${phases.map((p) => p.padEnd(26)).join('')}`);
  for (const op of ops) {
    const cells = phases.map((phase) => {
      const ms = loadSamples.filter((s) => s.op === op && phaseOf(s.at) === phase && s.status > 0 && s.status < 500).map((s) => s.ms);
      return (ms.length ? `${pct(ms, 50)} / ${pct(ms, 95)} / ${pct(ms, 99)} (${ms.length})` : '–').padEnd(26);
    });
    lines.push(`    ${op.padEnd(10)}${cells.join('')}`);
  }
  lines.push(`  result: ${failures.length === 0 ? 'PASSED' : `FAILED (${failures.length})`}`, ...failures.map((f) => `    ${f}`));
  return { ok: failures.length === 0, failures, text: lines.join('\n') };
}

function pct(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))].toFixed(0);
}

/**
 * Waits while `remaining()` (how much is left) keeps going down: fails only after 60 s
 * without progress, so a loaded machine gets the time it needs and a stuck one does not hang.
 */
async function progressUntil(what: string, remaining: () => Promise<number>, say: (line: string) => void, pollMs = 2000): Promise<void> {
  const stallMs = 60_000;
  let best = Number.POSITIVE_INFINITY;
  let lastProgress = Date.now();
  for (;;) {
    const left = await remaining();
    if (left === 0) return;
    if (left < best) {
      best = left;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > stallMs) throw new Error(`no progress for ${stallMs / 1000} s waiting for ${what} (${left} left)`);
    if (pollMs >= 1000) say(`soak: waiting for ${what}: ${left} left`);
    await sleep(pollMs);
  }
}
