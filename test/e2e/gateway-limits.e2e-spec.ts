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
