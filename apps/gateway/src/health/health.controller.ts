import { Controller, Get, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ComponentHealth, HealthReport } from '@procura/health';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.guard';
import { HealthService } from './health.service';

@ApiTags('health')
// HealthReport refers to ComponentHealth by $ref only: declared here so the document defines it.
@ApiExtraModels(ComponentHealth)
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'PostgreSQL, Redis and each service; 503 when any is down' })
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport })
  async check(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'up' ? 200 : 503);
    return report;
  }

  @Get('ready')
  @ApiOperation({ summary: "This gateway replica's own dependencies (PostgreSQL, Redis): its readiness; 503 when one is down" })
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport })
  async ready(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthReport> {
    const report = await this.health.checkSelf();
    res.status(report.status === 'up' ? 200 : 503);
    return report;
  }
}
