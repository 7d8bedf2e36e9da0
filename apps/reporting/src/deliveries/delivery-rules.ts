import { DeliveryChannel, DeliveryFormat, DeliveryFrequency, DeliveryType } from '@procura/contracts';

export interface DeliverySettings {
  type: DeliveryType;
  format: DeliveryFormat;
  frequency: DeliveryFrequency;
  channel: DeliveryChannel;
}

const { PDF, CAMT_052, CAMT_053, CAMT_054, MT940 } = DeliveryFormat;
const { DAILY, WEEKLY, MONTHLY, QUARTERLY, ON_EVENT } = DeliveryFrequency;
const { E_BANKING, EMAIL, EBICS, SFTP } = DeliveryChannel;

/** Formats each kind of delivery exists in (camt.052 intraday, camt.053 statement, camt.054 debit/credit notification). */
export const FORMATS_OF: Record<DeliveryType, DeliveryFormat[]> = {
  ACCOUNT_STATEMENT: [PDF, CAMT_053, MT940],
  INTEREST_CLOSING: [PDF],
  PAYMENT_CONFIRMATION: [PDF, CAMT_054],
  CAMT_NOTIFICATION: [CAMT_052, CAMT_053, CAMT_054],
};

/** How often each kind can be produced: a closing is periodic, a confirmation follows a payment. */
export const FREQUENCIES_OF: Record<DeliveryType, DeliveryFrequency[]> = {
  ACCOUNT_STATEMENT: [DAILY, WEEKLY, MONTHLY, QUARTERLY],
  INTEREST_CLOSING: [MONTHLY, QUARTERLY],
  PAYMENT_CONFIRMATION: [ON_EVENT, DAILY],
  CAMT_NOTIFICATION: [ON_EVENT, DAILY, WEEKLY, MONTHLY],
};

/**
 * Channels each format can travel on. Machine-readable files (camt, MT940) go to
 * software (e-banking download, EBICS, SFTP), never as an e-mail attachment; PDFs are
 * for people (e-banking documents or e-mail).
 */
export const CHANNELS_OF: Record<DeliveryFormat, DeliveryChannel[]> = {
  PDF: [E_BANKING, EMAIL],
  CAMT_052: [E_BANKING, EBICS, SFTP],
  CAMT_053: [E_BANKING, EBICS, SFTP],
  CAMT_054: [E_BANKING, EBICS, SFTP],
  MT940: [E_BANKING, EBICS, SFTP],
};

export interface DeliveryProblem {
  field: 'format' | 'frequency' | 'channel';
  message: string;
}

/** What is wrong with a combination of settings (empty when it is one the bank produces). */
export function deliveryProblems(s: DeliverySettings): DeliveryProblem[] {
  const problems: DeliveryProblem[] = [];
  if (!FORMATS_OF[s.type].includes(s.format)) {
    problems.push({ field: 'format', message: `${s.type} is delivered as ${FORMATS_OF[s.type].join(', ')}, not ${s.format}` });
  }
  if (!FREQUENCIES_OF[s.type].includes(s.frequency)) {
    problems.push({ field: 'frequency', message: `${s.type} is delivered ${FREQUENCIES_OF[s.type].join(', ')}, not ${s.frequency}` });
  }
  if (s.format === CAMT_052 && ![ON_EVENT, DAILY].includes(s.frequency)) {
    problems.push({ field: 'frequency', message: 'camt.052 is an intraday report: ON_EVENT or DAILY' });
  }
  if (!CHANNELS_OF[s.format].includes(s.channel)) {
    problems.push({ field: 'channel', message: `${s.format} travels by ${CHANNELS_OF[s.format].join(', ')}, not ${s.channel}` });
  }
  return problems;
}
