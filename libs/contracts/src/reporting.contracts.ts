import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { MAX_INT, Optional } from './input-rules';
import { Page, PageQueryDto } from './pagination';
import { defineCommand } from './rpc';

// ── Reports and documents ──────────────────────────────────────────────────────────

export enum ReportType {
  /** "Rapport sur les autorisations d'accès" (seed 002). */
  ACCESS_RIGHTS = 'ACCESS_RIGHTS',
  /** "Rapport sur les livraisons" (seed 002). */
  DELIVERIES = 'DELIVERIES',
}

export enum ReportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  READY = 'READY',
  FAILED = 'FAILED',
}

export const REPORT_LANGUAGES = ['fr', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export class OrderReportDto {
  @ApiProperty({ enum: ReportType })
  @IsEnum(ReportType)
  type: ReportType;

  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'fr' })
  @Optional()
  @IsIn(REPORT_LANGUAGES)
  language?: ReportLanguage;
}

export class ReportDocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'rapport-autorisations-acces-2026-11-23.pdf' }) fileName: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: 'Size in bytes' }) size: number;
  @ApiProperty({ description: 'SHA-256 (hex) of the PDF file' }) fileSha256: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the canonical report data, printed in the PDF footer' }) contentSha256: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ enum: ReportType }) type: ReportType;
  @ApiProperty({ enum: REPORT_LANGUAGES }) language: ReportLanguage;
  @ApiProperty({ enum: ReportStatus }) status: ReportStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiPropertyOptional({ description: 'Why the build failed (status FAILED)' }) failureReason?: string;
  @ApiProperty({ example: 'user:00000000-0000-4000-8000-000000000201' }) orderedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional({ type: ReportDocumentView, description: 'The PDF once READY, until it expires' }) document?: ReportDocumentView;
}

export class DocumentView extends ReportDocumentView {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ enum: ReportType }) reportType: ReportType;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DocumentPage implements Page<DocumentView> {
  @ApiProperty({ type: [DocumentView] }) items: DocumentView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class OrderReportPayload {
  @IsUUID() companyId: string;
  @ValidateNested() @Type(() => OrderReportDto) order: OrderReportDto;
}

/** `created` is false when the same report was already queued or running: that order is returned. */
export interface OrderReportResult {
  created: boolean;
  report: ReportView;
}

export class GetReportPayload {
  @IsUUID() reportId: string;
}

export class ListDocumentsPayload extends PageQueryDto {
  @IsUUID() companyId: string;
}

/** What the gateway needs to stream a report's PDF: its metadata and a short-lived read ticket. */
export interface DocumentDownload {
  documentId: string;
  fileName: string;
  contentType: string;
  size: number;
  fileSha256: string;
  /** Opaque, signed, short-lived: lets the gateway read the file in chunks without re-checking access. */
  ticket: string;
}

/** Largest chunk a readDocumentChunk call returns (bytes before base64). */
export const DOCUMENT_CHUNK_MAX_BYTES = 512 * 1024;

export class ReadDocumentChunkPayload {
  @IsString() @Length(20, 400) ticket: string;
  @IsInt() @Min(0) @Max(MAX_INT) offset: number;
  @IsInt() @Min(1) @Max(DOCUMENT_CHUNK_MAX_BYTES) length: number;
}

export interface DocumentChunk {
  /** Base64 of the bytes read. */
  data: string;
  bytes: number;
  eof: boolean;
}

// ── Deliveries (livraisons) ────────────────────────────────────────────────────────

export enum DeliveryType {
  ACCOUNT_STATEMENT = 'ACCOUNT_STATEMENT',
  INTEREST_CLOSING = 'INTEREST_CLOSING',
  PAYMENT_CONFIRMATION = 'PAYMENT_CONFIRMATION',
  /** camt.052 / camt.053 / camt.054 notifications. */
  CAMT_NOTIFICATION = 'CAMT_NOTIFICATION',
}

export enum DeliveryFormat {
  PDF = 'PDF',
  CAMT_052 = 'CAMT_052',
  CAMT_053 = 'CAMT_053',
  CAMT_054 = 'CAMT_054',
  MT940 = 'MT940',
}

export enum DeliveryFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  ON_EVENT = 'ON_EVENT',
}

export enum DeliveryChannel {
  E_BANKING = 'E_BANKING',
  EMAIL = 'EMAIL',
  EBICS = 'EBICS',
  SFTP = 'SFTP',
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ example: 'FR7630001007941234567890185' }) accountIdentifier: string;
  @ApiProperty({ example: 'Compte courant' }) accountLabel: string;
  @ApiProperty({ enum: DeliveryType }) type: DeliveryType;
  @ApiProperty({ enum: DeliveryFormat }) format: DeliveryFormat;
  @ApiProperty({ enum: DeliveryFrequency }) frequency: DeliveryFrequency;
  @ApiProperty({ enum: DeliveryChannel }) channel: DeliveryChannel;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Optimistic version: send it back in PATCH to be told when someone changed it meanwhile' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class DeliveryPage implements Page<DeliveryView> {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class ListDeliveriesPayload extends PageQueryDto {
  @IsUUID() companyId: string;
}

/** PATCH /deliveries/{id}: what may change (the account and the type identify the delivery). */
export class UpdateDeliveryDto {
  @ApiPropertyOptional({ enum: DeliveryFormat }) @Optional() @IsEnum(DeliveryFormat) format?: DeliveryFormat;
  @ApiPropertyOptional({ enum: DeliveryFrequency }) @Optional() @IsEnum(DeliveryFrequency) frequency?: DeliveryFrequency;
  @ApiPropertyOptional({ enum: DeliveryChannel }) @Optional() @IsEnum(DeliveryChannel) channel?: DeliveryChannel;
  @ApiPropertyOptional() @Optional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'The version you read; a different current version refuses the change' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_INT)
  version?: number;
}

/** Payload of a DELIVERY_UPDATE change (validated again by the reporting service). */
export class DeliveryUpdateChange extends UpdateDeliveryDto {
  @IsUUID() deliveryId: string;
}

export const ReportingCommands = {
  orderReport: defineCommand<OrderReportPayload, OrderReportResult>('reporting', 'reporting.reports.order'),
  getReport: defineCommand<GetReportPayload, ReportView>('reporting', 'reporting.reports.get'),
  openReportFile: defineCommand<GetReportPayload, DocumentDownload>('reporting', 'reporting.reports.open-file'),
  readDocumentChunk: defineCommand<ReadDocumentChunkPayload, DocumentChunk>('reporting', 'reporting.documents.read-chunk'),
  listDocuments: defineCommand<ListDocumentsPayload, Page<DocumentView>>('reporting', 'reporting.documents.list'),
  listDeliveries: defineCommand<ListDeliveriesPayload, Page<DeliveryView>>('reporting', 'reporting.deliveries.list'),
};
