import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr from './fr';

export type Language = 'fr' | 'en';
const STORAGE_KEY = 'procura.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    // Every t('…') key is checked against the French texts at build time.
    resources: { translation: typeof fr };
  }
}

/** French is the default and ships with the page; English is loaded when chosen. */
export async function startI18n(): Promise<void> {
  const stored = localStorage.getItem(STORAGE_KEY);
  await i18n.use(initReactI18next).init({
    lng: 'fr',
    fallbackLng: 'fr',
    resources: { fr: { translation: fr } },
    interpolation: { escapeValue: false },
  });
  if (stored === 'en') await setLanguage('en');
  document.documentElement.lang = i18n.language;
}

export async function setLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const { default: en } = await import('./en');
    i18n.addResourceBundle('en', 'translation', en);
  }
  await i18n.changeLanguage(language);
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'fr';
}

export { i18n };
