import type { ChangeItemInput, GrantDto } from '../api/types';

export type Template = 'DIRECTOR' | 'ACCOUNTANT' | 'PREPARER' | 'VALIDATOR';
export type RightsMethod = 'TEMPLATE' | 'COPY' | 'CUSTOM' | 'NONE';

/** The three ways of giving rights (seed 001), as the user fills them in. */
export interface RightsDraft {
  method: RightsMethod;
  template: {
    template: Template;
    services: string[];
    excludedRights: Array<{ service: string; right: string }>;
    excludedResourceIds: string[];
  };
  copy: { fromUserId: string | null; excludedServices: string[]; excludedResourceIds: string[] };
  custom: {
    /** Existing authorizations to attach the user to (seed 000: reusable profiles). */
    attach: string[];
    /** A new authorization for the user, when its label is filled in. */
    create: { label: string; service: string; effectiveFrom: string; endsAt: string; grants: GrantDto[] };
  };
}

export const CUSTOMISABLE: Template[] = ['PREPARER', 'VALIDATOR'];

export function emptyRights(): RightsDraft {
  return {
    method: 'TEMPLATE',
    template: { template: 'VALIDATOR', services: ['BANKING'], excludedRights: [], excludedResourceIds: [] },
    copy: { fromUserId: null, excludedServices: [], excludedResourceIds: [] },
    custom: { attach: [], create: { label: '', service: 'EINVOICING', effectiveFrom: today(), endsAt: '', grants: [] } },
  };
}

export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A date of a date field as an instant: the start of that day where the user is (the API takes ISO instants). */
export function startOfDay(date: string): string | undefined {
  return date ? new Date(`${date}T00:00:00`).toISOString() : undefined;
}

/** A reference to the entity an earlier item of the same request creates (decision D1), or a known id. */
export type UserRef = string | { $ref: string };

/** The change items that give the rights chosen in `draft` to `user` (an id, or the ref of the person being created). */
export function rightsItems(draft: RightsDraft, user: UserRef): ChangeItemInput[] {
  switch (draft.method) {
    case 'NONE':
      return [];
    case 'TEMPLATE': {
      const { template, services, excludedRights, excludedResourceIds } = draft.template;
      const customisable = CUSTOMISABLE.includes(template);
      return [
        {
          kind: 'RIGHTS_TEMPLATE',
          payload: {
            userId: user,
            template,
            services,
            ...(customisable && excludedRights.length ? { excludedRights } : {}),
            ...(customisable && excludedResourceIds.length ? { excludedResourceIds } : {}),
          },
        },
      ];
    }
    case 'COPY': {
      const { fromUserId, excludedServices, excludedResourceIds } = draft.copy;
      return [
        {
          kind: 'RIGHTS_COPY',
          payload: {
            userId: user,
            fromUserId,
            ...(excludedServices.length ? { excludedServices } : {}),
            ...(excludedResourceIds.length ? { excludedResourceIds } : {}),
          },
        },
      ];
    }
    case 'CUSTOM': {
      const items: ChangeItemInput[] = draft.custom.attach.map((authorizationId) => ({
        kind: 'AUTHORIZATION_ASSIGN',
        payload: { authorizationId, attach: [user] },
      }));
      const create = draft.custom.create;
      if (create.label.trim()) {
        items.push({
          kind: 'AUTHORIZATION_CREATE',
          payload: {
            label: create.label.trim(),
            service: create.service,
            effectiveFrom: startOfDay(create.effectiveFrom),
            ...(create.endsAt ? { endsAt: startOfDay(create.endsAt) } : {}),
            grants: create.grants.map((g) => ({
              right: g.right,
              level: g.level,
              ...(g.resourceIds?.length ? { resourceIds: g.resourceIds } : {}),
            })),
            userIds: [user],
          },
        });
      }
      return items;
    }
  }
}
