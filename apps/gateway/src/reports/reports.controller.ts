import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  DOCUMENT_CHUNK_MAX_BYTES,
  DocumentPage,
  OrderReportDto,
  PageQueryDto,
  ReportingCommands,
  ReportView,
} from '@procura/contracts';
import { CommandBus } from '@procura/messaging';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import { CurrentActor } from '../auth/auth.guard';
import { streamResponse } from '../http/http-pipeline';
import { uuidPipe } from '../http/uuid.pipe';

/** `attachment; filename="…"` with an RFC 6266/5987 UTF-8 variant, never a quote or control character unescaped. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(private readonly bus: CommandBus) {}

  @Post('companies/:companyId/reports')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Order the access-rights or the deliveries report (administrator, REPORTS/ORDER_REPORTS right, or the managing operator)',
    description:
      'Answers 202 at once with the order; a worker builds the PDF. Ordering a report of a type already queued or running answers 200 with that order.',
  })
  @ApiAcceptedResponse({ type: ReportView, description: 'Order accepted' })
  @ApiOkResponse({ type: ReportView, description: 'The same report was already queued or running: that order' })
  async order(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Body() order: OrderReportDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ReportView> {
    const result = await this.bus.execute(ReportingCommands.orderReport, { companyId, order }, { actor });
    res.status(result.created ? 202 : 200);
    if (result.created) void res.header('Location', `/api/v1/reports/${result.report.id}`);
    return result.report;
  }

  @Get('reports/:reportId')
  @ApiOperation({ summary: 'A report order: status QUEUED → RUNNING → READY | FAILED, progress, failure reason, document' })
  @ApiOkResponse({ type: ReportView })
  get(@Param('reportId', uuidPipe('reportId')) reportId: string, @CurrentActor() actor: Actor): Promise<ReportView> {
    return this.bus.execute(ReportingCommands.getReport, { reportId }, { actor });
  }

  @Get('reports/:reportId/file')
  @ApiOperation({ summary: 'Download the PDF of a READY report (409 before, 410 once its retention period has passed)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF', schema: { type: 'string', format: 'binary' } })
  async file(
    @Param('reportId', uuidPipe('reportId')) reportId: string,
    @CurrentActor() actor: Actor,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const download = await this.bus.execute(ReportingCommands.openReportFile, { reportId }, { actor });
    const read = (offset: number) =>
      this.bus.execute(
        ReportingCommands.readDocumentChunk,
        { ticket: download.ticket, offset, length: Math.min(DOCUMENT_CHUNK_MAX_BYTES, Math.max(1, download.size - offset)) },
        { actor },
      );
    // The first chunk is read before any header: until then, a failure is still a clean problem+json.
    let chunk = await read(0);
    const out = streamResponse(res, 200, {
      'Content-Type': download.contentType,
      'Content-Length': String(download.size),
      'Content-Disposition': contentDisposition(download.fileName),
      'Repr-Digest': `sha-256=:${Buffer.from(download.fileSha256, 'hex').toString('base64')}:`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    let offset = 0;
    try {
      for (;;) {
        if (chunk.bytes > 0 && !out.write(Buffer.from(chunk.data, 'base64'))) await once(out, 'drain');
        offset += chunk.bytes;
        if (chunk.eof || chunk.bytes === 0 || offset >= download.size) break;
        chunk = await read(offset);
      }
      out.end();
    } catch {
      // Headers are gone: cut the connection so the client sees a truncated download, never a short file taken as whole.
      out.destroy();
    }
  }

  @Get('companies/:companyId/documents')
  @ApiOperation({ summary: "The company's documents (report PDFs), newest first, until their retention period ends" })
  @ApiOkResponse({ type: DocumentPage })
  documents(
    @Param('companyId', uuidPipe('companyId')) companyId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<DocumentPage> {
    return this.bus.execute(ReportingCommands.listDocuments, { companyId, ...query }, { actor });
  }
}
