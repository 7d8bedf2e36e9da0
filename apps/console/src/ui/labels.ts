import { useTranslation } from 'react-i18next';
import type { CatalogService } from '../api/types';

/** Labels of the catalog (services, rights, levels) in the reader's language, as the API gives them. */
export function useCatalogLabels(services: CatalogService[] | undefined) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const pick = (item: { labelFr: string; labelEn: string } | undefined, fallback: string) =>
    item ? (en ? item.labelEn : item.labelFr) : fallback;
  return {
    service: (code: string) =>
      pick(
        services?.find((s) => s.code === code),
        code,
      ),
    right: (service: string, right: string) =>
      pick(
        services?.find((s) => s.code === service)?.rights.find((r) => r.code === right),
        right,
      ),
    level: (service: string, level: string) =>
      pick(
        services?.find((s) => s.code === service)?.levels.find((l) => l.code === level),
        level,
      ),
  };
}
