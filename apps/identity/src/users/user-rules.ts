/**
 * Seed 003: the e-mail is the personal, unique identifier of a person; generic mailboxes
 * (shared by a team or a function) are refused.
 */
const GENERIC_LOCAL_PARTS = new Set([
  'accounting',
  'accounts',
  'accueil',
  'admin',
  'administration',
  'administratif',
  'bonjour',
  'billing',
  'bureau',
  'cabinet',
  'commercial',
  'compta',
  'comptabilite',
  'contact',
  'contacts',
  'direction',
  'facturation',
  'factures',
  'finance',
  'gestion',
  'hello',
  'hr',
  'info',
  'infos',
  'information',
  'mail',
  'noreply',
  'no-reply',
  'office',
  'paie',
  'postmaster',
  'rh',
  'sales',
  'secretariat',
  'service',
  'serviceclient',
  'service-client',
  'support',
  'team',
  'equipe',
  'tresorerie',
  'ventes',
  'webmaster',
]);

/** Stored and compared lower-cased: unique case-insensitively across the platform. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isNominativeEmail(email: string): boolean {
  const local = normaliseEmail(email).split('@')[0] ?? '';
  const folded = local.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  // "contact", "contact2", "info.paris", "compta-lyon" are still mailboxes of a function.
  const head = folded.split(/[.+_-]/)[0].replace(/\d+$/, '');
  return !GENERIC_LOCAL_PARTS.has(folded) && !GENERIC_LOCAL_PARTS.has(head);
}

/** A real calendar date in the past (birth dates). */
export function isPastDate(isoDate: string, now: Date): boolean {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString().slice(0, 10) === isoDate &&
    date.getTime() < now.getTime() &&
    date.getUTCFullYear() >= 1900
  );
}

export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, local.length - 1))}@${domain}`;
}
