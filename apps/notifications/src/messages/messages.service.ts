import { Injectable } from '@nestjs/common';
import {
  Actor,
  FAILED_NOTIFICATIONS_SCAN_LIMIT,
  FailedNotificationView,
  IdentityCommands,
  MessageChannel,
  MessageStatus,
  MessageView,
  Page,
  PageQueryDto,
  pageWindow,
  QUEUES,
} from '@procura/contracts';
import { Message } from '@procura/database';
import { ForbiddenError, NotFoundError } from '@procura/errors';
import { CommandBus, QueueRegistry } from '@procura/messaging';
import { Job } from 'bullmq';
import { MessagesRepository } from './messages.repository';
import { maskEmail, maskPhone } from './recipient-mask';

export function toMessageView(message: Message): MessageView {
  return {
    id: message.id,
    channel: message.channel as MessageChannel,
    template: message.template,
    recipient: message.recipientMasked,
    status: message.status as MessageStatus,
    attempts: message.attempts,
    ...(message.lastError ? { lastError: message.lastError } : {}),
    ...(message.jobId ? { jobId: message.jobId } : {}),
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
    ...(message.sentAt ? { sentAt: message.sentAt.toISOString() } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A dead letter as operators see it: who (masked), what template, why; never the params or secrets. */
export function toFailedView(job: Job): FailedNotificationView {
  const data = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Record<string, unknown>;
  const sms = job.name === 'send-sms';
  const to = typeof data.to === 'string' ? data.to : undefined;
  return {
    jobId: String(job.id),
    job: job.name,
    ...(typeof data.eventKey === 'string' ? { eventKey: data.eventKey } : {}),
    ...(typeof data.companyId === 'string' && UUID.test(data.companyId) ? { companyId: data.companyId } : {}),
    channel: sms ? MessageChannel.SMS : MessageChannel.EMAIL,
    ...(typeof data.template === 'string' ? { template: data.template.slice(0, 100) } : {}),
    ...(to ? { recipient: sms ? maskPhone(to) : maskEmail(to) } : {}),
    failedReason: job.failedReason ?? 'unknown',
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}

/**
 * What operators see of the notifications: a company's message log and the dead
 * letters, only for the companies they manage (asked to identity: 404 otherwise).
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly queues: QueueRegistry,
    private readonly bus: CommandBus,
  ) {}

  async list(actor: Actor, companyId: string, query: PageQueryDto): Promise<Page<MessageView>> {
    await this.assertManages(actor, companyId);
    const { page, pageSize, skip } = pageWindow(query);
    const [items, total] = await this.messages.pageByCompany(companyId, skip, pageSize);
    return { items: items.map(toMessageView), page, pageSize, total };
  }

  /** Newest first. Dead letters of companies the operator does not manage are left out; platform-level ones (no company) are shown. */
  async listFailed(actor: Actor, companyId?: string): Promise<FailedNotificationView[]> {
    this.requireOperator(actor);
    if (companyId) await this.assertManages(actor, companyId);
    const jobs = await this.queue().getFailed(0, FAILED_NOTIFICATIONS_SCAN_LIMIT - 1);
    const views = jobs.filter((job): job is Job => Boolean(job)).map(toFailedView);
    if (companyId) return views.filter((v) => v.companyId === companyId);
    const companies = [...new Set(views.flatMap((v) => (v.companyId ? [v.companyId] : [])))];
    const managed = new Set<string>();
    await Promise.all(companies.map(async (id) => (await this.manages(actor, id)) && managed.add(id)));
    return views.filter((v) => !v.companyId || managed.has(v.companyId));
  }

  async getFailed(actor: Actor, jobId: string): Promise<FailedNotificationView> {
    this.requireOperator(actor);
    const job = await this.queue().getJob(jobId);
    if (!job || !(await job.isFailed())) throw new NotFoundError('Failed notification');
    const view = toFailedView(job);
    if (view.companyId && !(await this.manages(actor, view.companyId))) throw new NotFoundError('Failed notification');
    return view;
  }

  /** Back to the queue with fresh attempts; a message whose outcome was unknown is sent again (the operator checked). */
  async retryFailed(actor: Actor, jobId: string): Promise<{ jobId: string; retried: true }> {
    const view = await this.getFailed(actor, jobId);
    const job = await this.queue().getJob(jobId);
    if (!job) throw new NotFoundError('Failed notification');
    if (view.eventKey) await this.messages.releaseFailed(view.eventKey);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return { jobId, retried: true };
  }

  private queue() {
    return this.queues.get(QUEUES.notifications);
  }

  private requireOperator(actor: Actor): void {
    if (actor.kind !== 'operator') throw new ForbiddenError('Only operators see the notifications');
  }

  private async assertManages(actor: Actor, companyId: string): Promise<void> {
    this.requireOperator(actor);
    await this.bus.execute(IdentityCommands.getCompany, { companyId }, { actor });
  }

  private async manages(actor: Actor, companyId: string): Promise<boolean> {
    try {
      await this.assertManages(actor, companyId);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError || (error as { status?: number }).status === 404) return false;
      throw error;
    }
  }
}
