import { EmailTemplate } from '@procura/contracts';
import {
  checkTemplateInput,
  formatDate,
  languageOf,
  renderEmail,
  renderSms,
  smsLength,
  TEMPLATE_SPECS,
  TemplateError,
} from './message-templates';

const PARAMS: Record<EmailTemplate, Record<string, string>> = {
  'welcome-login-id': { firstName: 'Jeanne', lastName: 'Martin', loginId: '12345678901234', portalUrl: 'https://portal.example.com/login' },
  'edi-code': { adminFirstName: 'Paul', userFirstName: 'Jeanne', userLastName: 'Martin', expiresAt: '2026-11-26T14:00:00.000Z' },
  'edi-signature-expiring': { firstName: 'Jeanne', validUntil: '2027-01-15T09:30:00.000Z', portalUrl: 'https://portal.example.com/login' },
  'change-request-pending': {
    validatorFirstName: 'Paul',
    makerName: 'Jeanne Martin',
    summary: 'Créer l’utilisateur Luc Petit',
    kind: 'user.create',
    link: 'https://portal.example.com/change-requests/1',
    expiresAt: '2026-11-30T10:00:00.000Z',
  },
  'change-request-outcome': {
    makerFirstName: 'Jeanne',
    summary: 'Créer l’utilisateur Luc Petit',
    status: 'REJECTED',
    reason: 'Doublon',
    link: 'https://portal.example.com/change-requests/1',
  },
  'change-request-cannot-complete': {
    makerFirstName: 'Jeanne',
    summary: 'Créer l’utilisateur Luc Petit',
    reason: '1 more approval(s) needed but only 0 administrator(s) can give it (Paul Durand: The user is SUSPENDED)',
    link: 'https://portal.example.com/change-requests/1',
    expiresAt: '2026-11-30T10:00:00.000Z',
  },
  'report-ready': { firstName: 'Jeanne', reportType: 'ACCESS_RIGHTS', link: 'https://portal.example.com/reports/1' },
};
const SECRETS: Partial<Record<EmailTemplate, Record<string, string>>> = { 'edi-code': { ediCode: 'EDI-7Q4K-9XW2' } };

