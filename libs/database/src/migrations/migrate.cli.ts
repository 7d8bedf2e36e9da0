// `node dist/libs/database/src/migrations/migrate.cli.js`: applies pending migrations to
// DATABASE_URL (deploy step, local setup). Exit code 0 when the database is up to date.
import { migrate } from './migrator';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      'DATABASE_URL is not set: export the PostgreSQL URL to migrate, e.g. DATABASE_URL=postgresql://user:password@localhost:5432/procura',
    );
    return 1;
  }
  try {
    const started = Date.now();
    const { applied } = await migrate({ databaseUrl, log: (msg) => console.log(msg) });
    const took = `${Date.now() - started} ms`;
    console.log(
      applied.length === 0
        ? `No pending migration, database is up to date (${took}).`
        : `Applied ${applied.length} migration(s) in ${took}.`,
    );
    return 0;
  } catch (err) {
    console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// exitCode rather than exit(): lets stdout/stderr flush when piped.
void main().then((code) => {
  process.exitCode = code;
});
