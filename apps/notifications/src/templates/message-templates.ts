import { EmailTemplate, EmailTemplateParams, Language, SmsTemplate, SmsTemplateParams, TEMPLATE_SECRETS } from '@procura/contracts';

/**
 * The messages Procura sends, in French (default) and English. Pure functions: a job's
 * params and opened secrets in, subject/text/HTML out. What each template expects is
 * declared in TEMPLATE_SPECS and documented in libs/contracts/src/queues.ts; anything
 * missing, unknown or malformed is a TemplateError (the job fails at once: retrying
 * cannot fix a producer's payload). A secret never goes into a subject.
 */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = TemplateError.name;
  }
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Check = 'text' | 'date' | 'url' | 'loginId' | 'email' | { oneOf: readonly string[] };

type RequiredKeys<P> = { [K in keyof P]-?: undefined extends P[K] ? never : K }[keyof P];
type OptionalKeys<P> = Exclude<keyof P, RequiredKeys<P>>;

/** What the worker checks of a template's input: exactly the keys its contract declares (a drift does not compile). */
interface TemplateSpec<P> {
  channel: 'EMAIL' | 'SMS';
  params: { [K in RequiredKeys<P>]: Check };
  optional?: { [K in OptionalKeys<P>]: Check };
  secrets: readonly string[];
}

const OUTCOMES = [
  'APPLIED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
  'STALE',
  'CANCELLED',
] as const satisfies readonly EmailTemplateParams['change-request-outcome']['status'][];
const REPORT_TYPES = ['ACCESS_RIGHTS', 'DELIVERIES'] as const satisfies readonly EmailTemplateParams['report-ready']['reportType'][];

type AllParams = EmailTemplateParams & SmsTemplateParams;

export const TEMPLATE_SPECS: { [T in EmailTemplate | SmsTemplate]: TemplateSpec<AllParams[T]> } = {
  'welcome-login-id': {
    channel: 'EMAIL',
    params: { firstName: 'text', lastName: 'text', loginId: 'loginId', portalUrl: 'url' },
    // Where the provisional password goes: by SMS (default), or shown once to the creating administrator when the user has no phone.
    // Where the company signs in with e-mails (seed 003), the address to type instead of the login id.
    optional: { passwordChannel: { oneOf: ['sms', 'administrator'] }, signInEmail: 'email' },
    secrets: TEMPLATE_SECRETS['welcome-login-id'],
  },
  'provisional-password': { channel: 'SMS', params: { expiresAt: 'date' }, secrets: TEMPLATE_SECRETS['provisional-password'] },
  'edi-code': {
    channel: 'EMAIL',
    params: { adminFirstName: 'text', userFirstName: 'text', userLastName: 'text', expiresAt: 'date' },
    secrets: TEMPLATE_SECRETS['edi-code'],
  },
  'edi-signature-expiring': {
    channel: 'EMAIL',
    params: { firstName: 'text', validUntil: 'date', portalUrl: 'url' },
    secrets: TEMPLATE_SECRETS['edi-signature-expiring'],
  },
  'change-request-pending': {
    channel: 'EMAIL',
    params: { validatorFirstName: 'text', makerName: 'text', summary: 'text', kind: 'text', link: 'url', expiresAt: 'date' },
    secrets: TEMPLATE_SECRETS['change-request-pending'],
  },
  'change-request-outcome': {
    channel: 'EMAIL',
    params: { makerFirstName: 'text', summary: 'text', status: { oneOf: OUTCOMES }, link: 'url' },
    optional: { reason: 'text' },
    secrets: TEMPLATE_SECRETS['change-request-outcome'],
  },
  'change-request-cannot-complete': {
    channel: 'EMAIL',
    params: { makerFirstName: 'text', summary: 'text', reason: 'text', link: 'url', expiresAt: 'date' },
    secrets: TEMPLATE_SECRETS['change-request-cannot-complete'],
  },
  'report-ready': {
    channel: 'EMAIL',
    params: { firstName: 'text', reportType: { oneOf: REPORT_TYPES }, link: 'url' },
    secrets: TEMPLATE_SECRETS['report-ready'],
  },
};

