import { Injectable } from '@nestjs/common';
import { ChangeDispatcher } from '@procura/changes';
import { Actor, ChangeItemInput, ChangeKind, ChangeValidation, PlannedEntity } from '@procura/contracts';
import { DomainError, FieldError, ValidationFailedError } from '@procura/errors';
import { randomUUID } from 'node:crypto';

/** An item as its owner validated it, with the id it is stored under. */
export interface ValidatedItem {
  id: string;
  position: number;
  kind: ChangeKind;
  ref?: string;
  /** The payload as submitted, references resolved. */
  submitted: Record<string, unknown>;
  validation: ChangeValidation;
}

export interface ValidateItemsOptions {
  /** Name fields `items[i].payload.<field>` (the batch endpoint) rather than `<field>` (an endpoint of one kind). */
  itemFieldNames: boolean;
}

const isRef = (value: unknown): value is { $ref: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && '$ref' in value;

/**
 * Validates the items of a change request in order, each by its owner, as a composite:
 * `{"$ref": name}` in an item stands for the id of what the earlier item named `name`
 * creates, and each owner sees what the earlier items will create (planned entities) as
 * if it existed. Requests without references are validated all at once, as before.
 */
@Injectable()
export class ChangeItemsValidator {
  constructor(private readonly dispatcher: ChangeDispatcher) {}

  async validate(actor: Actor, companyId: string, items: ChangeItemInput[], options: ValidateItemsOptions): Promise<ValidatedItem[]> {
    const ids = items.map(() => randomUUID());
    this.checkRefNames(items);
    const composite = items.some((item) => item.ref !== undefined || JSON.stringify(item.payload).includes('"$ref"'));
    if (!composite) {
      return Promise.all(
        items.map(async (item, position) => ({
          id: ids[position],
          position,
          kind: item.kind,
          submitted: item.payload,
          validation: await this.validateOne(actor, companyId, item, item.payload, ids[position], [], position, options),
        })),
      );
    }
    const validated: ValidatedItem[] = [];
    const created = new Map<string, string>();
    const planned: PlannedEntity[] = [];
    for (const [position, item] of items.entries()) {
      const payload = this.resolveRefs(item.payload, created, `items[${position}].payload`) as Record<string, unknown>;
      const validation = await this.validateOne(actor, companyId, item, payload, ids[position], planned, position, options);
      const creates = (validation.creates ?? []).map((entity) => ({ ...entity, position }));
      validation.creates = creates;
      planned.push(...creates);
      if (item.ref !== undefined) {
        if (creates.length === 0)
          throw new ValidationFailedError([
            { field: `items[${position}].ref`, messages: [`a ${item.kind} item creates nothing to refer to`] },
          ]);
        created.set(item.ref, creates[0].id);
      }
      validated.push({
        id: ids[position],
        position,
        kind: item.kind,
        ...(item.ref !== undefined ? { ref: item.ref } : {}),
        submitted: payload,
        validation,
      });
    }
    return validated;
  }

  private async validateOne(
    actor: Actor,
    companyId: string,
    item: ChangeItemInput,
    payload: Record<string, unknown>,
    itemId: string,
    planned: PlannedEntity[],
    position: number,
    options: ValidateItemsOptions,
  ): Promise<ChangeValidation> {
    try {
      return await this.dispatcher.validate({ kind: item.kind, companyId, payload, itemId, ...(planned.length ? { planned } : {}) }, actor);
    } catch (error) {
      if (options.itemFieldNames && error instanceof DomainError && error.fields?.length) throw renamed(error, position);
      throw error;
    }
  }

  private checkRefNames(items: ChangeItemInput[]): void {
    const seen = new Map<string, number>();
    const problems: FieldError[] = [];
    for (const [position, item] of items.entries()) {
      if (item.ref === undefined) continue;
      if (seen.has(item.ref))
        problems.push({
          field: `items[${position}].ref`,
          messages: [`ref "${item.ref}" is already the name of items[${seen.get(item.ref)}]`],
        });
      else seen.set(item.ref, position);
    }
    if (problems.length) throw new ValidationFailedError(problems);
  }

  /** Replaces each `{"$ref": name}` with the id the named earlier item creates. */
  private resolveRefs(value: unknown, created: Map<string, string>, path: string): unknown {
    if (isRef(value)) {
      const name = value.$ref;
      const id = typeof name === 'string' ? created.get(name) : undefined;
      if (id === undefined)
        throw new ValidationFailedError([
          {
            field: path,
            messages: [
              `{"$ref": ${JSON.stringify(name)}} names no earlier item of this request (refer to an item above this one by its ref)`,
            ],
          },
        ]);
      return id;
    }
    if (Array.isArray(value)) return value.map((v, i) => this.resolveRefs(v, created, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveRefs(v, created, `${path}.${k}`)]));
    return value;
  }
}

/** The same refusal, its fields named inside the item (`items[2].payload.userId`). */
function renamed(error: DomainError, position: number): DomainError {
  const fields = (error.fields ?? []).map((f) => ({ ...f, field: `items[${position}].payload.${f.field.replace(/^payload\./, '')}` }));
  return new DomainError(error.code, error.status, error.message, fields, error.extra);
}
