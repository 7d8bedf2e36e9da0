import { dependencyUnavailable } from './unavailable';

describe('dependencyUnavailable', () => {
  const prismaUnreachable = Object.assign(
    new Error("Invalid `prisma.$queryRawUnsafe()` invocation: Can't reach database server at 127.0.0.1:5432"),
    {
      code: 'P1001',
    },
  );

  it.each([
    ['Prisma cannot reach PostgreSQL', prismaUnreachable, 'PostgreSQL'],
    [
      'Prisma pool timeout',
      Object.assign(new Error('Timed out fetching a new connection from the connection pool'), { code: 'P2024' }),
      'PostgreSQL',
    ],
    [
      'PostgreSQL shutting down (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      'PostgreSQL',
    ],
    ['pg connection terminated', new Error('Connection terminated unexpectedly'), 'PostgreSQL'],
    [
      'ioredis out of retries',
      Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }),
      'Redis',
    ],
    ['ioredis closed', new Error('Connection is closed.'), 'Redis'],
    ['ioredis command past its timeout', new Error('Command timed out'), 'Redis'],
    [
      'a Prisma transaction past its time limit',
      Object.assign(new Error('Transaction API error: Transaction already closed'), { code: 'P2028' }),
      'PostgreSQL',
    ],
    [
      'a socket reset, as a cause',
      new Error('query failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
      'A server',
    ],
  ])('makes %s a 503 SERVICE_UNAVAILABLE naming the dependency', (_label, error, dependency) => {
    const mapped = dependencyUnavailable(error, 'authorizations');
    expect(mapped).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      extra: { service: 'authorizations', dependency, retryAfter: 5 },
    });
  });

  it('leaves defects alone: they stay 500s', () => {
    expect(dependencyUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"), 'gateway')).toBeUndefined();
    expect(dependencyUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }), 'gateway')).toBeUndefined();
    expect(dependencyUnavailable('a string', 'gateway')).toBeUndefined();
  });
});
