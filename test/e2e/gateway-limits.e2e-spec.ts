import { DEMO } from '@procura/contracts';
import { ApiResponse, ApiSession, SYSTEM_START_HOOK_TIMEOUT_MS, TestSystem } from '@procura/testing';

interface Problem {
  status: number;
  code: string;
  requestId?: string;
}

const LOGIN_LIMIT = 5;

/**
 * The sign-in limit on real gateway processes: two replicas in front of one Redis, with
 * no back-end service at all (a sign-in answers 503 until the limit, then 429). A private
 * system: the shared one runs with limits high enough for many test files at once.
 */
describe('Gateway limits (e2e)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({
      services: ['gateway'],
      replicas: { gateway: 2 },
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGIN_LIMIT) },
    });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => system?.stop());

  const signIn = (baseUrl: string, headers: Record<string, string> = {}) =>
    ApiSession.anonymous(baseUrl).post<Problem>('/auth/login', { loginId: '10000000000008', password: 'whatever-1' }, headers);

  it('counts sign-in attempts per client address across every gateway replica, then answers 429 problem+json with Retry-After', async () => {
    const [one, two] = system.gatewayUrls;
    const answers: Array<ApiResponse<Problem>> = [];
    for (let i = 0; i < LOGIN_LIMIT + 2; i++) answers.push(await signIn(i % 2 === 0 ? one : two));
    // No identity service here: an attempt within the budget is a 503, one beyond it never reaches the service.
    expect(answers.map((a) => a.status)).toEqual([...Array(LOGIN_LIMIT).fill(503), 429, 429]);
    const limited = answers[LOGIN_LIMIT];
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: limited.headers.get('x-request-id') });
    // Other routes keep their own, larger budget.
    expect((await ApiSession.anonymous(one).get('/health')).status).toBe(503);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy: forged addresses do not buy attempts', async () => {
    // Before: 40 sign-ins from loopback claiming 40 addresses all passed the per-address limit.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await signIn(system.gatewayUrls[i % 2], { 'x-forwarded-for': `203.0.113.${i}` })).status);
    // The loopback address's own budget at most (it may have been used up by the test above).
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(LOGIN_LIMIT);
    expect(statuses.at(-1)).toBe(429);
  });
});

/**
 * A portal's server calls for all its users from one address with its operator API key:
 * once the gateway has authenticated the key, the key has its own budget, not the
 * address's; a key it does not know (made up, or revoked) keeps counting against the address.
 */
describe('Gateway limits per API key (e2e)', () => {
  const ADDRESS_LIMIT = 4;
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start({
      services: ['gateway', 'identity'],
      // The test's own client address (the start-up's health polls spend 127.0.0.1's budget).
      env: { RATE_LIMIT_PER_MINUTE: String(ADDRESS_LIMIT), API_KEY_RATE_LIMIT_PER_MINUTE: '1000', TRUSTED_PROXIES: '127.0.0.1' },
    });
  }, SYSTEM_START_HOOK_TIMEOUT_MS);
  afterAll(async () => system?.stop());

  it("lets an authenticated API key past its address's budget, and keeps made-up keys within it", async () => {
    const from = { 'x-forwarded-for': '198.51.100.77' };
    const portal = ApiSession.operator(system.baseUrl, DEMO.operator.apiKey);
    const statuses: number[] = [];
    for (let i = 0; i < ADDRESS_LIMIT * 3; i++) statuses.push((await portal.get('/operators/me', from)).status);
    // The first call, before the key is known, counts against the address; none is refused.
    expect(statuses).toEqual(Array(ADDRESS_LIMIT * 3).fill(200));

    const forged: number[] = [];
    for (let i = 0; i < ADDRESS_LIMIT + 2; i++)
      forged.push((await ApiSession.operator(system.baseUrl, `made-up-operator-key-${i}-000000`).get('/operators/me', from)).status);
    // The address had one request left (the portal's first); made-up keys get 401 until it is spent, then 429.
    expect(forged.filter((s) => s === 401).length).toBe(ADDRESS_LIMIT - 1);
    expect(forged.slice(ADDRESS_LIMIT - 1)).toEqual(Array(3).fill(429));
  });
});
