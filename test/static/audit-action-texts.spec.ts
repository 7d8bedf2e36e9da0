import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import en from '../../apps/console/src/i18n/en';
import fr from '../../apps/console/src/i18n/fr';

/**
 * The audit journal of the console names every action and target in words, in French and
 * English: a compliance officer reads "Mot de passe changé", not `credential.password-changed`.
 * The actions are found where the services and the change kit write them (every `action:`
 * of their sources), so a new audited action without its words fails here.
 */
const root = join(__dirname, '..', '..');
const SOURCES = ['apps/identity/src', 'apps/authorizations/src', 'apps/notifications/src', 'apps/reporting/src', 'libs/changes/src'];

/** Actions whose name is built at run time, expanded over the values they take. */
const BUILT = {
  'CHANGE_REQUEST_${status}': ['APPLIED', 'STALE', 'FAILED', 'REJECTED', 'CANCELLED', 'EXPIRED'].map((s) => `CHANGE_REQUEST_${s}`),
  'change.${refusal.outcome.toLowerCase()}': ['change.stale', 'change.failed'],
  "operator.${status === 'ACTIVE' ? 'reactivated' : status.toLowerCase()}": [
    'operator.reactivated',
    'operator.suspended',
    'operator.removed',
  ],
} as Record<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function auditedActionsAndTargets(): { actions: Map<string, string>; targets: Map<string, string> } {
  const actions = new Map<string, string>();
  const targets = new Map<string, string>();
  for (const file of SOURCES.flatMap((dir) => sourceFiles(join(root, dir)))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const where = `${relative(root, file)}:${i + 1}`;
      const literal = /\baction: '([^']+)'/.exec(line);
      if (literal) actions.set(literal[1], where);
      const built = /\baction: `([^`]+)`/.exec(line);
      if (built) {
        const expanded = BUILT[built[1]];
        if (!expanded) throw new Error(`${where}: the action \`${built[1]}\` is built at run time; list its values in BUILT`);
        for (const action of expanded) actions.set(action, where);
      }
      const target = /\btargetType: '([^']+)'/.exec(line);
      if (target) targets.set(target[1], where);
    });
  }
  return { actions, targets };
}

describe('audit journal texts (console, FR and EN)', () => {
  const { actions, targets } = auditedActionsAndTargets();
  const dictionaries = { fr: fr.audit, en: en.audit } as Record<
    string,
    { actions: Record<string, string>; targets: Record<string, string> }
  >;

  it('finds the audited actions in the services', () => {
    expect(actions.size).toBeGreaterThan(40);
    expect(targets.size).toBeGreaterThan(10);
  });

  it.each(['fr', 'en'])('names every audited action in %s', (language) => {
    // The console looks an action up with its dots turned into underscores (i18next nests on dots).
    const missing = [...actions].filter(([action]) => !dictionaries[language].actions[action.replace(/\./g, '_')]);
    expect(missing.map(([action, where]) => `${action} (${where})`)).toEqual([]);
  });

  it.each(['fr', 'en'])('names every audited target in %s', (language) => {
    const missing = [...targets].filter(([target]) => !dictionaries[language].targets[target]);
    expect(missing.map(([target, where]) => `${target} (${where})`)).toEqual([]);
  });
});
