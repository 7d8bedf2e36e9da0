import { PlannedEntity } from '@procura/contracts';

/** A person an earlier item registers (USER_CREATE). */
export interface PlannedUser {
  id: string;
  companyId: string;
  status: 'ACTIVE' | 'REGISTERED';
  clientType: 'ADMINISTRATOR' | 'STANDARD';
  adminSignature: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  language: string;
}

/**
 * What the earlier items of a change request will create, as a later item sees it while
 * it is validated (nothing is in a table yet) and applied (the earlier items are applied,
 * but another service's projection of them may lag behind). Each entity's id is fixed at
 * submission, so `{"$ref": name}` in a later item is simply that id.
 */
export class PlannedEntities {
  static readonly none = new PlannedEntities([]);

  constructor(readonly all: readonly PlannedEntity[]) {}

  ofType(type: string): PlannedEntity[] {
    return this.all.filter((e) => e.type === type);
  }

  find(type: string, id: string): PlannedEntity | undefined {
    return this.all.find((e) => e.type === type && e.id === id);
  }

  /** A user an earlier item registers in this company. */
  user(companyId: string, id: string): PlannedUser | undefined {
    const found = this.find('user', id);
    if (!found || found.companyId !== companyId) return undefined;
    return { ...(found.data as Omit<PlannedUser, 'id' | 'companyId'>), id, companyId };
  }

  /** Ids among `userIds` that earlier items register in this company. */
  usersAmong(companyId: string, userIds: string[]): Set<string> {
    return new Set(userIds.filter((id) => this.user(companyId, id)));
  }

  /** Services an earlier item gives the user rights in (RIGHTS_*, AUTHORIZATION_CREATE). */
  servicesGivenTo(userId: string): string[] {
    return [...new Set(this.ofType('user-rights').flatMap((e) => (e.id === userId ? ((e.data.services as string[]) ?? []) : [])))];
  }

  /** Whether an earlier item creates a credential for the user. */
  credentialFor(userId: string): boolean {
    return this.ofType('credential').some((e) => e.data.userId === userId);
  }
}
