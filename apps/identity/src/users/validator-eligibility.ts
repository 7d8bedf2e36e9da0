import { ValidatorEligibility } from '@procura/contracts';
import { UserWithCredentials } from './users.repository';
import { credentialStatus } from './user-views';

/**
 * Who may make and approve changes of a company. Seed 002: the Administration is reserved
 * to holders of the "Admin" right "avec les types de signature individuel ou collectif",
 * so an administrator whose admin signature is NONE administers nothing. Approving also
 * needs an active credential with strong authentication enrolled (the approval's TOTP code).
 */
export function validatorEligibilityOf(user: UserWithCredentials, now: Date): ValidatorEligibility {
  const base = { adminSignature: user.adminSignature as ValidatorEligibility['adminSignature'] };
  if (user.status !== 'ACTIVE') return { eligible: false, reason: `The user is ${user.status}`, ...base };
  if (user.clientType !== 'ADMINISTRATOR') return { eligible: false, reason: 'The user is not an administrator', ...base };
  if (user.adminSignature === 'NONE')
    return {
      eligible: false,
      reason: 'The admin signature is NONE: only administrators with an individual or collective signature make or approve changes',
      ...base,
    };
  const credential = user.credentials.find((c) => credentialStatus(c, now) === 'ACTIVE');
  if (!credential) return { eligible: false, reason: 'The user has no valid credential', ...base };
  if (!credential.totpEnrolledAt) return { eligible: false, reason: 'The user has not enrolled strong authentication', ...base };
  return { eligible: true, ...base };
}
