import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@procura/config';
import { createLogger, JsonLogger } from '@procura/logging';
import { createValidationPipe, enforceShutdownDeadline, RedisRpcClient } from '@procura/messaging';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { Authenticator } from './auth/auth.guard';
import { mountConsole } from './console/console-static';
import { GatewayModule } from './gateway.module';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { ProblemFilter } from './http/problem.filter';
import { GatewayRedis } from './http/gateway-redis';
import { gatewayServerOptions, installHttpPipeline, logsAccess } from './http/http-pipeline';
import { UnexpectedInputInterceptor } from './http/unexpected-input.interceptor';

export const API_PREFIX = 'api/v1';
export const API_DOCS_PATH = 'api/docs';

/** Builds the HTTP gateway (used by main.ts and by the tests). */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const logger = new JsonLogger(createLogger('gateway', config.logLevel));
  // Fastify under Nest: the rights check is the hot path of every portal screen, and the
  // Express adapter alone cost more per request than the check's own work.
  const adapter = new FastifyAdapter(gatewayServerOptions(config));
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, { logger });
  const redis = app.get(GatewayRedis);
  const authenticator = app.get(Authenticator);
  await redis.connect();
  await installHttpPipeline(adapter.getInstance(), {
    accessLog: logsAccess(config.logLevel),
    publicUrl: config.publicUrl,
    rateLimits: {
      redis: redis.connection,
      perMinute: config.rateLimitPerMinute,
      loginPerMinute: config.loginRateLimitPerMinute,
      login: { method: 'POST', url: `/${API_PREFIX}/auth/login` },
      otherLogins: [`/${API_PREFIX}/auth/operators/login`],
      perApiKeyMinute: config.apiKeyRateLimitPerMinute,
      knownApiKey: (token) => authenticator.knownApiKey(token),
    },
  });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new UnexpectedInputInterceptor());
  // Global (not a module provider) so that it also renders what Fastify refuses before any
  // route runs: unknown routes, malformed or oversized bodies.
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  enforceShutdownDeadline(logger);

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(API_DOCS_PATH, app, document);
  await mountQueueDashboard(app);
  await mountConsole(app);
  await app.get(RedisRpcClient).connect();
  return app;
}
