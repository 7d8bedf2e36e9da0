/**
 * The baselines of the check benchmark, a minimal Nest application on the gateway's HTTP
 * adapter (Fastify), started as its own process:
 * - `GET /ping`: the bare endpoint of the framework;
 * - `POST /floor-check`: the least a check route does on this stack, nothing of Procura's
 *   own: a bearer key looked up by its hash in a guard, the question validated by the
 *   global ValidationPipe with the real CheckQuestionDto (class-validator), one Redis read
 *   gathered per event-loop turn (RedisReads' batching), a JSON answer. No logging
 *   context, no rights evaluation: where the gateway stands against the framework's floor.
 */
import 'reflect-metadata';
import { Body, CanActivate, Controller, ExecutionContext, Get, HttpCode, Injectable, Module, Post, ValidationPipe } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CheckQuestionDto, DEMO } from '@procura/contracts';
import { rightsGenerationKey } from '@procura/rights';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { hash } from 'node:crypto';
import { TurnBatchedReads } from '../apps/gateway/src/http/redis-reads';

const redisUrl = process.argv[3];
const reads = redisUrl ? new TurnBatchedReads(new Redis(redisUrl)) : undefined;
const keys = new Set([hash('sha256', DEMO.operator.apiKey, 'hex')]);

@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.method === 'GET') return true;
    const token = /^Bearer\s+(\S{8,4096})$/i.exec(req.headers.authorization ?? '')?.[1];
    return !!token && keys.has(hash('sha256', token, 'hex'));
  }
}

@Controller()
class BaselineController {
  @Get('ping')
  ping(): { ok: boolean } {
    return { ok: true };
  }

  @Post('floor-check')
  @HttpCode(200)
  async floorCheck(@Body() question: CheckQuestionDto): Promise<{ allowed: boolean; reason: string }> {
    const token = await reads!.get(rightsGenerationKey(question.userId));
    return { allowed: token !== null, reason: token !== null ? 'GRANTED' : 'NO_AUTHORIZATION' };
  }
}

@Module({ controllers: [BaselineController], providers: [{ provide: APP_GUARD, useClass: KeyGuard }] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(Number(process.argv[2]), '127.0.0.1');
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
