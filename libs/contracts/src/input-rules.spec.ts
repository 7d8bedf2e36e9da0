import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import * as contracts from './index';
import { displayNameProblem, IsDisplayName, IsIsoDateTime, Optional, stringProblem } from './input-rules';
import { IsString } from 'class-validator';

/** Every class of libs/contracts that class-validator knows: the DTOs of every HTTP route, RPC command and change kind. */
function validatedClasses(): Array<{ name: string; rules: Map<string, Set<string>> }> {
  const storage = getMetadataStorage();
  const found: Array<{ name: string; rules: Map<string, Set<string>> }> = [];
  for (const [name, value] of Object.entries(contracts)) {
    if (typeof value !== 'function') continue;
    const metadata = storage.getTargetValidationMetadatas(value, '', true, false);
    if (!metadata.length) continue;
    const rules = new Map<string, Set<string>>();
    for (const m of metadata) {
      const set = rules.get(m.propertyName) ?? new Set<string>();
      set.add(m.name ?? m.type);
      rules.set(m.propertyName, set);
    }
    found.push({ name, rules });
  }
  return found;
}

describe('input rules', () => {
  it('refuse NUL, control and bidirectional override characters and unpaired surrogates in any string', () => {
    expect(stringProblem('Élodie Müller, 12 rue de l’Église\n\tcafé ☕ 𝄞')).toBeUndefined();
    expect(stringProblem('a\u0000b')).toMatch(/NUL/);
    expect(stringProblem('a\u0007b')).toMatch(/control/);
    expect(stringProblem('a\u0085b')).toMatch(/control/);
    expect(stringProblem('invoice\u202Efdp.exe')).toMatch(/bidirectional/);
    expect(stringProblem('\u2066x\u2069')).toMatch(/bidirectional/);
    expect(stringProblem('\uD800')).toMatch(/surrogate/);
    expect(stringProblem('x\uDC00y')).toMatch(/surrogate/);
    expect(stringProblem('\uD834\uDD1E')).toBeUndefined();
  });

  it('refuse invisible characters in names and labels, and names with nothing visible', () => {
    for (const name of ['Zoé', "O'Brien-Nuñez", 'Lê Văn Thành', 'محمد', 'Compte courant n°2'])
      expect(displayNameProblem(name)).toBeUndefined();
    for (const hidden of ['Ad\u200Bmin', 'Paul\u200E', 'Jean\u00ADne', '\uFEFFMarc', 'Luc\u2060', 'x\u3164', 'Tag\u{E0041}'])
      expect(displayNameProblem(hidden)).toMatch(/invisible/);
    expect(displayNameProblem('   ')).toMatch(/letter or a digit/);

    class Person {
      @IsDisplayName() firstName: string;
    }
    const errors = validateSync(plainToInstance(Person, { firstName: 'Paul\u202Eavon' }));
    expect(errors[0].constraints).toEqual({ isDisplayName: 'firstName must not contain bidirectional override characters' });
  });

  it('accept real ISO 8601 date-times between the years 1900 and 9999 only', () => {
    class When {
      @IsIsoDateTime() at: string;
    }
    const check = (at: string) => validateSync(plainToInstance(When, { at })).flatMap((e) => Object.keys(e.constraints ?? {}));
    expect(check('2026-12-02T10:00:00Z')).toEqual([]);
    expect(check('2026-02-30T10:00:00Z')).toEqual(['isIso8601']);
    expect(check('+275760-09-13T00:00:00Z')).not.toEqual([]);
    expect(check('1000-01-01T00:00:00Z')).toEqual(['isDateTimeInRange']);
    expect(check('not a date')).toEqual(['isIso8601']);
  });

  it('let an optional field be left out, but refuse null unless it is nullable (null once reached PostgreSQL: 500)', () => {
    class Patch {
      @Optional() @IsString() label?: string;
      @Optional({ nullable: true }) @IsString() phone?: string | null;
    }
    const fields = (value: object) => validateSync(plainToInstance(Patch, value)).map((e) => e.property);
    expect(fields({})).toEqual([]);
    expect(fields({ phone: null })).toEqual([]);
    expect(fields({ label: null })).toEqual(['label']);
    expect(fields({ label: 'x', phone: 3 })).toEqual(['phone']);
  });

  it('use Optional, never class-validator IsOptional, in every DTO (IsOptional lets null through)', () => {
    const storage = getMetadataStorage();
    const lenient: string[] = [];
    for (const [name, value] of Object.entries(contracts)) {
      if (typeof value !== 'function') continue;
      for (const m of storage.getTargetValidationMetadatas(value, '', true, false))
        if (m.name === 'isOptional') lenient.push(`${name}.${m.propertyName}`);
    }
    expect(lenient).toEqual([]);
  });

  // A guard for the next DTO: an unbounded number once answered 500 (page=99999999999999999999
  // reached PostgreSQL as an offset), an unbounded string can exceed what an index takes.
  it('bound every number and every string of every DTO', () => {
    const unbounded: string[] = [];
    const STRING_BOUNDS = ['isLength', 'maxLength', 'isIn', 'isEnum', 'isUuid', 'isIso8601', 'matches'];
    for (const { name, rules } of validatedClasses()) {
      for (const [property, set] of rules) {
        const numeric = set.has('isInt') || set.has('isNumber');
        if (numeric && !set.has('isIn') && !(set.has('min') && set.has('max'))) unbounded.push(`${name}.${property} (number)`);
        if (set.has('isString') && !STRING_BOUNDS.some((rule) => set.has(rule))) unbounded.push(`${name}.${property} (string)`);
      }
    }
    expect(unbounded).toEqual([]);
  });
});
