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
/** Cold users compiled per pair of queries. */
const COMPILE_BATCH = 500;

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
    const waiting: Array<Promise<void>> = [];
    const cold: Array<{ userId: string; token: string }> = [];
    distinct.forEach((userId, i) => {
      const hit = this.entries.get(userId);
      if (hit && hit.token === tokens[i] && now - hit.loadedAt < MAX_AGE_MS) {
        out.set(userId, { token: hit.token, rights: hit.rights });
        return;
      }
      const pending = this.loading.get(`${userId}|${tokens[i]}`);
      if (pending) waiting.push(pending.then((entry) => void out.set(userId, { token: entry.token, rights: entry.rights })));
      else cold.push({ userId, token: tokens[i] });
    });
    for (let i = 0; i < cold.length; i += COMPILE_BATCH) {
      const batch = cold.slice(i, i + COMPILE_BATCH);
      const keys = batch.map(({ userId, token }) => `${userId}|${token}`);
      const compiled = this.compile(batch);
      batch.forEach(({ userId }, k) => {
        const one = compiled.then((entries) => entries.get(userId)!);
        this.loading.set(keys[k], one);
        waiting.push(one.then((entry) => void out.set(userId, { token: entry.token, rights: entry.rights })));
      });
      // The callers see a failure through `waiting`; this only clears the in-flight marks.
      void compiled.finally(() => keys.forEach((key) => this.loading.delete(key))).catch(() => undefined);
    }
    await Promise.all(waiting);
    return out;
  }

  /** Forgets this replica's entries at once (the tokens take care of the other replicas). */
  forget(userIds: string[]): void {
    for (const id of userIds) this.entries.delete(id);
  }

  // The tokens were read before the rows: a change committed meanwhile replaces the token,
  // so an entry built from older rows can never be kept under the newer token. Cold users
  // are compiled together, two queries for the whole batch (a report page of 200 users
  // used to cost 400).
  private async compile(batch: Array<{ userId: string; token: string }>): Promise<Map<string, Entry>> {
    const ids = batch.map((b) => b.userId);
    const [principals, authorizationsOf, catalog] = await Promise.all([
      this.principals.findMany(ids),
      this.authorizations.ofUsersByUser(ids),
      this.catalog.index(),
    ]);
    const principalOf = new Map(principals.map((p) => [p.userId, p]));
    const loadedAt = Date.now();
    const out = new Map<string, Entry>();
    for (const { userId, token } of batch) {
      const principal = principalOf.get(userId);
      const entry = { token, rights: principal ? compileRights(principal, authorizationsOf.get(userId)!, catalog) : null, loadedAt };
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.delete(userId);
      this.entries.set(userId, entry);
      out.set(userId, entry);
    }
    return out;
  }
}
