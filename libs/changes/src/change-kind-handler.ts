import { DiscoveryService } from '@nestjs/core';
import type { Actor, ChangeDiff, ChangeKind, ChangePayload, ChangePlan } from '@procura/contracts';
import type { Tx } from '@procura/database';
import type { PlannedEntities } from './planned-entities';

/**
 * Marks the one handler of a change kind. The owning service discovers its handlers at
 * boot and refuses to start when a kind it owns has none or two, or when a handler is
 * for a kind another service owns.
 *
 * ```ts
 * @Injectable()
 * @ChangeHandler('DELIVERY_UPDATE')
 * export class DeliveryUpdateHandler implements ChangeKindHandler<'DELIVERY_UPDATE'> { … }
 * ```
 */
export const ChangeHandler = DiscoveryService.createDecorator<ChangeKind>();

/** What a handler is told while validating an item. */
export interface ValidationContext {
  companyId: string;
  /** Who submits (absent when the workflow validates again before applying). */
  actor?: Actor;
  /** The item's id, fixed at submission. */
  itemId: string;
  /** The id of the `index`-th entity this item creates: derived from the item's id, so the same at every validation and at apply. */
  newId(index?: number): string;
  /** What earlier items of the same request will create. */
  planned: PlannedEntities;
}

/** What a handler is told while applying an item. */
export interface ApplyContext {
  itemId: string;
  companyId: string;
  makerUserId: string;
  /** `immediate` when the maker's change applies at once (a secret may then be revealed once in the response). */
  mode: 'immediate' | 'approved';
  /** The target's version when the item was validated; another version now means STALE (throw StaleChangeError). */
  targetVersion?: number;
  /** For the audit trail: the maker, on whose behalf the change applies (`user:<id>`). */
  actor: string;
  newId(index?: number): string;
  /** What earlier items of the request created (they are applied; another service's copy of them may lag). */
  planned: PlannedEntities;
}

/** A planned entity as a handler declares it (the owner fills in the company). */
export interface PlannedEntityInput {
  type: string;
  id: string;
  data: Record<string, unknown>;
}

/** What validation says about an item: the diff the approvers see, and the plan `apply` will execute. */
export interface ChangeDescription<Plan> {
  summary: string;
  diff: ChangeDiff;
  targetType: string;
  targetId?: string;
  targetVersion?: number;
  /** Users the change is about: none of them may approve it. */
  subjectUserIds: string[];
  /** The payload normalised (ids resolved, defaults filled): stored with the request and given to `apply`. */
  plan: Plan;
  /** What applying creates, for the later items of the request; the first is what `{"$ref": name}` names. */
  creates?: PlannedEntityInput[];
}

/** What the audit trail says about an applied change (the owner adds the actor, the item and the kind). */
export interface ChangeAudit {
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/** What applying did. */
export interface ChangeEffect {
  /** What the change produced (e.g. the created user), returned again on a replay. Never a secret. */
  result: Record<string, unknown>;
  /** Shown once to the maker, never stored (e.g. a provisional password for a user without a phone). */
  revealOnce?: Record<string, string>;
  audit: ChangeAudit;
  /** What the service's after-commit hook needs (stored with the outcome, given again on every replay). */
  followUp?: Record<string, unknown>;
}

/**
 * The one handler of change kind K. `validate` checks the payload against the current
 * state (and what earlier items plan) and describes the change; `apply` makes exactly
 * the validated plan inside the given transaction, throwing StaleChangeError when the
 * target moved and a DomainError when a rule no longer holds. The owner runtime
 * (ChangeOwner) does everything else: payload validation, the applied-changes ledger,
 * refusals, audit, after-commit work.
 */
export interface ChangeKindHandler<K extends ChangeKind> {
  validate(payload: ChangePayload<K>, ctx: ValidationContext): Promise<ChangeDescription<ChangePlan<K>>>;
  /** Checks that need another service, made before the transaction opens (no call while a transaction is open). */
  prepare?(plan: ChangePlan<K>, ctx: ApplyContext): Promise<void>;
  apply(tx: Tx, plan: ChangePlan<K>, ctx: ApplyContext): Promise<ChangeEffect>;
}
