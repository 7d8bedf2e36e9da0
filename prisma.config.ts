// Prisma CLI configuration (Prisma 7 reads the connection URL here, not in the schema).
// `prisma generate` needs no database; `prisma migrate deploy` (where the native schema
// engine exists) uses DATABASE_URL. Offline, `npm run db:migrate` applies the same folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/procura' },
});
