import { createContext } from 'react';

/**
 * People that earlier items of the same request create (decision D1), by the id fixed for them at
 * preview or submission: a diff names them although they do not exist yet.
 */
export const PlannedPeople = createContext<ReadonlyMap<string, string>>(new Map());

interface ItemLike {
  kind: string;
  targetId?: string;
  subjectUserIds?: string[];
  diff: Record<string, unknown>;
}

export function plannedPeople(items: ItemLike[]): Map<string, string> {
  const people = new Map<string, string>();
  for (const item of items) {
    const after = item.diff.after as { firstName?: unknown; lastName?: unknown } | undefined;
    const id = item.targetId ?? item.subjectUserIds?.[0];
    if (item.kind === 'USER_CREATE' && id && after)
      people.set(id, `${String(after.firstName ?? '')} ${String(after.lastName ?? '')}`.trim());
  }
  return people;
}
