import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { defineCommand } from './rpc';

export class CatalogLevelView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiProperty({ description: 'Higher rank = broader level; a level grants every lower-ranked one' }) rank: number;
}

export class CatalogRightView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiPropertyOptional({ description: 'Accounting-portal family; a family is granted as a whole' }) family?: string;
  @ApiProperty({ enum: ['NONE', 'ACCOUNTS_AND_CONTRACTS'] }) resourceScope: 'NONE' | 'ACCOUNTS_AND_CONTRACTS';
}

export class CatalogServiceView {
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiProperty({ type: [CatalogRightView] }) rights: CatalogRightView[];
  @ApiProperty({ type: [CatalogLevelView] }) levels: CatalogLevelView[];
}

export const AuthorizationsCommands = {
  listServices: defineCommand<Record<string, never>, CatalogServiceView[]>('authorizations', 'authorizations.catalog.list'),
};

// ── Seams used by other services (implemented by the authorizations service) ────────

export class ServicesOfUserPayload {
  @IsUUID() userId: string;
  @IsUUID() companyId: string;
}

export class ReportRightsPayload {
  @IsUUID() companyId: string;
  @IsUUID('all', { each: true }) userIds: string[];
  @IsOptional() @IsISO8601() at?: string;
}

/** Rights of one user as the access-rights report shows them. */
export interface ReportUserRights {
  authorizations: Array<{ id: string; label: string; service: string; effectiveFrom: string; endsAt: string | null; active: boolean }>;
  effectiveRights: Array<{ service: string; right: string; level: string; resources: Array<{ id: string; label: string; identifier: string }> | null; authorizationId: string }>;
  pendingChangeRequests: Array<{ id: string; kind: string; summary: string; createdAt: string }>;
}

export const AuthorizationsSeams = {
  /** Services a user's authorizations cover (all dates): the banking-power rule needs it. */
  servicesOfUser: defineCommand<ServicesOfUserPayload, { services: string[] }>('authorizations', 'authorizations.rights.services-of-user'),
  reportRights: defineCommand<ReportRightsPayload, Record<string, ReportUserRights>>('authorizations', 'authorizations.reports.rights-of-users'),
};
