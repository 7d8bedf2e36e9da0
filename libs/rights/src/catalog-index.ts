import { CatalogServiceView } from '@procura/contracts';

export interface IndexedRight {
  code: string;
  family: string | null;
  resourceScoped: boolean;
}

export interface IndexedService {
  code: string;
  rights: Map<string, IndexedRight>;
  /** Level code → rank (higher = broader). */
  levels: Map<string, number>;
  /** Level codes by ascending rank. */
  levelOrder: string[];
}

/** The catalog as lookups: the rules and the check resolve codes without a query. */
export class CatalogIndex {
  readonly services = new Map<string, IndexedService>();

  constructor(views: CatalogServiceView[]) {
    for (const s of views) {
      const levels = [...s.levels].sort((a, b) => a.rank - b.rank);
      this.services.set(s.code, {
        code: s.code,
        rights: new Map(
          s.rights.map((r) => [
            r.code,
            { code: r.code, family: r.family ?? null, resourceScoped: r.resourceScope === 'ACCOUNTS_AND_CONTRACTS' },
          ]),
        ),
        levels: new Map(levels.map((l) => [l.code, l.rank])),
        levelOrder: levels.map((l) => l.code),
      });
    }
  }

  service(code: string): IndexedService | undefined {
    return this.services.get(code);
  }

  right(service: string, right: string): IndexedRight | undefined {
    return this.services.get(service)?.rights.get(right);
  }

  rank(service: string, level: string): number | undefined {
    return this.services.get(service)?.levels.get(level);
  }

  /** Families of a service's rights (accounting portal): family → right codes. */
  families(service: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of this.services.get(service)?.rights.values() ?? []) {
      if (r.family) out.set(r.family, [...(out.get(r.family) ?? []), r.code]);
    }
    return out;
  }
}
