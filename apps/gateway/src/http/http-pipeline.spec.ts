import { requestContext } from '@procura/logging';
import Fastify, { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { randomInt, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { gatewayServerOptions, installHttpPipeline, logsAccess, RateLimits } from './http-pipeline';

/** The gateway's request pipeline on real Fastify servers, over HTTP, with the run's Redis. */
describe('installHttpPipeline', () => {
  const servers: FastifyInstance[] = [];
  const connections: Redis[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    connections.forEach((c) => c.disconnect());
  });

  async function gateway(
    options: {
      perMinute?: number;
      loginPerMinute?: number;
      perApiKeyMinute?: number;
      knownApiKeys?: Record<string, string>;
      trustedProxies?: string[];
      publicUrl?: string;
      redisUrl?: string;
    } = {},
  ) {
    const fastify = Fastify(
      gatewayServerOptions({ trustedProxies: options.trustedProxies ?? [], publicUrl: options.publicUrl ?? 'http://localhost' }),
    );
    const redis = new Redis(options.redisUrl ?? process.env.REDIS_URL!, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    connections.push(redis);
    await redis.connect().catch(() => undefined);
    const rateLimits: RateLimits = {
      redis,
      perMinute: options.perMinute ?? 1000,
      loginPerMinute: options.loginPerMinute ?? 1000,
      login: { method: 'POST', url: '/login' },
      perApiKeyMinute: options.perApiKeyMinute ?? 1000,
      knownApiKey: (token) => options.knownApiKeys?.[token],
    };
    await installHttpPipeline(fastify, { accessLog: false, rateLimits, publicUrl: options.publicUrl ?? 'http://localhost' });
    fastify.get('/who/:id', async () => ({ requestId: requestContext.requestId(), ip: undefined }));
    fastify.post('/login', async (req) => ({ ip: req.ip }));
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    servers.push(fastify);
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      return {
        statusCode: res.status,
        headers: Object.fromEntries(res.headers),
        body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
      };
    };
    return { base, call, get: (headers: Record<string, string> = {}) => call('/who/1', { headers }) };
  }
  /** A client address of our own for each test: the counters live in the run's Redis. */
  const address = () => `198.51.100.${randomInt(1, 254)}`;

  it('echoes a sane X-Request-Id, makes one otherwise, and runs the handler in its logging context', async () => {
    const { get } = await gateway();
    const echoed = await get({ 'x-request-id': 'portal-req-12345' });
    expect(echoed.headers['x-request-id']).toBe('portal-req-12345');
    expect(echoed.body).toEqual({ requestId: 'portal-req-12345' });
    const made = await get({ 'x-request-id': 'bad id with spaces' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body).toEqual({ requestId: made.headers['x-request-id'] });
  });

  it('answers 429 problem+json with Retry-After past the per-address budget, shared by every replica', async () => {
    const proxies = { trustedProxies: ['127.0.0.1'], perMinute: 3 };
    const [one, two] = [await gateway(proxies), await gateway(proxies)];
    const client = { 'x-forwarded-for': address() };
    // Two replicas behind the same proxy: the budget is the address's, not each process's.
    const statuses = [await one.get(client), await two.get(client), await one.get(client), await two.get(client)].map((r) => r.statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await one.get(client);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: limited.headers['x-request-id'] });
    // Another address has its own budget.
    expect((await two.get({ 'x-forwarded-for': address() })).statusCode).toBe(200);
  });

  it('gives an API key the gateway has authenticated its own budget; unknown keys count against the address', async () => {
    const keyId = randomUUID();
    const { get } = await gateway({
      trustedProxies: ['127.0.0.1'],
      perMinute: 2,
      perApiKeyMinute: 4,
      knownApiKeys: { 'portal-key-0123456789': keyId },
    });
    const portal = { 'x-forwarded-for': address(), authorization: 'Bearer portal-key-0123456789' };
    // A portal's server: past the address's budget of 2, up to its key's 4.
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(portal)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // Made-up keys from one address do not buy budgets: they share the address's.
    const forger = { 'x-forwarded-for': address() };
    const forged = [];
    for (let i = 0; i < 3; i++) forged.push((await get({ ...forger, authorization: `Bearer made-up-key-${i}-0123456789` })).statusCode);
    expect(forged).toEqual([200, 200, 429]);
  });

  it('limits sign-in attempts per address separately and more strictly', async () => {
    const { call } = await gateway({ trustedProxies: ['127.0.0.1'], loginPerMinute: 2 });
    const headers = { 'x-forwarded-for': address() };
    const login = () => call('/login', { method: 'POST', headers });
    expect([(await login()).statusCode, (await login()).statusCode, (await login()).statusCode]).toEqual([200, 200, 429]);
    expect((await call('/who/1', { headers })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from the proxies named: forged addresses share the real one budget', async () => {
    const { call, base } = await gateway({ loginPerMinute: 5 });
    const statuses: number[] = [];
    // 40 attempts, each claiming another address (all passed the per-address limit before).
    for (let i = 0; i < 40; i++)
      statuses.push((await call('/login', { method: 'POST', headers: { 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const seen = await fetch(`${base}/login`, { method: 'POST' });
    expect(seen.status).toBe(429);
  });

  it('lets requests through, quickly, when Redis cannot count them', async () => {
    const { get } = await gateway({ perMinute: 1, redisUrl: 'redis://127.0.0.1:1' });
    const started = Date.now();
    expect([(await get()).statusCode, (await get()).statusCode]).toEqual([200, 200]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends the security headers on every response, HSTS only behind an https public URL', async () => {
    const plain = await gateway();
    const ok = await plain.get();
    expect(ok.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self';connect-src 'self';" +
        "object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['x-frame-options']).toBe('DENY');
    expect(ok.headers['strict-transport-security']).toBeUndefined();
    const secure = await gateway({ publicUrl: 'https://procura.example.com' });
    expect((await secure.get()).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect((await secure.call('/no/such/route')).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it("answers what the router refuses as problem+json with a request id and the security headers, not Fastify's JSON", async () => {
    const { call } = await gateway();
    const badUrl = await call('/who/%E0%A4%A');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badUrl.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'url' }], requestId: badUrl.headers['x-request-id'] });
    expect(badUrl.headers['x-content-type-options']).toBe('nosniff');
    const longParam = await call(`/who/${'a'.repeat(5000)}`);
    expect(longParam.statusCode).toBe(414);
    expect(longParam.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(longParam.body).toMatchObject({ code: 'URI_TOO_LONG', requestId: longParam.headers['x-request-id'] });
  });

  it("answers what Node's HTTP parser refuses as problem+json with a request id", async () => {
    const { base } = await gateway();
    const { port } = new URL(base);
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /who/1 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(raw).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(JSON.parse(raw.split('\r\n\r\n')[1])).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('writes access logs at info, debug and trace only', () => {
    expect(['info', 'debug', 'trace'].map(logsAccess)).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map(logsAccess)).toEqual([false, false, false, false]);
  });
});
