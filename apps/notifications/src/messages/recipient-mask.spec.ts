import { maskEmail, maskPhone } from './recipient-mask';

describe('recipient masking', () => {
  it('keeps the first and last character of the local part and the domain', () => {
    expect(maskEmail('jeanne.martin@Example.com')).toBe('j***n@example.com');
    expect(maskEmail('jo@example.com')).toBe('j***@example.com');
    expect(maskEmail('not-an-address')).toBe('***');
  });

  it('never shows a full e-mail address or phone number', () => {
    expect(maskEmail('jeanne.martin@example.com')).not.toContain('jeanne.martin');
    expect(maskPhone('+33612345678')).toBe('+33*******78');
    expect(maskPhone('+33 6 12 34 56 78')).toBe('+33*******78');
    expect(maskPhone('+33612345678')).not.toContain('123456');
  });
});
