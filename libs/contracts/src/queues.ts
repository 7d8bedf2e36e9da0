/**
 * BullMQ queues and their jobs, declared once. Each queue has one consumer service;
 * producers enqueue through their transactional outbox (libs/messaging, Outbox).
 */
export const QUEUES = {
  /** E-mails and SMS. Consumer: notifications. */
  notifications: 'procura-notifications',
  /** Audit events of every service, chained per company. Consumer: authorizations. */
  audit: 'procura-audit',
  /** Application and expiry of change requests. Consumer: authorizations. */
  changes: 'procura-changes',
  /** Identity state the rights check needs (user status, credential validity). Consumer: authorizations. */
  principals: 'procura-principals',
  /** PDF reports and document retention. Consumer: reporting. */
  reports: 'procura-reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobContract<Data> {
  readonly queue: QueueName;
  readonly name: string;
  readonly types?: { data: Data };
}

export function defineJob<Data>(queue: QueueName, name: string): JobContract<Data> {
  return { queue, name };
}

/** Metadata carried inside every job so its logs join the originating request. */
export interface JobMeta {
  requestId?: string;
}

export type Language = 'fr' | 'en';

/** A secret sealed with SECRETS_KEY (libs/security): never clear text in a job or the outbox. */
export interface SealedValue {
  sealed: string;
}

export type EmailTemplate =
  | 'welcome-login-id'
  | 'edi-code'
  | 'change-request-pending'
  | 'change-request-outcome'
  | 'report-ready';

export type SmsTemplate = 'provisional-password';

/**
 * One message for one business event. `eventKey` (also the job id) derives from the
 * event, so a retried or duplicated job sends once. `secrets` are sealed and opened by
 * the worker only to render the message; they never reach the message log.
 */
export interface SendEmailJob {
  eventKey: string;
  companyId?: string;
  template: EmailTemplate;
  to: string;
  language: Language;
  params: Record<string, string>;
  secrets?: Record<string, SealedValue>;
}

export interface SendSmsJob {
  eventKey: string;
  companyId?: string;
  template: SmsTemplate;
  /** E.164 phone number. */
  to: string;
  language: Language;
  params: Record<string, string>;
  secrets?: Record<string, SealedValue>;
}

/** One entry of the audit trail, as produced by any service (chained by the consumer). */
export interface AuditEventJob {
  eventId: string;
  /** Null for platform-level events (operators), which form their own chain. */
  companyId: string | null;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId?: string;
  sourceIp?: string;
  requestId?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/** The identity facts the rights check depends on, pushed by identity on every change. */
export interface PrincipalStateJob {
  userId: string;
  companyId: string;
  /** REGISTERED | ACTIVE | SUSPENDED | DELETED */
  status: string;
  /** Monotonic per user (the user's version): older states never overwrite newer ones. */
  version: number;
  credentials: Array<{ id: string; validUntil: string | null; revoked: boolean; bankingPower: boolean }>;
}

export interface ApplyChangeJob {
  changeRequestId: string;
}

export interface ExpireChangeJob {
  changeRequestId: string;
}

export interface BuildReportJob {
  reportId: string;
}

export const JOBS = {
  sendEmail: defineJob<SendEmailJob>(QUEUES.notifications, 'send-email'),
  sendSms: defineJob<SendSmsJob>(QUEUES.notifications, 'send-sms'),
  recordAuditEvent: defineJob<AuditEventJob>(QUEUES.audit, 'record-audit-event'),
  applyChange: defineJob<ApplyChangeJob>(QUEUES.changes, 'apply-change'),
  expireChange: defineJob<ExpireChangeJob>(QUEUES.changes, 'expire-change'),
  syncPrincipal: defineJob<PrincipalStateJob>(QUEUES.principals, 'sync-principal'),
  buildReport: defineJob<BuildReportJob>(QUEUES.reports, 'build-report'),
};
