import { EffectiveRightsView, EffectiveRightView } from '@procura/contracts';
import { ValidationFailedError } from '@procura/errors';
import { bankingPowerOf, CompiledRights, isActiveAt, principalBlock } from './compiled-rights';

/** The instant of a question: `at` when given (ISO 8601), now otherwise. */
export function instant(at: string | undefined, field = 'at'): number {
  if (at === undefined) return Date.now();
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new ValidationFailedError([{ field, messages: [`${field} must be a date-time`] }]);
  return ms;
}

/** The rights a user can use at `when`: none while the user or their credentials block them. */
export function effectiveRightsView(userId: string, rights: CompiledRights, when: number): EffectiveRightsView {
  const blocked = principalBlock(rights, when);
  const bankingPower = bankingPowerOf(rights, when);
  const list: EffectiveRightView[] = [];
  if (!blocked) {
    for (const grants of rights.grants.values()) {
      for (const g of grants) {
        if (!isActiveAt(g, when)) continue;
        list.push({
          service: g.service,
          right: g.right,
          level: g.level,
          resourceIds: g.resources ? [...g.resources].sort() : null,
          authorizationId: g.authorizationId,
          authorizationLabel: g.authorizationLabel,
          validFrom: new Date(g.from).toISOString(),
          validUntil: g.until === null ? null : new Date(g.until).toISOString(),
          ...(g.service === 'BANKING' && !bankingPower.held ? { withheld: 'NO_BANKING_POWER' as const } : {}),
        });
      }
    }
  }
  list.sort(
    (a, b) => a.service.localeCompare(b.service) || a.right.localeCompare(b.right) || a.authorizationId.localeCompare(b.authorizationId),
  );
  return {
    userId,
    at: new Date(when).toISOString(),
    usable: !blocked,
    ...(blocked ? { reason: blocked } : {}),
    bankingPower: bankingPower.held,
    ...(bankingPower.reason ? { bankingPowerReason: bankingPower.reason } : {}),
    rights: list,
  };
}