export function isKnownTemplate(template: string, channel: 'EMAIL' | 'SMS'): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_SPECS, template) && TEMPLATE_SPECS[template as EmailTemplate].channel === channel;
}

/** French unless the recipient chose English. */
export function languageOf(language: string | undefined): Language {
  return language === 'en' ? 'en' : 'fr';
}

/** Checks params and secrets against the template's spec; throws TemplateError naming the field. */
export function checkTemplateInput(
  template: string,
  channel: 'EMAIL' | 'SMS',
  params: Record<string, string>,
  secretNames: string[],
): void {
  if (!isKnownTemplate(template, channel))
    throw new TemplateError(`unknown ${channel === 'EMAIL' ? 'e-mail' : 'SMS'} template "${template}"`);
  const spec = TEMPLATE_SPECS[template as EmailTemplate] as TemplateSpec<Record<string, string>>;
  const allowed: Record<string, Check> = { ...spec.params, ...(spec.optional ?? {}) };
  for (const name of Object.keys(params)) {
    if (!(name in allowed)) throw new TemplateError(`${template}: unknown param "${name}"`);
  }
  for (const [name, check] of Object.entries(allowed)) {
    const value = params[name];
    if (value === undefined && !(name in spec.params)) continue;
    if (typeof value !== 'string' || value.trim() === '') throw new TemplateError(`${template}: param "${name}" is required`);
    const problem = checkValue(value, check);
    if (problem) throw new TemplateError(`${template}: param "${name}" ${problem}`);
  }
  for (const name of secretNames) {
    if (!spec.secrets.includes(name)) throw new TemplateError(`${template}: unknown secret "${name}"`);
  }
  for (const name of spec.secrets) {
    if (!secretNames.includes(name)) throw new TemplateError(`${template}: secret "${name}" is required`);
  }
}

function checkValue(value: string, check: Check): string | undefined {
  if (value.length > 2000) return 'is too long';
  if (check === 'text') return undefined;
  if (check === 'loginId') return /^\d{14}$/.test(value) ? undefined : 'must be 14 digits';
  if (check === 'email') return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? undefined : 'must be an e-mail address';
  if (check === 'date')
    return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 date-time';
  if (check === 'url') {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an http(s) URL';
    } catch {
      return 'must be an absolute URL';
    }
  }
  return check.oneOf.includes(value) ? undefined : `must be one of ${check.oneOf.join(', ')}`;
}

// ── formatting ──────────────────────────────────────────────────────────────────────

/** Dates as the (French) recipient reads them: Paris time, said so. */
export function formatDate(iso: string, language: Language): string {
  const date = new Date(iso);
  if (language === 'en') {
    const text = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(date);
    return `${text} (Paris time)`;
  }
  const text = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text.replace(',', '')} (heure de Paris)`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Subjects stay on one short line whatever a summary holds (no header injection, no wall of text). */
function subjectLine(text: string): string {
  const line = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** A paragraph of the e-mail: plain text, with optional emphasised value and link. */
type Block = { p: string } | { value: string; label: string } | { link: string; label: string } | { note: string };

function compose(subject: string, greeting: string, blocks: Block[], footer: string): RenderedEmail {
  const text: string[] = [greeting, ''];
  const html: string[] = [`<p>${escapeHtml(greeting)}</p>`];
  for (const block of blocks) {
    if ('p' in block) {
      text.push(block.p, '');
      html.push(`<p>${escapeHtml(block.p)}</p>`);
    } else if ('value' in block) {
      text.push(`${block.label} ${block.value}`, '');
      html.push(
        `<p>${escapeHtml(block.label)}<br><strong style="font-size:1.3em;letter-spacing:.08em">${escapeHtml(block.value)}</strong></p>`,
      );
    } else if ('link' in block) {
      text.push(`${block.label} ${block.link}`, '');
      html.push(`<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.label.replace(/\s*:\s*$/, ''))}</a></p>`);
    } else {
      text.push(block.note, '');
      html.push(`<p style="color:#555;font-size:.9em">${escapeHtml(block.note)}</p>`);
    }
  }
  text.push('--', footer);
  html.push(`<hr><p style="color:#777;font-size:.8em">${escapeHtml(footer)}</p>`);
  return {
    subject: subjectLine(subject),
    text: `${text.join('\n')}\n`,
    html: `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5">${html.join('\n')}</body></html>`,
  };
}

