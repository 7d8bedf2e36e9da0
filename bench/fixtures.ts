/**
 * Large data sets for the benchmarks, written straight in SQL (minutes through the API):
 * the same users on both sides of the identity/authorizations seam.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The user ids of the fixtures, as PostgreSQL computes them (pg_temp.v4). */
export const fixtureUserId = (i: number): string => {
  const hex = createHash('md5').update(`u${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/**
 * Runs `fill` in one transaction on its own connection, then refreshes the planner
 * statistics of `tables`. In `fill`, pg_temp.v4(md5) turns an md5 into the version-4
 * UUID fixtureUserId computes (the API validates user ids as v4).
 */
async function bulkInsert(databaseUrl: string, tables: string, fill: (pg: Client) => Promise<void>): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(
      `CREATE OR REPLACE FUNCTION pg_temp.v4(h text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $f$ SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid $f$`,
    );
    await pg.query('BEGIN');
    await fill(pg);
    await pg.query('COMMIT');
    await pg.query(`ANALYZE ${tables}`);
  } finally {
    await pg.end();
  }
}

/**
 * In authorizations: `users` principals with an active credential, each on
 * `authorizationsPerUser` authorizations (2 grants each; the first is banking on one
 * contract, the last has ended an hour ago). User ids are fixtureUserId(1..users).
 */
export async function insertRightsFixtures(
  databaseUrl: string,
  company: string,
  users: number,
  authorizationsPerUser: number,
): Promise<void> {
  const tables =
    'authorizations.principals, authorizations.principal_credentials, authorizations.authorizations, authorizations.authorization_grants, authorizations.authorization_users';
  await bulkInsert(databaseUrl, tables, async (pg) => {
    await pg.query(
      `
      INSERT INTO authorizations.principals (user_id, company_id, status, version, updated_at)
      SELECT pg_temp.v4(md5('u' || i)), $1::uuid, 'ACTIVE', 1, now() FROM generate_series(1, ${users}) i`,
      [company],
    );
    await pg.query(`
      INSERT INTO authorizations.principal_credentials (id, user_id, valid_until, revoked, banking_power)
      SELECT md5('c' || i)::uuid, pg_temp.v4(md5('u' || i)), NULL, false, true FROM generate_series(1, ${users}) i`);
    await pg.query(
      `
      INSERT INTO authorizations.authorizations (id, company_id, label, service_code, effective_from, ends_at, version, created_at, updated_at)
      SELECT md5('a' || i || '-' || j)::uuid, $1::uuid, 'Bench ' || j, CASE WHEN j = 1 THEN 'BANKING' ELSE 'EINVOICING' END,
             now() - interval '1 day', CASE WHEN j = 5 THEN now() - interval '1 hour' ELSE NULL END, 1, now(), now()
      FROM generate_series(1, ${users}) i, generate_series(1, ${authorizationsPerUser}) j`,
      [company],
    );
    await pg.query(`
      INSERT INTO authorizations.authorization_grants (authorization_id, right_code, level_code, resource_ids)
      SELECT md5('a' || i || '-' || j)::uuid, g.right_code, g.level_code, g.resources
      FROM generate_series(1, ${users}) i, generate_series(1, ${authorizationsPerUser}) j,
      LATERAL (VALUES
        (CASE WHEN j = 1 THEN 'CONSULT' ELSE (ARRAY['SUBSCRIPTION','COUNTERPARTIES','SUPPLIER_INVOICING','CUSTOMER_INVOICING','INVOICE_ASSIGNMENT'])[j] END,
         CASE WHEN j = 1 THEN 'ACCESS' ELSE 'CONSULT_ENTER_VALIDATE' END,
         CASE WHEN j = 1 THEN ARRAY['00000000-0000-4000-8000-000000000301'::uuid] ELSE ARRAY[]::uuid[] END),
        (CASE WHEN j = 1 THEN 'VALIDATE' ELSE (ARRAY['SUPPLIER_INVOICE_APPROVAL','SINGLE_ENTRY_POINT','SUBSCRIPTION','COUNTERPARTIES','SUPPLIER_INVOICING'])[j] END,
         CASE WHEN j = 1 THEN 'ACCESS' ELSE 'CONSULT' END,
         CASE WHEN j = 1 THEN ARRAY['00000000-0000-4000-8000-000000000301'::uuid] ELSE ARRAY[]::uuid[] END)
      ) AS g(right_code, level_code, resources)
      ON CONFLICT DO NOTHING`);
    await pg.query(`
      INSERT INTO authorizations.authorization_users (authorization_id, user_id, assigned_at)
      SELECT md5('a' || i || '-' || j)::uuid, pg_temp.v4(md5('u' || i)), now() FROM generate_series(1, ${users}) i, generate_series(1, ${authorizationsPerUser}) j`);
  });
}

/**
 * In identity: the same `count` users (ids fixtureUserId(1..count)) in `company`, active,
 * each with one active permanent credential (login ids 9xxxxxxxxxxxxx, never signed in).
 */
export async function insertIdentityFixtures(databaseUrl: string, company: string, count: number): Promise<void> {
  await bulkInsert(databaseUrl, 'identity.persons, identity.users, identity.credentials', async (pg) => {
    // One person per user (each users row is a person's membership of one company).
    await pg.query(
      `INSERT INTO identity.persons (id, email)
       SELECT pg_temp.v4(md5('p' || i)), 'camille.durand.' || i || '@bench.example' FROM generate_series(1, ${count}) i`,
    );
    await pg.query(
      `INSERT INTO identity.users (id, company_id, person_id, last_name, first_name, birth_date, email, client_type, admin_signature, status, activation_mode)
       SELECT pg_temp.v4(md5('u' || i)), $1::uuid, pg_temp.v4(md5('p' || i)), 'Durand-' || i, 'Camille', '1990-01-01', 'camille.durand.' || i || '@bench.example', 'STANDARD', 'NONE', 'ACTIVE', 'IMMEDIATE'
         FROM generate_series(1, ${count}) i`,
      [company],
    );
    await pg.query(
      `INSERT INTO identity.credentials (id, user_id, company_id, login_id, type, banking_power, status, password_hash, password_is_provisional, created_by)
       SELECT md5('ic' || i)::uuid, pg_temp.v4(md5('u' || i)), $1::uuid, '9' || lpad(i::text, 13, '0'), 'PERMANENT', true, 'ACTIVE', 'bench-no-password', false, 'bench'
         FROM generate_series(1, ${count}) i`,
      [company],
    );
  });
}
