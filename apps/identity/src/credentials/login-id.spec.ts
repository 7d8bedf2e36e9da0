import { generateLoginId, isWellFormedLoginId, luhnCheckDigit, maskLoginId } from './login-id';

describe('login id', () => {
  it('computes the Luhn check digit of known numbers', () => {
    // 7992739871 → check digit 3 (the classic Luhn example)
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('4051234567890')).toBe(luhnCheckDigit('4051234567890'));
  });

  it('generates random 14-digit ids that pass their own check', () => {
    const ids = new Set(Array.from({ length: 500 }, () => generateLoginId()));
    expect(ids.size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d{13}$/);
      expect(isWellFormedLoginId(id)).toBe(true);
    }
  });

  it('refuses every single-digit typo and a wrong length', () => {
    const id = generateLoginId();
    for (let pos = 0; pos < 14; pos++) {
      const original = Number(id[pos]);
      const typo = `${id.slice(0, pos)}${(original + 1) % 10}${id.slice(pos + 1)}`;
      expect(isWellFormedLoginId(typo)).toBe(false);
    }
    expect(isWellFormedLoginId(id.slice(0, 13))).toBe(false);
    expect(isWellFormedLoginId(`${id.slice(0, 13)}x`)).toBe(false);
  });

  it('masks all but the last four digits', () => {
    expect(maskLoginId('12345678901234')).toBe('••••••••••1234');
  });
});
