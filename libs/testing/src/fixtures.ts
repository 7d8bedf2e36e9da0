import { loadConfig } from '@procura/config';
import { sealSecret } from '@procura/security';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { generateSecret, generateSync } from 'otplib';
import { Client } from 'pg';
import { ApiSession } from './http';
import { userSession } from './tokens';

/** The development secrets the system under test uses (NODE_ENV=test, no secrets set). */
function devConfig() {
  return loadConfig('identity', { NODE_ENV: 'test', DATABASE_URL: 'postgres://unused/unused', REDIS_URL: 'redis://unused' });
}

/** A random 14-digit login id with its Luhn check digit, as identity issues them. */
export function randomLoginId(): string {
  const body = Array.from({ length: 13 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join(
    '',
  );
  // Luhn check digit, as the identity service computes it.
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

export interface FixtureAdministrator {
  userId: string;
  companyId: string;
  email: string;
  firstName: string;
  totpSecret: string;
  /** An API session of this administrator (token signed with the test secret), stepped up (strong authentication done). */
  session(baseUrl: string): ApiSession;
  /** The same administrator's session alone, without the step-up (seed 001's rule 1 refuses it where the policy asks). */
  sessionWithoutStepUp(baseUrl: string): ApiSession;
  /** A valid TOTP code now (each validator has its own secret, so codes never collide). */
  totp(): string;
}

/**
 * Test fixture: an active administrator with a permanent credential and TOTP enrolled,
 * written straight into the identity schema (the state the first-login journey ends in,
 * which the identity e2e tests cover through the API). Dual-validation tests need many
 * validators, each with a secret of its own.
 */
export async function addAdministrator(
  databaseUrl: string,
  companyId: string,
  options: { adminSignature?: 'NONE' | 'INDIVIDUAL' | 'COLLECTIVE'; firstName?: string; clientType?: 'ADMINISTRATOR' | 'STANDARD' } = {},
): Promise<FixtureAdministrator> {
  const config = devConfig();
  const userId = randomUUID();
  const firstName = options.firstName ?? `Admin${userId.slice(0, 4)}`;
  const email = `${firstName.toLowerCase()}.${userId.slice(0, 8)}@fixture.example`;
  const totpSecret = generateSecret();
  const clientType = options.clientType ?? 'ADMINISTRATOR';
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // One person per fixture user (each users row is a person's membership of one company).
    await db.query(
      `WITH p AS (INSERT INTO identity.persons (id, email) VALUES (gen_random_uuid(), $4) RETURNING id)
       INSERT INTO identity.users (id, company_id, person_id, last_name, first_name, birth_date, email, client_type, admin_signature, status, activation_mode)
       SELECT $1, $2, p.id, 'Fixture', $3, '1980-01-01', $4, $5, $6, 'ACTIVE', 'IMMEDIATE' FROM p`,
      [userId, companyId, firstName, email, clientType, clientType === 'ADMINISTRATOR' ? (options.adminSignature ?? 'COLLECTIVE') : 'NONE'],
    );
    await db.query(
      `INSERT INTO identity.credentials (id, user_id, company_id, login_id, type, banking_power, status, password_hash, password_is_provisional,
         totp_secret_sealed, totp_enrolled_at, created_by)
       VALUES ($1, $2, $3, $4, 'PERMANENT', false, 'ACTIVE', 'fixture-no-password-login', false, $5, now(), 'test-fixture')`,
      [randomUUID(), userId, companyId, randomLoginId(), sealSecret(totpSecret, config.secretsKey).sealed],
    );
  } finally {
    await db.end();
  }
  return {
    userId,
    companyId,
    email,
    firstName,
    totpSecret,
    session: (baseUrl) => userSession(baseUrl, { userId, companyId, clientType }),
    sessionWithoutStepUp: (baseUrl) => userSession(baseUrl, { userId, companyId, clientType }, 3600, { stepUp: false }),
    totp: () => generateSync({ secret: totpSecret }),
  };
}

/**
 * Enters a user written straight into identity (addAdministrator, addUsers) into the
 * authorizations service's copy of users (status and credentials), as identity's principal
 * job would, so rights can be given to them through the API. At version 0, like a user an
 * earlier item of a change request registers: identity's first real state replaces it.
 */
export async function projectPrincipal(databaseUrl: string, userId: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO authorizations.principals (user_id, company_id, status, version, updated_at)
       SELECT id, company_id, status::text, 0, now() FROM identity.users WHERE id = $1
       ON CONFLICT (user_id) DO NOTHING`,
      [userId],
    );
    await db.query(
      `INSERT INTO authorizations.principal_credentials (id, user_id, valid_until, revoked, banking_power)
       SELECT id, user_id, valid_until, status = 'REVOKED', banking_power FROM identity.credentials WHERE user_id = $1
       ON CONFLICT (id) DO NOTHING`,
      [userId],
    );
  } finally {
    await db.end();
  }
}

/** Plain users of a company, in bulk (for batches). */
export async function addUsers(databaseUrl: string, companyId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // The person of each user has the user's id (fresh random ids: no collision).
    await db.query(
      `INSERT INTO identity.persons (id, email)
       SELECT id, 'batch.user.' || replace(id::text, '-', '') || '@fixture.example' FROM unnest($1::uuid[]) AS t(id)`,
      [ids],
    );
    await db.query(
      `INSERT INTO identity.users (id, company_id, person_id, last_name, first_name, birth_date, email, client_type, admin_signature, status, activation_mode)
       SELECT id, $2, id, 'Batch', 'User' || ord, '1990-01-01', 'batch.user.' || replace(id::text, '-', '') || '@fixture.example', 'STANDARD', 'NONE', 'ACTIVE', 'IMMEDIATE'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [ids, companyId],
    );
  } finally {
    await db.end();
  }
  return ids;
}

