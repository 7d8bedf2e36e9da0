import { generateProvisionalPassword } from './provisional-password';

describe('generateProvisionalPassword', () => {
  it('is readable, at least 12 characters, mixed, and different every time', () => {
    const all = new Set(Array.from({ length: 200 }, () => generateProvisionalPassword()));
    expect(all.size).toBe(200);
    for (const p of all) {
      expect(p).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      expect(p.length).toBeGreaterThanOrEqual(12);
      expect(p).not.toMatch(/[01OIl]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[2-9]/);
    }
  });
});
