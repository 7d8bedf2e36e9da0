import { ReportLanguage } from '@procura/contracts';

/** Every text a report prints, in French and English. */
export interface ReportLabels {
  accessRightsTitle: string;
  deliveriesTitle: string;
  company: string;
  registrationNumber: string;
  generatedAt: string;
  orderedBy: string;
  reportId: string;
  totals: string;
  users: string;
  activeUsers: string;
  credentials: string;
  authorizations: string;
  effectiveRights: string;
  pendingChanges: string;
  deliveries: string;
  summary: string;
  userSections: string;
  name: string;
  email: string;
  status: string;
  clientType: string;
  adminSignature: string;
  loginId: string;
  credentialType: string;
  endDate: string;
  bankingPower: string;
  ediSignatures: string;
  standingRule: string;
  label: string;
  service: string;
  from: string;
  until: string;
  active: string;
  right: string;
  level: string;
  resources: string;
  allResources: string;
  date: string;
  kind: string;
  change: string;
  none: string;
  yes: string;
  no: string;
  account: string;
  deliveryType: string;
  format: string;
  frequency: string;
  channel: string;
  integrity: string;
  integrityHow: (sha256: string, attachment: string) => string;
  footer: (title: string, generatedAt: string) => string;
  sha: (sha256: string) => string;
  page: (n: number) => string;
  values: Record<string, string>;
}

const FR: ReportLabels = {
  accessRightsTitle: "Rapport sur les autorisations d'accès",
  deliveriesTitle: 'Rapport sur les livraisons',
  company: 'Entreprise',
  registrationNumber: "Numéro d'immatriculation",
  generatedAt: 'Généré le',
  orderedBy: 'Commandé par',
  reportId: 'Référence du rapport',
  totals: 'Totaux',
  users: 'Utilisateurs',
  activeUsers: 'Utilisateurs actifs',
  credentials: 'Identifiants',
  authorizations: 'Autorisations',
  effectiveRights: 'Droits effectifs',
  pendingChanges: 'Demandes de modification en attente',
  deliveries: 'Livraisons actives',
  summary: 'Tableau récapitulatif',
  userSections: 'Détail par utilisateur',
  name: 'Nom',
  email: 'E-mail',
  status: 'Statut',
  clientType: 'Type de client',
  adminSignature: 'Signature Admin',
  loginId: 'Identifiant',
  credentialType: 'Type',
  endDate: 'Date de fin',
  bankingPower: 'Pouvoir bancaire',
  ediSignatures: 'Signatures EDI',
  standingRule: 'Règle permanente (contrats ouverts ensuite)',
  label: 'Libellé',
  service: 'Prestation',
  from: 'Du',
  until: 'Au',
  active: 'Active',
  right: 'Droit',
  level: 'Niveau',
  resources: 'Comptes et contrats',
  allResources: 'sans objet',
  date: 'Date',
  kind: 'Nature',
  change: 'Modification',
  none: 'Aucun',
  yes: 'Oui',
  no: 'Non',
  account: 'Compte',
  deliveryType: 'Livraison',
  format: 'Format',
  frequency: 'Fréquence',
  channel: 'Canal',
  integrity: 'Intégrité',
  integrityHow: (sha256, attachment) =>
    `Empreinte SHA-256 des données de ce rapport : ${sha256}. Elle porte sur le fichier joint « ${attachment} » (les données affichées, en JSON canonique UTF-8, une ligne par utilisateur ou livraison). ` +
    `Pour vérifier : extraire la pièce jointe (par ex. « pdfdetach -saveall rapport.pdf ») puis calculer « sha256sum ${attachment} » : le résultat doit être identique.`,
  footer: (title, generatedAt) => `Procura · ${title} · généré le ${generatedAt}`,
  sha: (sha256) => `SHA-256 des données : ${sha256}`,
  page: (n) => `Page ${n}`,
  values: {
    ACTIVE: 'Actif',
    REGISTERED: 'Enregistré',
    SUSPENDED: 'Suspendu',
    DELETED: 'Supprimé',
    REVOKED: 'Révoqué',
    EXPIRED: 'Expiré',
    LOCKED: 'Verrouillé',
    ADMINISTRATOR: 'Administrateur',
    STANDARD: 'Standard',
    NONE: 'Aucune',
    INDIVIDUAL: 'Individuelle',
    CONSULT: 'Consultation',
    MANAGE: 'Gestion',
    VALIDATE: 'Validation',
    COLLECTIVE: 'Collective',
    PERMANENT: 'Permanent',
    TEMPORARY: 'Temporaire',
    ACCOUNT_STATEMENT: 'Extrait de compte',
    INTEREST_CLOSING: 'Bouclement des intérêts',
    PAYMENT_CONFIRMATION: 'Confirmation de paiement',
    CAMT_NOTIFICATION: 'Notification camt',
    DAILY: 'Quotidienne',
    WEEKLY: 'Hebdomadaire',
    MONTHLY: 'Mensuelle',
    QUARTERLY: 'Trimestrielle',
    ON_EVENT: 'À chaque événement',
    E_BANKING: 'E-banking',
    EMAIL: 'E-mail',
    EBICS: 'EBICS',
    SFTP: 'SFTP',
  },
};

