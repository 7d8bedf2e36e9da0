import { parsePrismaSchema } from '@procura/database';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const OWNED_SCHEMA: Record<string, string | undefined> = {
  gateway: undefined,
  identity: 'identity',
  authorizations: 'authorizations',
  notifications: 'notifications',
  reporting: 'reporting',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Each service touches only the tables of its own PostgreSQL schema. */
describe('schema ownership', () => {
  const schema = parsePrismaSchema(readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8'));
  const modelSchema = new Map(schema.models.map((m) => [m.name.charAt(0).toLowerCase() + m.name.slice(1), m.schema]));

  it.each(Object.keys(OWNED_SCHEMA))('%s uses only models and raw SQL of its own schema', (service) => {
    const own = OWNED_SCHEMA[service];
    const offences: string[] = [];
    for (const file of sourceFiles(join(root, 'apps', service, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\b(?:prisma|tx)\.(\w+)\./g)) {
        const owner = modelSchema.get(match[1]);
        if (owner && owner !== own) offences.push(`${file}: ${match[0]} belongs to schema ${owner}`);
      }
      for (const match of text.matchAll(
        /"(identity|authorizations|notifications|reporting)"\."\w+"|\b(identity|authorizations|notifications|reporting)\.\w+\s+(?:SET|WHERE|\(|VALUES)/g,
      )) {
        const owner = match[1] ?? match[2];
        if (owner !== own) offences.push(`${file}: raw SQL on ${match[0]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
