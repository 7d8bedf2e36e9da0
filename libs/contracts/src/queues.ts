import { createHash } from 'node:crypto';

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

export type EmailTemplate = keyof EmailTemplateParams;

export type SmsTemplate = keyof SmsTemplateParams;

/**
 * The params of each e-mail template, declared once: producers are type-checked against
 * them and the notifications worker's template specs must name exactly these keys (a
 * producer/template drift does not compile; test/e2e/message-contracts renders what the
 * producers really send). All values are strings: dates ISO 8601, links absolute http(s).
 */
export interface EmailTemplateParams {
  /**
   * The login id only: the provisional password goes by SMS, or is shown once to the
   * creating administrator when the user has no phone (`passwordChannel: 'administrator'`).
   * A resend is a new event.
   */
  'welcome-login-id': {
    firstName: string;
    lastName: string;
    loginId: string;
    portalUrl: string;
    passwordChannel?: 'sms' | 'administrator';
    /** Where the company signs in with e-mails (seed 003): the address to sign in with, instead of the login id. */
    signInEmail?: string;
  };
  /** To the requesting administrator; secret ediCode. */
  'edi-code': { adminFirstName: string; userFirstName: string; userLastName: string; expiresAt: string };
  /** To the signature's owner, once, `EDI_SIGNATURE_REMINDER_DAYS` (30) before it expires (seed 004). */
  'edi-signature-expiring': { firstName: string; validUntil: string; portalUrl: string };
  /** To each validator. */
  'change-request-pending': {
    validatorFirstName: string;
    makerName: string;
    summary: string;
    kind: string;
    link: string;
    expiresAt: string;
  };
  /** To the maker. */
  'change-request-outcome': {
    makerFirstName: string;
    summary: string;
    status: ChangeOutcomeStatus;
    reason?: string;
    link: string;
  };
  /**
   * To the maker, once per request: a pending request that can no longer get its approvals
   * (validators suspended, signatures removed) instead of expiring unnoticed. `reason` names
   * who is left out and why.
   */
  'change-request-cannot-complete': { makerFirstName: string; summary: string; reason: string; link: string; expiresAt: string };
  'report-ready': { firstName: string; reportType: 'ACCESS_RIGHTS' | 'DELIVERIES'; link: string };
}

export type ChangeOutcomeStatus = 'APPLIED' | 'REJECTED' | 'EXPIRED' | 'FAILED' | 'STALE' | 'CANCELLED';

/** The params of each SMS template (see EmailTemplateParams). */
export interface SmsTemplateParams {
  /** Secret provisionalPassword. */
  'provisional-password': { expiresAt: string };
}

/** The secrets (sealed) each template carries; the worker opens them only to render. */
export const TEMPLATE_SECRETS = {
  'welcome-login-id': [],
  'edi-code': ['ediCode'],
  'edi-signature-expiring': [],
  'change-request-pending': [],
  'change-request-outcome': [],
  'change-request-cannot-complete': [],
  'report-ready': [],
  'provisional-password': ['provisionalPassword'],
} as const satisfies Record<EmailTemplate | SmsTemplate, readonly string[]>;

type Secrets<T extends EmailTemplate | SmsTemplate> = (typeof TEMPLATE_SECRETS)[T] extends readonly []
  ? { secrets?: Record<string, never> }
  : { secrets: Record<(typeof TEMPLATE_SECRETS)[T][number], SealedValue> };

/**
 * One message for one business event. `eventKey` derives from the event (e.g.
 * `welcome:<credentialId>`, `welcome:<credentialId>:resend:<uuid>`), so a retried or
 * duplicated job sends once; enqueue it with `notificationJobId(eventKey)` as the job id
 * (BullMQ refuses most ids containing ':'). `secrets` are sealed (sealSecret) and opened
 * by the worker only to render the message; they never reach the message log, a log
 * line or a subject. `language` is the recipient's ('fr' when unknown). A missing or
 * unknown param or secret fails the job permanently.
 */
export type SendEmailJob = {
  [T in EmailTemplate]: {
    eventKey: string;
    companyId?: string;
    template: T;
    to: string;
    language: Language;
    params: EmailTemplateParams[T];
  } & Secrets<T>;
}[EmailTemplate];

export type SendSmsJob = {
  [T in SmsTemplate]: {
    eventKey: string;
    companyId?: string;
    template: T;
    /** E.164 phone number. */
    to: string;
    language: Language;
    params: SmsTemplateParams[T];
  } & Secrets<T>;
}[SmsTemplate];

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

/** Tells the orderer that their report is ready (looks up their contact, then enqueues the e-mail). */
export interface NotifyReportReadyJob {
  reportId: string;
}

/** Repeatable: removes documents past their retention period (files and rows). */
export interface PurgeDocumentsJob {
  /** ISO instant the purge considers "now"; the worker's clock when absent. */
  asOf?: string;
}

/**
 * The BullMQ job id of a notification: derived from the event key alone, so the same
 * event enqueued twice is one job. A hash because BullMQ refuses ids with ':'.
 */
export function notificationJobId(eventKey: string): string {
  return `msg-${createHash('sha256').update(eventKey, 'utf8').digest('hex').slice(0, 40)}`;
}

export const JOBS = {
  sendEmail: defineJob<SendEmailJob>(QUEUES.notifications, 'send-email'),
  sendSms: defineJob<SendSmsJob>(QUEUES.notifications, 'send-sms'),
  recordAuditEvent: defineJob<AuditEventJob>(QUEUES.audit, 'record-audit-event'),
  applyChange: defineJob<ApplyChangeJob>(QUEUES.changes, 'apply-change'),
  expireChange: defineJob<ExpireChangeJob>(QUEUES.changes, 'expire-change'),
  syncPrincipal: defineJob<PrincipalStateJob>(QUEUES.principals, 'sync-principal'),
  buildReport: defineJob<BuildReportJob>(QUEUES.reports, 'build-report'),
  notifyReportReady: defineJob<NotifyReportReadyJob>(QUEUES.reports, 'notify-report-ready'),
  purgeDocuments: defineJob<PurgeDocumentsJob>(QUEUES.reports, 'purge-documents'),
};