const EN: ReportLabels = {
  accessRightsTitle: 'Access-rights report',
  deliveriesTitle: 'Deliveries report',
  company: 'Company',
  registrationNumber: 'Registration number',
  generatedAt: 'Generated at',
  orderedBy: 'Ordered by',
  reportId: 'Report reference',
  totals: 'Totals',
  users: 'Users',
  activeUsers: 'Active users',
  credentials: 'Credentials',
  authorizations: 'Authorizations',
  effectiveRights: 'Effective rights',
  pendingChanges: 'Pending change requests',
  deliveries: 'Active deliveries',
  summary: 'Summary table',
  userSections: 'Detail per user',
  name: 'Name',
  email: 'E-mail',
  status: 'Status',
  clientType: 'Client type',
  adminSignature: 'Admin signature',
  loginId: 'Login id',
  credentialType: 'Type',
  endDate: 'End date',
  bankingPower: 'Banking power',
  ediSignatures: 'EDI signatures',
  standingRule: 'Standing rule (contracts opened later)',
  label: 'Label',
  service: 'Service',
  from: 'From',
  until: 'Until',
  active: 'Active',
  right: 'Right',
  level: 'Level',
  resources: 'Accounts and contracts',
  allResources: 'not applicable',
  date: 'Date',
  kind: 'Kind',
  change: 'Change',
  none: 'None',
  yes: 'Yes',
  no: 'No',
  account: 'Account',
  deliveryType: 'Delivery',
  format: 'Format',
  frequency: 'Frequency',
  channel: 'Channel',
  integrity: 'Integrity',
  integrityHow: (sha256, attachment) =>
    `SHA-256 fingerprint of this report's data: ${sha256}. It covers the attached file "${attachment}" (the data shown, as canonical UTF-8 JSON, one line per user or delivery). ` +
    `To verify: extract the attachment (e.g. "pdfdetach -saveall report.pdf") and run "sha256sum ${attachment}": the result must be identical.`,
  footer: (title, generatedAt) => `Procura · ${title} · generated at ${generatedAt}`,
  sha: (sha256) => `Data SHA-256: ${sha256}`,
  page: (n) => `Page ${n}`,
  values: {
    ACTIVE: 'Active',
    REGISTERED: 'Registered',
    SUSPENDED: 'Suspended',
    DELETED: 'Deleted',
    REVOKED: 'Revoked',
    EXPIRED: 'Expired',
    LOCKED: 'Locked',
    ADMINISTRATOR: 'Administrator',
    STANDARD: 'Standard',
    NONE: 'None',
    INDIVIDUAL: 'Individual',
    CONSULT: 'Consult',
    MANAGE: 'Manage',
    VALIDATE: 'Validate',
    COLLECTIVE: 'Collective',
    PERMANENT: 'Permanent',
    TEMPORARY: 'Temporary',
    ACCOUNT_STATEMENT: 'Account statement',
    INTEREST_CLOSING: 'Interest closing',
    PAYMENT_CONFIRMATION: 'Payment confirmation',
    CAMT_NOTIFICATION: 'camt notification',
    DAILY: 'Daily',
    WEEKLY: 'Weekly',
    MONTHLY: 'Monthly',
    QUARTERLY: 'Quarterly',
    ON_EVENT: 'On each event',
    E_BANKING: 'E-banking',
    EMAIL: 'E-mail',
    EBICS: 'EBICS',
    SFTP: 'SFTP',
  },
};

export function reportLabels(language: ReportLanguage): ReportLabels {
  return language === 'en' ? EN : FR;
}

/** A code shown in the reader's language when known, as is otherwise. */
export function valueLabel(labels: ReportLabels, code: string): string {
  return labels.values[code] ?? code;
}

/** Dates as the reader expects them: dd/mm/yyyy in French, yyyy-mm-dd in English (UTC). */
export function formatDate(language: ReportLanguage, iso: string | null | undefined): string {
  if (!iso) return '';
  const d = iso.slice(0, 10);
  if (language === 'en') return d;
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

export function formatDateTime(language: ReportLanguage, date: Date): string {
  const iso = date.toISOString();
  return `${formatDate(language, iso)} ${iso.slice(11, 16)} UTC`;
}
