import { SendEmailJob, SendSmsJob } from '@procura/contracts';
import { PermanentJobError } from '@procura/messaging';
import { plainToInstance } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, IsUUID, Length, Matches, validateSync } from 'class-validator';

/** Event keys: what producers derive from the business event (`welcome:<credentialId>`…). */
export const EVENT_KEY = /^[A-Za-z0-9:._-]{1,200}$/;

abstract class NotificationJobDto {
  @IsString() @Matches(EVENT_KEY, { message: 'eventKey must be 1 to 200 letters, digits or : . _ -' }) eventKey: string;
  @IsOptional() @IsUUID() companyId?: string;
  @IsString() @Length(1, 100) template: string;
  /** 'fr' or 'en'; anything else falls back to French. */
  @IsOptional() @IsString() @Length(0, 10) language: string;
  @IsObject() params: Record<string, string>;
  @IsOptional() @IsObject() secrets?: Record<string, { sealed: string }>;
  /** Request id joining the job to the request that caused it (added by the outbox). */
  @IsOptional() @IsObject() meta?: { requestId?: string };
}

export class SendEmailJobDto extends NotificationJobDto {
  @IsEmail({}, { message: 'to must be an e-mail address' }) @Length(3, 254) to: string;
}

export class SendSmsJobDto extends NotificationJobDto {
  @IsString() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'to must be an E.164 phone number' }) to: string;
}

/** Validates a consumed job like any other input; a malformed one can never succeed, so it fails permanently. */
export function parseJob<T extends SendEmailJobDto | SendSmsJobDto>(cls: new () => T, data: unknown): T & (SendEmailJob | SendSmsJob) {
  if (typeof data !== 'object' || data === null) throw new PermanentJobError('job data is not an object');
  const dto = plainToInstance(cls, data);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    // Names the fields only: values may be addresses or sealed secrets.
    throw new PermanentJobError(
      `invalid ${cls === (SendEmailJobDto as unknown) ? 'send-email' : 'send-sms'} job: ${errors.map((e) => e.property).join(', ')}`,
    );
  }
  for (const [name, value] of Object.entries(dto.params)) {
    if (typeof value !== 'string') throw new PermanentJobError(`invalid job: param "${name}" must be a string`);
  }
  for (const [name, value] of Object.entries(dto.secrets ?? {})) {
    if (typeof value !== 'object' || value === null || typeof value.sealed !== 'string')
      throw new PermanentJobError(`invalid job: secret "${name}" is not sealed`);
  }
  return dto as T & (SendEmailJob | SendSmsJob);
}
