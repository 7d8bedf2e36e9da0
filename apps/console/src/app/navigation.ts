import type { Permissions } from '../session/permissions';

export interface NavItem {
  to: string;
  label:
    | 'nav.users'
    | 'nav.addUser'
    | 'nav.authorizations'
    | 'nav.approvals'
    | 'nav.requests'
    | 'nav.policy'
    | 'nav.reports'
    | 'nav.audit'
    | 'nav.account';
  allowed: (p: Permissions) => boolean;
}

/** The administration menu (seed 002), each entry shown only to those who may use it. */
export const NAVIGATION: NavItem[] = [
  { to: '/users', label: 'nav.users', allowed: (p) => p.administer },
  { to: '/users/new', label: 'nav.addUser', allowed: (p) => p.administer },
  { to: '/authorizations', label: 'nav.authorizations', allowed: (p) => p.administer },
  { to: '/approvals', label: 'nav.approvals', allowed: (p) => p.approve },
  { to: '/requests', label: 'nav.requests', allowed: (p) => p.administer },
  { to: '/policy', label: 'nav.policy', allowed: (p) => p.administer },
  { to: '/reports', label: 'nav.reports', allowed: (p) => p.orderReports },
  { to: '/audit', label: 'nav.audit', allowed: (p) => p.readAudit },
  { to: '/account', label: 'nav.account', allowed: () => true },
];
