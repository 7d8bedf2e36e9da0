import { requestContext } from '@procura/logging';
import Fastify from 'fastify';
import { installHttpPipeline, logsAccess } from './http-pipeline';

/** The gateway's request pipeline on a real Fastify server, over HTTP. */
describe('installHttpPipeline', () => {
  async function app(rateLimitPerMinute: number) {
    const fastify = Fastify({ trustProxy: 'loopback' });
    installHttpPipeline(fastify, { accessLog: false, rateLimitPerMinute });
    fastify.get('/who', async () => ({ requestId: requestContext.requestId() }));
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const get = async (headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}/who`, { headers });
      return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as Record<string, unknown> };
    };
    return { fastify, get };
  }

  it('echoes a sane X-Request-Id, makes one otherwise, and runs the handler in its logging context', async () => {
    const { fastify, get } = await app(100);
    const echoed = await get({ 'x-request-id': 'portal-req-12345' });
    expect(echoed.headers['x-request-id']).toBe('portal-req-12345');
    expect(echoed.body).toEqual({ requestId: 'portal-req-12345' });
    const made = await get({ 'x-request-id': 'bad id with spaces' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body).toEqual({ requestId: made.headers['x-request-id'] });
    await fastify.close();
  });

  it('answers 429 problem+json with Retry-After past the per-IP budget, per client address', async () => {
    const { fastify, get } = await app(3);
    // The client's address as a local reverse proxy forwards it (trusted from loopback only).
    const client = (ip: string) => ({ 'x-forwarded-for': ip });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(client('192.0.2.1'))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(client('192.0.2.1'));
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: limited.headers['x-request-id'] });
    // Another address has its own budget.
    expect((await get(client('192.0.2.2'))).statusCode).toBe(200);
    await fastify.close();
  });

  it('writes access logs at info, debug and trace only', () => {
    expect(['info', 'debug', 'trace'].map(logsAccess)).toEqual([true, true, true]);
    expect(['warn', 'error', 'fatal', 'silent'].map(logsAccess)).toEqual([false, false, false, false]);
  });
});