const FOOTER = {
  fr: 'Message automatique de Procura, merci de ne pas y répondre. Nous ne vous demanderons jamais votre mot de passe ni vos codes par e-mail ou par téléphone.',
  en: 'Automatic message from Procura, please do not reply. We will never ask for your password or codes by e-mail or phone.',
};

const OUTCOME_TEXT: Record<(typeof OUTCOMES)[number], { fr: string; en: string; subjectFr: string; subjectEn: string }> = {
  APPLIED: {
    fr: 'a été validée et appliquée',
    en: 'was approved and applied',
    subjectFr: 'Demande appliquée',
    subjectEn: 'Change request applied',
  },
  REJECTED: { fr: 'a été refusée', en: 'was rejected', subjectFr: 'Demande refusée', subjectEn: 'Change request rejected' },
  EXPIRED: {
    fr: 'a expiré sans validation',
    en: 'expired without approval',
    subjectFr: 'Demande expirée',
    subjectEn: 'Change request expired',
  },
  FAILED: {
    fr: "n'a pas pu être appliquée",
    en: 'could not be applied',
    subjectFr: 'Demande non appliquée',
    subjectEn: 'Change request not applied',
  },
  STALE: {
    fr: 'est devenue obsolète (les données ont changé depuis) : soumettez-la de nouveau',
    en: 'became stale (the data changed since): submit it again',
    subjectFr: 'Demande obsolète',
    subjectEn: 'Change request stale',
  },
  CANCELLED: { fr: 'a été annulée', en: 'was cancelled', subjectFr: 'Demande annulée', subjectEn: 'Change request cancelled' },
};

const REPORT_TEXT: Record<(typeof REPORT_TYPES)[number], { fr: string; en: string }> = {
  ACCESS_RIGHTS: { fr: 'Rapport des droits d’accès', en: 'Access-rights report' },
  DELIVERIES: { fr: 'Rapport des livraisons', en: 'Deliveries report' },
};

