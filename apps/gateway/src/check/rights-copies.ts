import { CatalogServiceView, CompiledRightsAnswer } from '@procura/contracts';
import { CatalogIndex, catalogVersion, CompiledRights, rightsFromWire } from '@procura/rights';

/** Where the copies come from: the users' generation tokens (Redis) and the authorizations service (RPC). */
export interface RightsSource {
  /** The current generation token of each user, in order; null where there is none. */
  tokens(userIds: string[]): Promise<Array<string | null>>;
  /** Compiled rights with the token each was compiled under (read before the rights). */
  compiled(userIds: string[]): Promise<CompiledRightsAnswer>;
  catalog(): Promise<CatalogServiceView[]>;
}

export interface RightsCopiesOptions {
  maxEntries: number;
  /** Safety net only: correctness comes from the generation tokens. */
  maxAgeMs: number;
  now: () => number;
}

interface Entry {
  token: string;
  rights: CompiledRights | null;
  loadedAt: number;
}

interface CatalogState {
  version: string;
  index: CatalogIndex;
  loadedAt: number;
}

export interface RightsAndCatalog {
  rights: Map<string, CompiledRights | null>;
  catalog: CatalogIndex;
}

/**
 * This process's copies of users' compiled rights, at most `maxEntries` (least recently
 * used first out). Every use reads the users' generation tokens (one GET, or one MGET for
 * a batch) and keeps a copy only while its token is the current one; otherwise the copy
 * is fetched again. A user without a token is always fetched: the authorizations service
 * then creates the token, so a copy is never trusted across a lost token.
 */
export class RightsCopies {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private catalogNow?: CatalogState;
  private catalogLoading?: Promise<CatalogState>;

  constructor(
    private readonly source: RightsSource,
    private readonly options: RightsCopiesOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async rightsOf(userIds: string[]): Promise<RightsAndCatalog> {
    const distinct = [...new Set(userIds)];
    const [tokens, catalogState] = await Promise.all([this.source.tokens(distinct), this.catalog()]);
    const now = this.options.now();
    const rights = new Map<string, CompiledRights | null>();
    const waiting: Array<Promise<void>> = [];
    const missing: string[] = [];
    distinct.forEach((userId, i) => {
      const token = tokens[i];
      const hit = this.entries.get(userId);
      if (token !== null && hit && hit.token === token && now - hit.loadedAt < this.options.maxAgeMs) {
        this.entries.delete(userId); // most recently used last
        this.entries.set(userId, hit);
        rights.set(userId, hit.rights);
        return;
      }
      const pending = token === null ? undefined : this.loading.get(`${userId}|${token}`);
      if (pending) waiting.push(pending.then((entry) => void rights.set(userId, entry.rights)));
      else missing.push(userId);
    });
    let catalog = catalogState;
    if (missing.length > 0) {
      const observed = missing.map((id) => tokens[distinct.indexOf(id)]);
      waiting.push(
        this.fetch(missing, observed).then(async (answer) => {
          for (const [userId, entry] of answer.entries) rights.set(userId, entry.rights);
          if (answer.catalogVersion !== catalogState.version) catalog = await this.reloadCatalog(catalogState);
        }),
      );
    }
    await Promise.all(waiting);
    return { rights, catalog: catalog.index };
  }

  private fetch(userIds: string[], observed: Array<string | null>): Promise<{ entries: Map<string, Entry>; catalogVersion: string }> {
    const answer = this.source.compiled(userIds).then((reply) => {
      const entries = new Map<string, Entry>();
      const loadedAt = this.options.now();
      for (const u of reply.users) {
        const entry = { token: u.token, rights: u.rights ? rightsFromWire(u.rights) : null, loadedAt };
        entries.set(u.userId, entry);
        this.store(u.userId, entry);
      }
      for (const id of userIds) if (!entries.has(id)) throw new Error(`the authorizations service left out user ${id}`);
      return { entries, catalogVersion: reply.catalogVersion };
    });
    userIds.forEach((userId, i) => {
      const token = observed[i];
      if (token === null) return;
      const key = `${userId}|${token}`;
      const one = answer.then((a) => a.entries.get(userId)!);
      this.loading.set(key, one);
      void one.then(
        () => this.loading.delete(key),
        () => this.loading.delete(key),
      );
    });
    return answer;
  }

  private store(userId: string, entry: Entry): void {
    this.entries.delete(userId);
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(userId, entry);
  }

  private catalog(): Promise<CatalogState> {
    const state = this.catalogNow;
    if (state && this.options.now() - state.loadedAt < this.options.maxAgeMs) return Promise.resolve(state);
    return this.loadCatalog();
  }

  /** Reloads the catalog unless another caller already replaced `stale`. */
  private reloadCatalog(stale: CatalogState): Promise<CatalogState> {
    return this.catalogNow && this.catalogNow !== stale ? Promise.resolve(this.catalogNow) : this.loadCatalog();
  }

  /** One load at a time; a failed load is retried by the next caller. */
  private loadCatalog(): Promise<CatalogState> {
    if (this.catalogLoading) return this.catalogLoading;
    const loading = this.source.catalog().then((views) => {
      const state = { version: catalogVersion(views), index: new CatalogIndex(views), loadedAt: this.options.now() };
      this.catalogNow = state;
      return state;
    });
    this.catalogLoading = loading;
    const clear = () => {
      if (this.catalogLoading === loading) this.catalogLoading = undefined;
    };
    loading.then(clear, clear);
    return loading;
  }
}
