// TEST_INFRA=testcontainers: the same services as containers, for machines with a
// container engine but without the local binaries. Mail then goes to Mailpit, whose
// messages are not files: SMTP_CATCHER_DIR stays unset and MAILPIT_URL is exported.
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { startAll, type TestInfra } from './test-infra';

const DB_USER = 'procura';
const DB_PASSWORD = 'procura';
const DB_NAME = 'procura_test';

function asService(
  name: string,
  container: StartedTestContainer,
): { name: string; container: StartedTestContainer; stop(): Promise<void> } {
  return { name, container, stop: async () => void (await container.stop()) };
}

export async function startContainerInfra(dir: string): Promise<TestInfra> {
  const [postgres, redis, mailpit] = await startAll(dir, [
    {
      name: 'postgres',
      start: async () =>
        asService(
          'postgres',
          await new GenericContainer('postgres:18')
            .withEnvironment({ POSTGRES_USER: DB_USER, POSTGRES_PASSWORD: DB_PASSWORD, POSTGRES_DB: DB_NAME })
            .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
            .withTmpFs({ '/var/lib/postgresql': 'rw' })
            .withExposedPorts(5432)
            // The entrypoint runs a temporary server during init: the second "ready" is the real one.
            .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
            .start(),
        ),
    },
    {
      name: 'redis',
      start: async () =>
        asService(
          'redis',
          await new GenericContainer('redis:7')
            .withExposedPorts(6379)
            .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
            .start(),
        ),
    },
    {
      name: 'mailpit',
      start: async () =>
        asService(
          'mailpit',
          await new GenericContainer('axllent/mailpit').withExposedPorts(1025, 8025).withWaitStrategy(Wait.forListeningPorts()).start(),
        ),
    },
  ]);

  const pgHost = postgres.container.getHost();
  const pgPort = postgres.container.getMappedPort(5432);
  const pgServer = `postgresql://${DB_USER}:${DB_PASSWORD}@${pgHost}:${pgPort}`;
  return {
    provider: 'testcontainers',
    dir,
    services: [postgres, redis, mailpit],
    env: {
      DATABASE_URL: `${pgServer}/${DB_NAME}`,
      PG_ADMIN_URL: `${pgServer}/postgres`,
      REDIS_URL: `redis://${redis.container.getHost()}:${redis.container.getMappedPort(6379)}`,
      SMTP_URL: `smtp://${mailpit.container.getHost()}:${mailpit.container.getMappedPort(1025)}`,
      MAILPIT_URL: `http://${mailpit.container.getHost()}:${mailpit.container.getMappedPort(8025)}`,
    },
  };
}
