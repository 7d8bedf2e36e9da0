import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { CHANGE_KIND_NAMES } from './change-kinds';

export class ChangePolicyRuleDto {
  @ApiProperty({ description: 'A change kind, or "*" for every kind not listed' })
  @IsIn(['*', ...CHANGE_KIND_NAMES])
  kind: string;

  @ApiProperty({ minimum: 1, maximum: 5, default: 1 }) @IsInt() @Min(1) @Max(5) requiredApprovals: number;

  @ApiProperty({ description: 'A maker with an INDIVIDUAL signature applies at once' }) @IsBoolean() allowIndividualImmediate: boolean;
}

/** Payload of a POLICY_UPDATE change: the company's whole dual-control policy. */
export class PolicyUpdateChange {
  @ApiProperty({ type: [ChangePolicyRuleDto] })
  @ValidateNested({ each: true })
  @Type(() => ChangePolicyRuleDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  rules: ChangePolicyRuleDto[];
}

export class ChangePolicyView {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ type: [ChangePolicyRuleDto] }) rules: ChangePolicyRuleDto[];
}
