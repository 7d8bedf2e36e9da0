// Private databases for tests that need their own data. They are copied from a template
// that nobody connects to: PostgreSQL refuses to copy a database that has sessions open,
// and the shared test database (DATABASE_URL) always may have some in a parallel run.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** The migrated copy every scratch database is made from; connections to it are refused. */
export const TEMPLATE_DATABASE = 'procura_template';

function adminUrlFromEnv(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set: is the Jest global setup configured?');
  return url;
}

/** Runs `work` on a connection of its own to `url`, closed afterwards whatever happens. */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Snapshots the freshly migrated `source` as the template and closes it to connections,
 * so that no test can ever hold it open. Run once, by the global setup, before any worker.
 */
export async function createTemplateDatabase(adminUrl: string, source: string): Promise<void> {
  await withPgClient(adminUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}" TEMPLATE "${source}"`);
    await admin.query(`ALTER DATABASE "${TEMPLATE_DATABASE}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  });
}

/** Creates an empty, migrated database of its own for one test file and returns its URL. */
export async function createScratchDatabase(prefix: string): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`Invalid scratch database prefix "${prefix}"`);
  const adminUrl = adminUrlFromEnv();
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withPgClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