describe('message templates', () => {
  it.each(Object.keys(PARAMS) as EmailTemplate[])(
    '%s renders text and HTML in French and English, with no secret in the subject',
    (template) => {
      const secrets = SECRETS[template] ?? {};
      checkTemplateInput(template, 'EMAIL', PARAMS[template], Object.keys(secrets));
      const fr = renderEmail(template, 'fr', PARAMS[template], secrets);
      const en = renderEmail(template, 'en', PARAMS[template], secrets);
      for (const mail of [fr, en]) {
        expect(mail.subject.length).toBeGreaterThan(5);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).toContain(
          PARAMS[template].firstName ??
            PARAMS[template].adminFirstName ??
            PARAMS[template].validatorFirstName ??
            PARAMS[template].makerFirstName,
        );
        expect(mail.html).toMatch(/^<!doctype html>/);
        for (const secret of Object.values(secrets)) {
          expect(mail.subject).not.toContain(secret);
          expect(mail.text).toContain(secret);
          expect(mail.html).toContain(secret);
        }
      }
      expect(fr.text).toMatch(/Bonjour/);
      expect(en.text).toMatch(/Hello/);
      expect(fr.subject).not.toBe(en.subject);
    },
  );

  it('puts the login id in the welcome e-mail and says the password comes separately', () => {
    const mail = renderEmail('welcome-login-id', 'fr', PARAMS['welcome-login-id'], {});
    expect(mail.text).toContain('12345678901234');
    expect(mail.text).toContain('par SMS');
    expect(mail.html).toContain('href="https://portal.example.com/login"');
    const noPhone = renderEmail('welcome-login-id', 'en', { ...PARAMS['welcome-login-id'], passwordChannel: 'administrator' }, {});
    expect(noPhone.text).toContain('company administrator');
    expect(noPhone.text).not.toContain('SMS');
  });

  it('names the e-mail to sign in with, not the login id, where the company signs in with e-mails (seed 003)', () => {
    const params = { ...PARAMS['welcome-login-id'], signInEmail: 'jeanne.martin@example.com' };
    const fr = renderEmail('welcome-login-id', 'fr', params, {});
    expect(fr.text).toContain('Votre identifiant de connexion est votre adresse e-mail : jeanne.martin@example.com');
    expect(fr.text).not.toContain('12345678901234');
    const en = renderEmail('welcome-login-id', 'en', params, {});
    expect(en.text).toContain('You sign in with your e-mail address: jeanne.martin@example.com');
    expect(en.text).not.toContain('12345678901234');
    expect(() => checkTemplateInput('welcome-login-id', 'EMAIL', { ...params, signInEmail: 'jeanne' }, [])).toThrow(/e-mail address/);
  });

  it('escapes what producers put in the HTML part and keeps subjects on one line', () => {
    const params = { ...PARAMS['change-request-pending'], summary: '<img src=x onerror=alert(1)>\r\nBcc: evil@example.com' };
    const mail = renderEmail('change-request-pending', 'en', params, {});
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('tells the maker the outcome and the reason', () => {
    const mail = renderEmail('change-request-outcome', 'fr', PARAMS['change-request-outcome'], {});
    expect(mail.subject).toMatch(/refusée/);
    expect(mail.text).toContain('Motif : Doublon');
    const applied = renderEmail('change-request-outcome', 'en', { ...PARAMS['change-request-outcome'], status: 'APPLIED', reason: '' }, {});
    expect(applied.text).toContain('was approved and applied');
  });

  it('refuses unknown templates, missing, unknown or malformed params and missing secrets', () => {
    expect(() => checkTemplateInput('password-in-clear', 'EMAIL', {}, [])).toThrow(TemplateError);
    expect(() =>
      checkTemplateInput('provisional-password', 'EMAIL', { expiresAt: '2026-11-26T14:00:00Z' }, ['provisionalPassword']),
    ).toThrow(/unknown e-mail template/);
    const { loginId: _missing, ...withoutLoginId } = PARAMS['welcome-login-id'];
    expect(() => checkTemplateInput('welcome-login-id', 'EMAIL', withoutLoginId, [])).toThrow(/loginId" is required/);
    expect(() => checkTemplateInput('welcome-login-id', 'EMAIL', { ...PARAMS['welcome-login-id'], loginId: '1234' }, [])).toThrow(
      /14 digits/,
    );
    expect(() => checkTemplateInput('welcome-login-id', 'EMAIL', { ...PARAMS['welcome-login-id'], password: 'x' }, [])).toThrow(
      /unknown param "password"/,
    );
    expect(() => checkTemplateInput('welcome-login-id', 'EMAIL', PARAMS['welcome-login-id'], ['provisionalPassword'])).toThrow(
      /unknown secret/,
    );
    expect(() => checkTemplateInput('report-ready', 'EMAIL', { ...PARAMS['report-ready'], link: 'javascript:alert(1)' }, [])).toThrow(
      /http/,
    );
    expect(() => checkTemplateInput('edi-code', 'EMAIL', PARAMS['edi-code'], [])).toThrow(/secret "ediCode" is required/);
    expect(() =>
      checkTemplateInput('change-request-outcome', 'EMAIL', { ...PARAMS['change-request-outcome'], status: 'MAYBE' }, []),
    ).toThrow(/one of/);
  });

  it('fits the provisional password SMS in one GSM-7 SMS in both languages', () => {
    const password = 'Xk7#pQ2!mZ9@vR4$';
    checkTemplateInput('provisional-password', 'SMS', { expiresAt: '2026-11-26T14:00:00.000Z' }, ['provisionalPassword']);
    for (const language of ['fr', 'en'] as const) {
      const text = renderSms(
        'provisional-password',
        language,
        { expiresAt: '2026-11-26T14:00:00.000Z' },
        { provisionalPassword: password },
      );
      expect(text).toContain(`\n${password}\n`);
      const length = smsLength(text);
      expect(length.encoding).toBe('GSM-7');
      expect(length.units).toBeLessThanOrEqual(160);
    }
    expect(renderSms('provisional-password', 'fr', { expiresAt: '2026-11-26T14:00:00.000Z' }, { provisionalPassword: password })).toContain(
      '26/11/2026 15:00',
    );
  });

  it('counts SMS units like a phone: extension characters twice, anything else switches to UCS-2', () => {
    expect(smsLength('abc')).toEqual({ encoding: 'GSM-7', units: 3, limit: 160 });
    expect(smsLength('a{b}')).toEqual({ encoding: 'GSM-7', units: 6, limit: 160 });
    expect(smsLength('fenêtre').encoding).toBe('UCS-2');
  });

  it('speaks French unless the recipient chose English, with Paris times', () => {
    expect(languageOf(undefined)).toBe('fr');
    expect(languageOf('de')).toBe('fr');
    expect(languageOf('en')).toBe('en');
    expect(formatDate('2026-07-01T10:00:00.000Z', 'fr')).toBe('01/07/2026 12:00 (heure de Paris)');
    expect(formatDate('2026-01-01T10:00:00.000Z', 'en')).toBe('1 Jan 2026, 11:00 (Paris time)');
  });

  it('declares every template of the contracts', () => {
    expect(Object.keys(TEMPLATE_SPECS).sort()).toEqual([
      'change-request-cannot-complete',
      'change-request-outcome',
      'change-request-pending',
      'edi-code',
      'edi-signature-expiring',
      'provisional-password',
      'report-ready',
      'welcome-login-id',
    ]);
  });
});
