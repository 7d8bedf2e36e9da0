import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, AuditPage, AuditQuery, AuditVerification, ChangeRequestCommands } from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import { CurrentActor } from '../auth/auth.guard';
import { streamResponse } from '../http/http-pipeline';
import { uuidPipe } from '../http/uuid.pipe';

const EXPORT_PAGE = 100;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('companies/:companyId/audit')
export class AuditController {
  constructor(private readonly bus: CommandBus) {}

  @Get()
  @ApiOperation({ summary: "The company's audit trail, newest first (administrators and the managing operator)" })
  @ApiOkResponse({ type: AuditPage })
  list(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: AuditQuery,
    @CurrentActor() actor: Actor,
  ): Promise<AuditPage> {
    return this.bus.execute(ChangeRequestCommands.auditList, { ...query, companyId }, { actor });
  }

  @Get('export')
  @ApiOperation({ summary: 'The whole trail as JSON lines, oldest first, each line with its chained hash' })
  @ApiProduces('application/x-ndjson')
  async export(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @CurrentActor() actor: Actor,
    @Res() res: FastifyReply,
  ): Promise<void> {
    // The first page is fetched before any byte is sent, so access errors are still problem+json.
    const first = await this.bus.execute(ChangeRequestCommands.auditList, { companyId, page: 1, pageSize: EXPORT_PAGE }, { actor });
    const pages = Math.ceil(first.total / EXPORT_PAGE);
    const out = streamResponse(res, 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${companyId}.jsonl"`,
    });
    try {
      // Pages are newest first: walk them backwards to write the chain in order.
      for (let page = pages; page >= 1; page--) {
        const chunk =
          page === 1
            ? first
            : await this.bus.execute(ChangeRequestCommands.auditList, { companyId, page, pageSize: EXPORT_PAGE }, { actor });
        if (
          !out.write(
            [...chunk.items]
              .reverse()
              .map((e) => `${JSON.stringify(e)}\n`)
              .join(''),
          )
        )
          await once(out, 'drain');
      }
      out.end();
    } catch {
      // Lines are gone already: cut the connection so the client sees a truncated export, never a short trail taken as whole.
      out.destroy();
    }
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recomputes the hash chain: detects any altered or deleted entry' })
  @ApiOkResponse({ type: AuditVerification })
  verify(@Param('companyId', uuidPipe('companyId')) companyId: string, @CurrentActor() actor: Actor): Promise<AuditVerification> {
    return this.bus.execute(ChangeRequestCommands.auditVerify, { companyId }, { actor, timeoutMs: 30_000 });
  }
}