/** Renders an e-mail; call checkTemplateInput first. */
export function renderEmail(
  template: EmailTemplate,
  language: Language,
  params: Record<string, string>,
  secrets: Record<string, string>,
): RenderedEmail {
  const fr = language === 'fr';
  const footer = FOOTER[language];
  switch (template) {
    case 'welcome-login-id': {
      const byAdmin = params.passwordChannel === 'administrator';
      // Seed 003: where the company signs in with e-mails, the address "sert d'identifiant unique".
      const byEmail = params.signInEmail !== undefined;
      return fr
        ? compose(
            'Votre identifiant de connexion',
            `Bonjour ${params.firstName} ${params.lastName},`,
            [
              { p: 'Votre accès a été créé.' },
              byEmail
                ? { label: 'Votre identifiant de connexion est votre adresse e-mail :', value: params.signInEmail }
                : { label: 'Votre identifiant de connexion (14 chiffres) :', value: params.loginId },
              {
                p: byAdmin
                  ? 'Votre mot de passe provisoire vous sera remis par l’administrateur de votre entreprise.'
                  : 'Votre mot de passe provisoire vous est envoyé séparément par SMS.',
              },
              {
                p: 'À votre première connexion, saisissez cet identifiant et le mot de passe provisoire, puis choisissez votre nouveau mot de passe.',
              },
              { label: 'Se connecter :', link: params.portalUrl },
              { note: 'Si vous n’attendiez pas ce message, prévenez l’administrateur de votre entreprise ou votre conseiller.' },
            ],
            footer,
          )
        : compose(
            'Your login id',
            `Hello ${params.firstName} ${params.lastName},`,
            [
              { p: 'Your access has been created.' },
              byEmail
                ? { label: 'You sign in with your e-mail address:', value: params.signInEmail }
                : { label: 'Your login id (14 digits):', value: params.loginId },
              {
                p: byAdmin
                  ? 'Your provisional password will be given to you by your company administrator.'
                  : 'Your provisional password is sent to you separately by SMS.',
              },
              { p: 'At your first login, enter this login id and the provisional password, then choose your new password.' },
              { label: 'Log in:', link: params.portalUrl },
              { note: 'If you did not expect this message, tell your company administrator or your advisor.' },
            ],
            footer,
          );
    }
    case 'edi-code':
      return fr
        ? compose(
            `Code confidentiel EDI pour ${params.userFirstName} ${params.userLastName}`,
            `Bonjour ${params.adminFirstName},`,
            [
              { p: `Voici le code confidentiel EDI-TDFC demandé pour ${params.userFirstName} ${params.userLastName}.` },
              { label: 'Code confidentiel :', value: secrets.ediCode },
              {
                p: `Il est à usage unique et valable jusqu’au ${formatDate(params.expiresAt, language)}. Transmettez-le à l’utilisateur par un moyen sûr : il en a besoin pour créer sa signature EDI.`,
              },
              { note: 'Si vous n’avez pas demandé ce code, ne le transmettez pas et prévenez votre conseiller.' },
            ],
            footer,
          )
        : compose(
            `EDI confidential code for ${params.userFirstName} ${params.userLastName}`,
            `Hello ${params.adminFirstName},`,
            [
              { p: `Here is the EDI-TDFC confidential code requested for ${params.userFirstName} ${params.userLastName}.` },
              { label: 'Confidential code:', value: secrets.ediCode },
              {
                p: `It can be used once and is valid until ${formatDate(params.expiresAt, language)}. Give it to the user through a safe channel: they need it to create their EDI signature.`,
              },
              { note: 'If you did not request this code, do not pass it on and tell your advisor.' },
            ],
            footer,
          );
    case 'edi-signature-expiring':
      return fr
        ? compose(
            `Votre signature EDI expire le ${formatDate(params.validUntil, language)}`,
            `Bonjour ${params.firstName},`,
            [
              {
                p: `Votre signature EDI, demandée pour chaque envoi de déclaration, expire le ${formatDate(params.validUntil, language)}.`,
              },
              {
                p: 'Pour continuer à effectuer les envois sans interruption, demandez à votre administrateur un nouveau code confidentiel EDI et créez une nouvelle signature avant cette date.',
              },
              { label: 'Se connecter :', link: params.portalUrl },
            ],
            footer,
          )
        : compose(
            `Your EDI signature expires on ${formatDate(params.validUntil, language)}`,
            `Hello ${params.firstName},`,
            [
              { p: `Your EDI signature, asked for at every declaration sending, expires on ${formatDate(params.validUntil, language)}.` },
              {
                p: 'To keep sending without interruption, ask your administrator for a new EDI confidential code and create a new signature before that date.',
              },
              { label: 'Log in:', link: params.portalUrl },
            ],
            footer,
          );
    case 'change-request-pending':
      return fr
        ? compose(
            `Demande à valider : ${params.summary}`,
            `Bonjour ${params.validatorFirstName},`,
            [
              { p: `${params.makerName} a soumis une demande de modification qui attend votre validation :` },
              { p: `${params.summary} (${params.kind})` },
              {
                p: `Elle expire le ${formatDate(params.expiresAt, language)}. La validation vous demandera votre code d’authentification forte.`,
              },
              { label: 'Examiner la demande :', link: params.link },
            ],
            footer,
          )
        : compose(
            `Change request to approve: ${params.summary}`,
            `Hello ${params.validatorFirstName},`,
            [
              { p: `${params.makerName} submitted a change request that awaits your approval:` },
              { p: `${params.summary} (${params.kind})` },
              { p: `It expires on ${formatDate(params.expiresAt, language)}. Approving it will ask for your strong-authentication code.` },
              { label: 'Review the request:', link: params.link },
            ],
            footer,
          );
    case 'change-request-outcome': {
      const texts = OUTCOME_TEXT[params.status as (typeof OUTCOMES)[number]];
      const outcome = texts[language];
      const reason = params.reason ? [{ p: fr ? `Motif : ${params.reason}` : `Reason: ${params.reason}` }] : [];
      return fr
        ? compose(
            `${texts.subjectFr} : ${params.summary}`,
            `Bonjour ${params.makerFirstName},`,
            [
              { p: `Votre demande de modification « ${params.summary} » ${outcome}.` },
              ...reason,
              { label: 'Voir la demande :', link: params.link },
            ],
            footer,
          )
        : compose(
            `${texts.subjectEn}: ${params.summary}`,
            `Hello ${params.makerFirstName},`,
            [{ p: `Your change request "${params.summary}" ${outcome}.` }, ...reason, { label: 'See the request:', link: params.link }],
            footer,
          );
    }
    case 'change-request-cannot-complete':
      return fr
        ? compose(
            `Demande impossible à valider : ${params.summary}`,
            `Bonjour ${params.makerFirstName},`,
            [
              { p: `Votre demande de modification « ${params.summary} » ne peut plus obtenir les validations qu’il lui faut.` },
              { p: `Motif : ${params.reason}` },
              {
                p: `Elle expirerait le ${formatDate(params.expiresAt, language)} sans être appliquée. Annulez-la et soumettez-la de nouveau quand assez d’administrateurs pourront la valider, ou demandez à votre conseiller d’en enregistrer un.`,
              },
              { label: 'Voir la demande :', link: params.link },
            ],
            footer,
          )
        : compose(
            `Change request that cannot be approved: ${params.summary}`,
            `Hello ${params.makerFirstName},`,
            [
              { p: `Your change request "${params.summary}" can no longer get the approvals it needs.` },
              { p: `Reason: ${params.reason}` },
              {
                p: `It would expire on ${formatDate(params.expiresAt, language)} without being applied. Cancel it and submit it again once enough administrators can approve it, or ask your advisor to register one.`,
              },
              { label: 'See the request:', link: params.link },
            ],
            footer,
          );
    case 'report-ready': {
      const label = REPORT_TEXT[params.reportType as (typeof REPORT_TYPES)[number]][language];
      return fr
        ? compose(
            `Votre rapport est prêt : ${label}`,
            `Bonjour ${params.firstName},`,
            [
              { p: `Le document « ${label} » que vous avez commandé est prêt.` },
              { label: 'Télécharger :', link: params.link },
              { note: 'Il reste disponible pendant la durée de conservation des documents, puis il est supprimé.' },
            ],
            footer,
          )
        : compose(
            `Your report is ready: ${label}`,
            `Hello ${params.firstName},`,
            [
              { p: `The "${label}" document you ordered is ready.` },
              { label: 'Download:', link: params.link },
              { note: 'It stays available for the document retention period, then it is deleted.' },
            ],
            footer,
          );
    }
  }
}

/** Renders an SMS: short, GSM-7 characters only around the secret, so it fits in one 160-character SMS. */
export function renderSms(
  template: SmsTemplate,
  language: Language,
  params: Record<string, string>,
  secrets: Record<string, string>,
): string {
  switch (template) {
    case 'provisional-password': {
      const until = formatSmsDate(params.expiresAt, language);
      return language === 'en'
        ? `Procura - your provisional password:\n${secrets.provisionalPassword}\nValid until ${until} (Paris). Never share it.`
        : `Procura - votre mot de passe provisoire :\n${secrets.provisionalPassword}\nValable jusqu'au ${until} (Paris). Ne le communiquez à personne.`;
    }
  }
}

function formatSmsDate(iso: string, language: Language): string {
  const locale = language === 'en' ? 'en-GB' : 'fr-FR';
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(',', '');
}

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

/** How an SMS is encoded and how many units it takes: GSM-7 (160 per SMS) unless a character forces UCS-2 (70). */
export function smsLength(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; limit: number } {
  let units = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) units += 1;
    else if (GSM7_EXTENDED.includes(char)) units += 2;
    else return { encoding: 'UCS-2', units: [...text].length, limit: 70 };
  }
  return { encoding: 'GSM-7', units, limit: 160 };
}
