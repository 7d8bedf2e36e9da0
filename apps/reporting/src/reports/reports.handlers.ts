import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type Actor,
  DocumentDownload,
  GetReportPayload,
  OrderReportPayload,
  OrderReportResult,
  ReportingCommands,
  ReportView,
} from '@procura/contracts';
import { RpcActor } from '@procura/messaging';
import { ReportsService } from './reports.service';

@Controller()
export class ReportsHandlers {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(ReportingCommands.orderReport.pattern)
  order(@Payload() payload: OrderReportPayload, @RpcActor() actor: Actor): Promise<OrderReportResult> {
    return this.reports.order(actor, payload.companyId, payload.order);
  }

  @MessagePattern(ReportingCommands.getReport.pattern)
  get(@Payload() payload: GetReportPayload, @RpcActor() actor: Actor): Promise<ReportView> {
    return this.reports.get(actor, payload.reportId);
  }

  @MessagePattern(ReportingCommands.openReportFile.pattern)
  openFile(@Payload() payload: GetReportPayload, @RpcActor() actor: Actor): Promise<DocumentDownload> {
    return this.reports.openFile(actor, payload.reportId);
  }
}
