import { Injectable } from '@nestjs/common';
import { CatalogServiceView } from '@procura/contracts';
import { CatalogIndex } from '@procura/rights';
import { CatalogRepository } from './catalog.repository';

/** The service catalog is seeded by migration and read-only; it is read once per process. */
@Injectable()
export class CatalogService {
  private cached?: Promise<CatalogServiceView[]>;
  private indexed?: Promise<CatalogIndex>;

  constructor(private readonly catalog: CatalogRepository) {}

  list(): Promise<CatalogServiceView[]> {
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  /** The catalog as lookups for the rules and the check (read once per process). */
  index(): Promise<CatalogIndex> {
    this.indexed ??= this.list().then(
      (views) => new CatalogIndex(views),
      (error: unknown) => {
        this.indexed = undefined;
        throw error;
      },
    );
    return this.indexed;
  }

  private async load(): Promise<CatalogServiceView[]> {
    const services = await this.catalog.services();
    return services.map((s) => ({
      code: s.code,
      labelFr: s.labelFr,
      labelEn: s.labelEn,
      rights: s.rights.map((r) => ({
        code: r.code,
        labelFr: r.labelFr,
        labelEn: r.labelEn,
        ...(r.family ? { family: r.family } : {}),
        resourceScope: r.resourceScope,
      })),
      levels: s.levels.map((l) => ({ code: l.code, labelFr: l.labelFr, labelEn: l.labelEn, rank: l.rank })),
    }));
  }
}
