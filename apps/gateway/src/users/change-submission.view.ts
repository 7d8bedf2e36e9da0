import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChangeSubmissionResult } from '@procura/contracts';

/** OpenAPI shape of ChangeSubmissionResult (201/200 applied, 202 pending). */
export class ChangeSubmissionView implements ChangeSubmissionResult {
  @ApiProperty({ enum: ['APPLIED', 'PENDING'] }) status: 'APPLIED' | 'PENDING';
  @ApiProperty({ format: 'uuid' }) changeRequestId: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What the change produced, when applied' })
  result?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Secrets shown this one time (e.g. a provisional password for a user without a phone)',
  })
  revealOnce?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The change request waiting for validation' })
  changeRequest?: Record<string, unknown>;
}
