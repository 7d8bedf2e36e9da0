import { useTranslation } from 'react-i18next';

const LOCALES = { fr: 'fr-FR', en: 'en-GB' } as const;

// Intl formatters are slow to build (a list of 25 users builds the same date formatter 25
// times): one per locale and options, kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}
const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
const numberFormat = (locale: string, options: Intl.NumberFormatOptions = {}) =>
  cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

/** Dates, times, numbers and sizes in the reader's language (French by default). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = LOCALES[i18n.language === 'en' ? 'en' : 'fr'];
  const when = (value: string | number | Date | null | undefined, options: Intl.DateTimeFormatOptions) => {
    if (value === null || value === undefined || value === '') return '—';
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat(locale, options).format(date);
  };
  return {
    locale,
    /** A calendar date (birth dates, effective dates): written as a date, never shifted by the time zone. */
    date: (value: string | null | undefined) =>
      value && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? when(`${value}T12:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' })
        : when(value, { dateStyle: 'long' }),
    dateTime: (value: string | number | Date | null | undefined) => when(value, { dateStyle: 'medium', timeStyle: 'short' }),
    time: (value: string | number | Date | null | undefined) => when(value, { timeStyle: 'short' }),
    number: (value: number) => numberFormat(locale).format(value),
    percent: (value: number) => numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value),
    bytes: (value: number) =>
      value < 1024 * 1024
        ? `${numberFormat(locale, { maximumFractionDigits: 1 }).format(value / 1024)} ${locale === 'fr-FR' ? 'Ko' : 'KB'}`
        : `${numberFormat(locale, { maximumFractionDigits: 1 }).format(value / 1024 / 1024)} ${locale === 'fr-FR' ? 'Mo' : 'MB'}`,
    /** "in 5 minutes" / "dans 5 minutes" */
    relative: (target: number) => {
      const minutes = Math.round((target - Date.now()) / 60_000);
      const rtf = cached(`r|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
      if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
      return rtf.format(Math.round(hours / 24), 'day');
    },
  };
}
