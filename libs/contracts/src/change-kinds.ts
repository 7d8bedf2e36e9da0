import { RpcServiceName } from './rpc';

/**
 * Every mutation a company administrator makes is a change of one of these kinds, owned
 * by the service that holds its data. The payload class of each kind is declared beside
 * it in changes.contracts.ts (CHANGE_KIND_CATALOG); this list stays free of imports so
 * that contracts which only name kinds (policies, filters) do not pull the payloads in.
 */
export const CHANGE_KINDS = {
  // identity
  USER_CREATE: 'identity',
  USER_UPDATE: 'identity',
  USER_ACTIVATE: 'identity',
  USER_SUSPEND: 'identity',
  USER_REACTIVATE: 'identity',
  USER_DELETE: 'identity',
  ADMIN_SIGNATURE_SET: 'identity',
  CREDENTIAL_CREATE: 'identity',
  CREDENTIAL_REVOKE: 'identity',
  CREDENTIAL_RESET: 'identity',
  // authorizations
  AUTHORIZATION_CREATE: 'authorizations',
  AUTHORIZATION_UPDATE: 'authorizations',
  AUTHORIZATION_DELETE: 'authorizations',
  AUTHORIZATION_ASSIGN: 'authorizations',
  RIGHTS_TEMPLATE: 'authorizations',
  RIGHTS_COPY: 'authorizations',
  RIGHTS_AUTHORIZE_ALL: 'authorizations',
  POLICY_UPDATE: 'authorizations',
  // reporting
  DELIVERY_UPDATE: 'reporting',
} as const satisfies Record<string, RpcServiceName>;

export type ChangeKind = keyof typeof CHANGE_KINDS;
export const CHANGE_KIND_NAMES = Object.keys(CHANGE_KINDS) as ChangeKind[];

export function ownerOf(kind: ChangeKind): RpcServiceName {
  return CHANGE_KINDS[kind];
}

export function isChangeKind(value: string): value is ChangeKind {
  return Object.prototype.hasOwnProperty.call(CHANGE_KINDS, value);
}
