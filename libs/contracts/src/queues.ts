/**
 * BullMQ queues and their jobs, declared once. Each queue has one producer path (the
 * transactional outbox of the owning service) and one consumer service.
 */
export const QUEUES = {
  /** Consumed by the notifications service. */
  notifications: 'procura-notifications',
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

export type EmailTemplate = 'company-welcome';

/** One e-mail for one business event: `eventKey` makes a retried or duplicated job send once. */
export interface SendEmailJob {
  eventKey: string;
  companyId?: string;
  template: EmailTemplate;
  to: string;
  language: 'fr' | 'en';
  params: Record<string, string>;
}

export const JOBS = {
  sendEmail: defineJob<SendEmailJob>(QUEUES.notifications, 'send-email'),
};

/** Metadata carried inside every job so its logs join the originating request. */
export interface JobMeta {
  requestId?: string;
}
