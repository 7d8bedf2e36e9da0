/**
 * Resolves the dependency graph of every service's root module without starting anything:
 * Nest's preview mode builds the modules and checks every constructor's dependencies but
 * instantiates no provider, so no PostgreSQL, Redis or port is needed. A provider that asks
 * for something its module does not import fails here in seconds, instead of as a service
 * that exits at boot and an e2e suite whose every test times out.
 *
 * Usage: node dist/tools/checks/module-graph.js   (exit 1 and one line per broken service)
 */
import 'reflect-metadata';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig, ServiceName } from '@procura/config';
import { AuthorizationsModule } from '../../apps/authorizations/src/authorizations.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { IdentityModule } from '../../apps/identity/src/identity.module';
import { NotificationsModule } from '../../apps/notifications/src/notifications.module';
import { ReportingModule } from '../../apps/reporting/src/reporting.module';

const ROOTS: Record<ServiceName, (config: AppConfig) => DynamicModule> = {
  identity: (config) => IdentityModule.forRoot(config),
  authorizations: (config) => AuthorizationsModule.forRoot(config),
  notifications: (config) => NotificationsModule.forRoot(config),
  reporting: (config) => ReportingModule.forRoot(config),
  gateway: (config) => GatewayModule.forRoot(config),
};

// Placeholders: preview mode never connects, but the configuration is validated as at boot.
const PLACEHOLDER_ENV = {
  DATABASE_URL: 'postgresql://graph@127.0.0.1:1/graph',
  REDIS_URL: 'redis://127.0.0.1:1',
  SMTP_URL: 'smtp://127.0.0.1:1',
  LOG_LEVEL: 'silent',
  NODE_ENV: 'development',
  SEED_DEMO: 'true',
};

async function main(): Promise<void> {
  const broken: string[] = [];
  for (const [service, root] of Object.entries(ROOTS) as [ServiceName, (config: AppConfig) => DynamicModule][]) {
    try {
      const context = await NestFactory.createApplicationContext(root(loadConfig(service, PLACEHOLDER_ENV)), {
        preview: true,
        logger: false,
        abortOnError: false,
      });
      await context.close();
      console.log(`${service}: module graph resolves`);
    } catch (error) {
      broken.push(`${service}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  if (broken.length) {
    console.error(broken.join('\n'));
    process.exit(1);
  }
}

void main();
