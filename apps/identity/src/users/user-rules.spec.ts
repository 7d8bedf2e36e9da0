import { isNominativeEmail, isPastDate, maskEmail, normaliseEmail } from './user-rules';

describe('user rules', () => {
  it('refuses generic mailboxes (seed 003) and accepts personal ones', () => {
    for (const generic of [
      'contact@firm.fr',
      'INFO@firm.fr',
      'admin@firm.fr',
      'compta@firm.fr',
      'compta-lyon@firm.fr',
      'contact2@firm.fr',
      'comptabilité@firm.fr',
    ]) {
      expect(isNominativeEmail(generic)).toBe(false);
    }
    for (const personal of ['julie.leroy@firm.fr', 'j.leroy@firm.fr', 'paul-contact@firm.fr', 'marc.dupont+edi@firm.fr']) {
      expect(isNominativeEmail(personal)).toBe(true);
    }
  });

  it('lower-cases e-mails so uniqueness is case-insensitive', () => {
    expect(normaliseEmail(' Julie.Leroy@Firm.FR ')).toBe('julie.leroy@firm.fr');
  });

  it('accepts only real past dates as birth dates', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(isPastDate('1990-01-22', now)).toBe(true);
    expect(isPastDate('1990-02-30', now)).toBe(false);
    expect(isPastDate('2030-01-01', now)).toBe(false);
  });

  it('masks e-mails', () => {
    expect(maskEmail('julie@firm.fr')).toBe('j••••@firm.fr');
  });
});
