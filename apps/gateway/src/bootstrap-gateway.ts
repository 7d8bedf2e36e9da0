import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@procura/config';
import { createLogger, JsonLogger } from '@procura/logging';
import { createValidationPipe, RedisRpcClient } from '@procura/messaging';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { GatewayModule } from './gateway.module';
import { bodyErrorHandler, jsonBody, logsAccess, rateLimit, requestIdMiddleware } from './http/http-pipeline';

export const API_PREFIX = 'api/v1';
export const API_DOCS_PATH = 'api/docs';

/** Builds the HTTP gateway (used by main.ts and by the tests). */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const logger = new JsonLogger(createLogger('gateway', config.logLevel));
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger, bodyParser: false });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // No ETags: every answer is computed per request (no conditional GETs), and Express would
  // hash each response body to make one.
  app.set('etag', false);
  app.use(requestIdMiddleware(logsAccess(config.logLevel)), rateLimit(config.rateLimitPerMinute), jsonBody, bodyErrorHandler);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  const document = SwaggerModule.createDocument(
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
  SwaggerModule.setup(API_DOCS_PATH, app, document);
  mountQueueDashboard(app);
  await app.get(RedisRpcClient).connect();
  return app;
}
