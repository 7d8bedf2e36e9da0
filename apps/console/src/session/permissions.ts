import type { EffectiveRights, UserView } from '../api/types';

/** What the signed-in person may do, as the navigation shows it (the API decides in the end). */
export interface Permissions {
  /** Company administrators manage users, rights, credentials and the policy (seed 002: the "Admin" right). */
  administer: boolean;
  /** Validators are the company's other administrators (never the maker nor the subject: the page says so per request). */
  approve: boolean;
  /** Clients order the access-rights and deliveries reports: administrators and users with the report right. */
  orderReports: boolean;
  readAudit: boolean;
}

export function permissionsOf(me: UserView, rights: EffectiveRights | undefined): Permissions {
  const administer = me.clientType === 'ADMINISTRATOR' && me.status === 'ACTIVE';
  const reportRight = rights?.rights.some((r) => r.service === 'REPORTS' && r.right === 'ORDER_REPORTS') ?? false;
  return { administer, approve: administer, orderReports: administer || reportRight, readAudit: administer };
}
