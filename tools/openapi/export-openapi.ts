/**
 * Writes the gateway's OpenAPI document (the one served at /api/docs-json) to a file without
 * starting anything: Nest's preview mode builds the module graph and route metadata but
 * instantiates no provider, so no PostgreSQL, Redis or port is needed. The console's typed
 * client is generated from this file at build time (tools/prepare.js), so a change of the API
 * that breaks the console fails the build.
 *
 * Usage: node dist/tools/openapi/export-openapi.js <output.json>
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '@procura/config';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_PREFIX } from '../../apps/gateway/src/bootstrap-gateway';
import { buildOpenApiDocument } from '../../apps/gateway/src/openapi/openapi-document';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';

async function main(): Promise<void> {
  const output = process.argv[2];
  if (!output) throw new Error('usage: export-openapi <output.json>');
  // Placeholders: preview mode never connects, but the configuration is validated as at boot.
  const config = loadConfig('gateway', {
    DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/openapi',
    REDIS_URL: 'redis://127.0.0.1:1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
  });
  const app = await NestFactory.create(GatewayModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false });
  app.setGlobalPrefix(API_PREFIX);
  const document = buildOpenApiDocument(app);
  mkdirSync(dirname(resolve(output)), { recursive: true });
  writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`export-openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
