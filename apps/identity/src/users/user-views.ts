import { ActivationMode, AdminSignature, ClientType, CredentialType, CredentialView, UserStatus, UserView } from '@procura/contracts';
import { Credential, User } from '@procura/database';

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    companyId: user.companyId,
    lastName: user.lastName,
    firstName: user.firstName,
    birthDate: user.birthDate.toISOString().slice(0, 10),
    email: user.email,
    phone: user.phone,
    clientType: user.clientType as ClientType,
    adminSignature: user.adminSignature as AdminSignature,
    status: user.status as UserStatus,
    activationMode: user.activationMode as ActivationMode,
    language: user.language,
    version: user.version,
    createdAt: user.createdAt.toISOString(),
  };
}

export function credentialStatus(c: Pick<Credential, 'status' | 'validUntil'>, now: Date): 'ACTIVE' | 'REVOKED' | 'EXPIRED' {
  if (c.status === 'REVOKED') return 'REVOKED';
  if (c.validUntil && c.validUntil.getTime() <= now.getTime()) return 'EXPIRED';
  return 'ACTIVE';
}

export function toCredentialView(c: Credential, now: Date): CredentialView {
  const locked = !!c.lockedUntil && c.lockedUntil.getTime() > now.getTime();
  return {
    id: c.id,
    userId: c.userId,
    loginId: c.loginId,
    type: c.type as CredentialType,
    validUntil: c.validUntil?.toISOString() ?? null,
    bankingPower: c.bankingPower,
    status: credentialStatus(c, now),
    locked,
    lockedUntil: locked ? c.lockedUntil!.toISOString() : null,
    passwordChangeRequired: c.passwordIsProvisional,
    totpEnrolled: !!c.totpEnrolledAt,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
  };
}

/** What an audit entry or a change diff shows of a user (no secrets exist on a user). */
export function userSnapshot(user: User): Record<string, unknown> {
  const { createdAt: _c, ...rest } = toUserView(user);
  return rest;
}

export function credentialSnapshot(c: Credential, now: Date): Record<string, unknown> {
  const v = toCredentialView(c, now);
  return {
    id: v.id,
    userId: v.userId,
    loginId: v.loginId,
    type: v.type,
    validUntil: v.validUntil,
    bankingPower: v.bankingPower,
    status: v.status,
    locked: v.locked,
    totpEnrolled: v.totpEnrolled,
  };
}
