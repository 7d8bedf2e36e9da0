import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@procura/config';
import { createLogger, JsonLogger } from '@procura/logging';
import { createValidationPipe, RedisRpcClient } from '@procura/messaging';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { mountConsole } from './console/console-static';
import { GatewayModule } from './gateway.module';
import { ProblemFilter } from './http/problem.filter';
import { BODY_LIMIT_BYTES, installHttpPipeline, logsAccess } from './http/http-pipeline';

export const API_PREFIX = 'api/v1';
export const API_DOCS_PATH = 'api/docs';

/** Builds the HTTP gateway (used by main.ts and by the tests). */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const logger = new JsonLogger(createLogger('gateway', config.logLevel));
  // Fastify under Nest: the rights check is the hot path of every portal screen, and the
  // Express adapter alone cost more per request than the check's own work.
  const adapter = new FastifyAdapter({ trustProxy: 'loopback', bodyLimit: BODY_LIMIT_BYTES, routerOptions: { ignoreTrailingSlash: true } });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, { logger });
  installHttpPipeline(adapter.getInstance(), { accessLog: logsAccess(config.logLevel), rateLimitPerMinute: config.rateLimitPerMinute });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  // Global (not a module provider) so that it also renders what Fastify refuses before any
  // route runs: unknown routes, malformed or oversized bodies.
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  SwaggerModule.setup(API_DOCS_PATH, app, apiDocument(app));
  await mountQueueDashboard(app);
  await mountConsole(app);
  await app.get(RedisRpcClient).connect();
  return app;
}

/**
 * The OpenAPI document of the API (served at /api/docs-json). Also written at build time by
 * tools/openapi/export-openapi.ts, from which the console's typed client is generated.
 */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Procura API')
      .setDescription(
        'Delegated access-rights back office. Errors are application/problem+json (RFC 9457) with a stable `code`; ' +
          'every request gets an `X-Request-Id`; POST honours `Idempotency-Key`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}
