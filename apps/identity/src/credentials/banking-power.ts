/**
 * Seed 000, note 1: a user whose authorizations cover only the e-invoicing service gets a
 * credential without banking power. `services` are the services the user's
 * authorizations cover (authorizations service, AuthorizationsSeams.servicesOfUser).
 */
export function bankingPowerAllowed(services: readonly string[]): boolean {
  const distinct = new Set(services);
  return !(distinct.size === 1 && distinct.has('EINVOICING'));
}
