import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@procura/config';
import { RpcServiceName } from '@procura/contracts';
import { createLogger, JsonLogger } from '@procura/logging';
import { DomainRpcExceptionFilter } from '../rpc/domain-rpc-exception.filter';
import { RedisRpcServer } from '../rpc/redis-rpc.server';
import { enforceShutdownDeadline } from './shutdown-deadline';
import { createValidationPipe } from './validation';

/**
 * Starts one back-end service: configuration validated first (a bad setting stops the
 * process with a message naming it), then PostgreSQL and Redis reached at boot, then
 * the RPC server. SIGTERM/SIGINT stop taking requests and let current work finish, within
 * SHUTDOWN_DEADLINE_MS.
 */
export async function bootstrapService(
  service: RpcServiceName,
  rootModule: (config: AppConfig) => DynamicModule,
): Promise<INestMicroservice> {
  let config: AppConfig;
  try {
    config = loadConfig(service);
  } catch (error) {
    process.stderr.write(`${service}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = new JsonLogger(createLogger(service, config.logLevel));
  try {
    const app = await NestFactory.createMicroservice(rootModule(config), {
      strategy: new RedisRpcServer({ service, instanceId: config.instanceId, redisUrl: config.redisUrl, logger }),
      logger,
    });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    enforceShutdownDeadline(logger);
    await app.listen();
    logger.log(`${service} service ready`, 'Bootstrap');
    return app;
  } catch (error) {
    logger.fatal(`${service} could not start: ${error instanceof Error ? error.message : String(error)}`, 'Bootstrap');
    process.exit(1);
  }
}
