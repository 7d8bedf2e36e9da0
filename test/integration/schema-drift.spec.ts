import { diffSchema, introspectDatabase, migrate, parsePrismaSchema } from '../../libs/database/src/migrations';
import type { DatabaseModel, SchemaModel } from '../../libs/database/src/migrations';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const root = resolve(__dirname, '..', '..');
const schemaText = readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8');

function adminUrl(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set: integration tests run under the Jest global setup (embedded PostgreSQL)');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Adds a field line just before the closing brace of `model`. */
function withExtraField(text: string, model: string, line: string): string {
  return text.replace(new RegExp(`(model ${model} \\{[\\s\\S]*?)\\n\\}`), `$1\n  ${line}\n}`);
}

describe('schema drift: schema.prisma against the migrated database', () => {
  const databaseName = `scratch_${randomBytes(6).toString('hex')}`;
  const schema: SchemaModel = parsePrismaSchema(schemaText);
  let client: Client;
  let database: DatabaseModel;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${databaseName}`);
    const url = new URL(adminUrl());
    url.pathname = `/${databaseName}`;
    await migrate({ databaseUrl: url.toString() });
    client = new Client({ connectionString: url.toString() });
    await client.connect();
    database = await introspectDatabase(client, schema.schemas);
  });

  afterAll(async () => {
    await client?.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  });

  it('finds no difference after the migrations', () => {
    expect(database.tables.length).toBe(schema.models.length);
    expect(diffSchema(schema, database)).toEqual([]);
  });

  it('names a column that schema.prisma declares and the database lacks', () => {
    const extended = parsePrismaSchema(withExtraField(schemaText, 'User', 'nickname String? @map("nick_name")'));
    expect(diffSchema(extended, database)).toEqual(['identity.users: missing column nick_name (text, field User.nickname)']);
  });

  it('names wrong types, nullability, defaults, enum values, indexes and foreign keys', () => {
    const changed = schemaText
      .replace('phone          String?', 'phone          Int')
      .replace('language       String         @default("fr")', 'language       String         @default("en")')
      .replace('  SUSPENDED\n', '  SUSPENDED\n  ARCHIVED\n')
      .replace('  @@index([companyId, lastName])\n', '  @@index([lastName])\n')
      .replace(
        'operator           Operator    @relation(fields: [managedBy], references: [id])',
        'operator Operator @relation(fields: [managedBy], references: [id], onDelete: Cascade)',
      )
      .replace('label        String', 'label        String       @unique');
    expect(diffSchema(parsePrismaSchema(changed), database)).toEqual([
      'identity.companies: foreign key companies_managed_by_fkey is ON DELETE Restrict, expected Cascade',
      'identity.users.phone: type is text, expected integer',
      'identity.users.phone: is nullable, expected NOT NULL',
      "identity.users.language: default is 'fr'::text, expected en",
      'identity.users: missing index users_last_name_idx (last_name)',
      'identity.users: extra index users_company_id_last_name_idx (company_id, last_name) not in schema.prisma',
      'authorizations.resources: missing unique index resources_label_key (label)',
      'enum identity.UserStatus: missing value(s) ARCHIVED',
    ]);
  });

  describe('after changes made to the database behind schema.prisma', () => {
    beforeAll(async () => {
      await client.query('ALTER TABLE "identity"."users" DROP COLUMN "phone"');
      await client.query('ALTER TABLE "notifications"."messages" ALTER COLUMN "updated_at" DROP DEFAULT');
      await client.query('DROP INDEX "authorizations"."catalog_levels_service_code_rank_key"');
      await client.query('ALTER TABLE "identity"."users" DROP CONSTRAINT "users_company_id_fkey"');
      await client.query(`ALTER TYPE "notifications"."MessageStatus" ADD VALUE 'BOUNCED'`);
      await client.query('CREATE TABLE "identity"."stray" (id INTEGER PRIMARY KEY)');
      database = await introspectDatabase(client, schema.schemas);
    });

    it('names each of them', () => {
      expect(diffSchema(schema, database)).toEqual([
        'identity.users: missing column phone (text, field User.phone)',
        'identity.users: missing foreign key users_company_id_fkey (company_id) -> identity.companies (id)',
        'authorizations.catalog_levels: missing unique index catalog_levels_service_code_rank_key (service_code, rank)',
        'notifications.messages.updated_at: has no default, expected CURRENT_TIMESTAMP',
        'extra table identity.stray: not in schema.prisma',
        'enum notifications.MessageStatus: extra value(s) BOUNCED not in schema.prisma',
      ]);
    });
  });
});

describe('parsePrismaSchema', () => {
  const schema = parsePrismaSchema(schemaText);

  it('reads tables, schemas, columns and keys of the real schema', () => {
    expect(schema.schemas).toEqual(['identity', 'authorizations', 'notifications', 'reporting']);
    const user = schema.models.find((m) => m.name === 'User')!;
    expect(user).toMatchObject({ schema: 'identity', table: 'users', primaryKey: { columns: ['id'], name: null } });
    expect(user.columns.map((c) => c.name)).not.toContain('company'); // relation field: no column
    expect(user.columns.find((c) => c.field === 'birthDate')).toMatchObject({
      name: 'birth_date',
      type: 'DateTime',
      nativeType: { name: 'Date', args: [] },
    });
    expect(user.columns.find((c) => c.field === 'status')).toMatchObject({
      enumRef: { schema: 'identity', name: 'UserStatus' },
      default: { kind: 'literal', value: 'REGISTERED' },
    });
    expect(user.relations).toEqual([
      expect.objectContaining({
        columns: ['company_id'],
        referencedSchema: 'identity',
        referencedTable: 'companies',
        referencedColumns: ['id'],
      }),
      expect.objectContaining({
        columns: ['person_id'],
        referencedSchema: 'identity',
        referencedTable: 'persons',
        referencedColumns: ['id'],
      }),
    ]);
    const level = schema.models.find((m) => m.name === 'CatalogLevel')!;
    expect(level.primaryKey).toEqual({ columns: ['service_code', 'code'], name: null });
    expect(level.uniques).toEqual([{ columns: ['service_code', 'rank'], name: null }]);
  });

  it('handles comments, @map on enum values, lists, native types and explicit names', () => {
    const parsed = parsePrismaSchema(`
      // a "quoted" comment with { braces }
      enum Color {
        RED
        GREEN @map("green") // trailing comment
        @@map("colors")
      }
      model Thing {
        id    Int      @id(map: "thing_pk") @default(autoincrement())
        url   String   @default("http://example.com/{x}") /// not a comment inside the string
        tags  String[]
        color Color    @default(GREEN)
        price Decimal  @db.Decimal(10, 2)
        code  String   @db.VarChar(12)
        @@unique([url, code], map: "thing_url_code")
        @@index([price(sort: Desc)])
        @@map("things")
      }`);
    expect(parsed.enums).toEqual([
      {
        name: 'Color',
        schema: 'public',
        dbName: 'colors',
        values: [
          { name: 'RED', dbName: 'RED' },
          { name: 'GREEN', dbName: 'green' },
        ],
      },
    ]);
    const thing = parsed.models[0];
    expect(thing.table).toBe('things');
    expect(thing.primaryKey).toEqual({ columns: ['id'], name: 'thing_pk' });
    expect(thing.columns.map((c) => [c.name, c.list, c.optional, c.default])).toEqual([
      ['id', false, false, { kind: 'autoincrement' }],
      ['url', false, false, { kind: 'literal', value: 'http://example.com/{x}' }],
      ['tags', true, false, null],
      ['color', false, false, { kind: 'literal', value: 'green' }],
      ['price', false, false, null],
      ['code', false, false, null],
    ]);
    expect(thing.columns.find((c) => c.name === 'price')!.nativeType).toEqual({ name: 'Decimal', args: ['10', '2'] });
    expect(thing.uniques).toEqual([{ columns: ['url', 'code'], name: 'thing_url_code' }]);
    expect(thing.indexes).toEqual([{ columns: ['price'], name: null }]);
  });

  it('rejects a field type it does not know', () => {
    expect(() => parsePrismaSchema('model A {\n  id Int @id\n  x Strin\n}')).toThrow(/Unsupported type Strin for field A.x/);
  });
});
