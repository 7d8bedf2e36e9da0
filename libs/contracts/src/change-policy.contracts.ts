import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Optional } from './input-rules';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

export class ChangePolicyRuleDto {
  // Shaped here; that it is a known kind is checked by POLICY_UPDATE's handler (the kinds are declared with this payload).
  @ApiProperty({ description: 'A change kind, or "*" for every kind not listed' })
  @IsString()
  @Matches(/^(\*|[A-Z][A-Z_]{0,59})$/, { message: 'kind must be a change kind or "*"' })
  kind: string;

  @ApiProperty({ minimum: 1, maximum: 5, default: 1 }) @IsInt() @Min(1) @Max(5) requiredApprovals: number;

  @ApiProperty({ description: 'A maker with an INDIVIDUAL signature applies at once' }) @IsBoolean() allowIndividualImmediate: boolean;

  @ApiPropertyOptional({
    description:
      "Submitting needs the maker's fresh strong authentication (POST /auth/step-up, seed 001). Left out: the kind's default, " +
      'on for rights changes and user creation.',
  })
  @Optional()
  @IsBoolean()
  makerStepUp?: boolean;
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