/** Rows of one SQL statement on a fresh connection (tests read the services' tables to verify them). */
export async function queryRows<T extends Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, params)).rows;
  } finally {
    await db.end();
  }
}

export interface FixtureOperator {
  operatorId: string;
  organisationId: string;
  apiKey: string;
  apiKeyId: string;
  /** An API session of this operator (its key as bearer token). */
  session(baseUrl: string): ApiSession;
}

/**
 * An operator of the test's own, written straight into the identity schema: the
 * supervisor of an organisation of its own, with an API key issued to it. On the shared
 * system, a test's companies are then the only ones its operator lists and manages.
 * With `signIn`, the operator also has a permanent password and TOTP enrolled (the state
 * the first sign-in ends in, which operators e2e covers through the API).
 */
export async function addOperator(
  databaseUrl: string,
  name = 'Fixture operator',
  options: {
    organisationId?: string;
    role?: 'SUPERVISOR' | 'ADVISOR' | 'COLLABORATOR';
    signIn?: { passwordHash: string; totpSecret: string; loginId: string };
  } = {},
): Promise<FixtureOperator> {
  const operatorId = randomUUID();
  const organisationId = options.organisationId ?? randomUUID();
  const apiKey = `fixture-operator-${randomBytes(18).toString('base64url')}`;
  const apiKeyId = randomUUID();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    if (!options.organisationId)
      await db.query(`INSERT INTO identity.operator_organisations (id, name, kind) VALUES ($1, $2, 'BANK_BRANCH')`, [
        organisationId,
        `${name} org`,
      ]);
    const signIn = options.signIn;
    await db.query(
      `INSERT INTO identity.operators (id, organisation_id, name, email, role, login_id, password_hash, password_is_provisional, totp_secret_sealed, totp_enrolled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        operatorId,
        organisationId,
        name,
        `operator.${operatorId}@fixture.example`,
        options.role ?? 'SUPERVISOR',
        signIn?.loginId ?? null,
        signIn?.passwordHash ?? null,
        !signIn,
        signIn ? sealSecret(signIn.totpSecret, devConfig().secretsKey).sealed : null,
        signIn ? new Date() : null,
      ],
    );
    await db.query(
      `INSERT INTO identity.operator_api_keys (id, organisation_id, operator_id, label, key_hash, key_prefix, created_by)
       VALUES ($1, $2, $3, 'fixture', $4, 'fixture', 'test-fixture')`,
      [apiKeyId, organisationId, operatorId, createHash('sha256').update(apiKey, 'utf8').digest('hex')],
    );
  } finally {
    await db.end();
  }
  return { operatorId, organisationId, apiKey, apiKeyId, session: (baseUrl) => ApiSession.operator(baseUrl, apiKey) };
}
