import { Injectable } from '@nestjs/common';
import { AuthorizationsRepository } from '../authorizations/authorizations.repository';
import { CatalogService } from '../catalog/catalog.service';
import { PrincipalsRepository } from '../principals/principals.repository';
import { CompiledRights, compileRights } from '@procura/rights';
import { RightsGenerations } from './rights-generations';

interface Entry {
  token: string;
  rights: CompiledRights | null;
  loadedAt: number;
}

const MAX_ENTRIES = 100_000;
/** Safety net only: correctness comes from the generation tokens. */
const MAX_AGE_MS = 10 * 60_000;

/**
 * The compiled rights of each user, kept in this replica's memory and checked against
 * the user's generation token (one Redis GET) on every use. A user unknown to the
 * projection compiles to null (cached too, so a flood of checks for a stranger costs no
 * query).
 */
@Injectable()
export class RightsCompiler {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();

  constructor(
    private readonly generations: RightsGenerations,
    private readonly principals: PrincipalsRepository,
    private readonly authorizations: AuthorizationsRepository,
    private readonly catalog: CatalogService,
  ) {}

  async rightsOf(userIds: string[]): Promise<Map<string, CompiledRights | null>> {
    const out = new Map<string, CompiledRights | null>();
    for (const [userId, entry] of await this.entriesOf(userIds)) out.set(userId, entry.rights);
    return out;
  }

  /**
   * The compiled rights with the generation token each was compiled under, for a process
   * that keeps its own copy (the gateway). The token was read before the rights (a cache
   * hit was itself compiled after reading it), so a change committed meanwhile leaves the
   * copy under an outdated token: it is recompiled on its next use, never kept as current.
   */
  async entriesOf(userIds: string[]): Promise<Map<string, { token: string; rights: CompiledRights | null }>> {
    const distinct = [...new Set(userIds)];
    const tokens = await this.generations.current(distinct);
    const out = new Map<string, { token: string; rights: CompiledRights | null }>();
    const now = Date.now();
    await Promise.all(
      distinct.map(async (userId, i) => {
        const hit = this.entries.get(userId);
        if (hit && hit.token === tokens[i] && now - hit.loadedAt < MAX_AGE_MS) {
          out.set(userId, { token: hit.token, rights: hit.rights });
          return;
        }
        const entry = await this.load(userId, tokens[i]);
        out.set(userId, { token: entry.token, rights: entry.rights });
      }),
    );
    return out;
  }

  /** Forgets this replica's entries at once (the tokens take care of the other replicas). */
  forget(userIds: string[]): void {
    for (const id of userIds) this.entries.delete(id);
  }

  private load(userId: string, token: string): Promise<Entry> {
    const key = `${userId}|${token}`;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = this.compile(userId, token).finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  // The token was read before the rows: a change committed meanwhile replaces the token,
  // so an entry built from older rows can never be kept under the newer token.
  private async compile(userId: string, token: string): Promise<Entry> {
    const [principal, authorizations, catalog] = await Promise.all([this.principals.find(userId), this.authorizations.ofUser(userId), this.catalog.index()]);
    const rights = principal ? compileRights(principal, authorizations, catalog) : null;
    const entry = { token, rights, loadedAt: Date.now() };
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    return entry;
  }
}
