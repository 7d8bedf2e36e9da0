import { CatalogServiceView } from '@procura/contracts';
import { createHash } from 'node:crypto';

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * A fingerprint of what the check reads from the catalog (rights, their scope, levels and
 * ranks), whatever the order of the lists: a process holding compiled rights learns from
 * it that the catalog it evaluates them against has changed.
 */
export function catalogVersion(views: CatalogServiceView[]): string {
  const canonical = [...views]
    .sort(byCode)
    .map((s) => [
      s.code,
      [...s.rights].sort(byCode).map((r) => [r.code, r.resourceScope, r.family ?? null]),
      [...s.levels].sort(byCode).map((l) => [l.code, l.rank]),
    ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 22);
}
