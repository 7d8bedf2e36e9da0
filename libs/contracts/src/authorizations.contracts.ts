import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
