// Phone numbers as people read them: national for the account's country, international otherwise.
import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone-format.ts';

describe('formatPhone', () => {
  it('writes a Norwegian mobile number 3-2-3 on a Norwegian account, E.164 kept for links', () => {
    expect(formatPhone('+4798765432', 'NO')).toEqual({
      text: '987 65 432',
      e164: '+4798765432',
      href: 'tel:+4798765432',
    });
    expect(formatPhone('+4741234567', 'NO').text).toBe('412 34 567');
  });

  it('writes a Norwegian landline and a special number as the numbering plan does', () => {
    expect(formatPhone('+4722334455', 'NO').text).toBe('22 33 44 55');
    expect(formatPhone('+4780012345', 'NO').text).toBe('800 12 345');
  });

  it('writes numbers of other countries internationally', () => {
    expect(formatPhone('+46701234567', 'NO').text).toBe('+46 70 123 45 67');
    expect(formatPhone('+4798765432', 'SE').text).toBe('+47 987 65 432');
    expect(formatPhone('+4722334455', 'SE').text).toBe('+47 22 33 44 55');
  });

  it("uses the other country's national format on its own account", () => {
    expect(formatPhone('+46701234567', 'SE').text).toBe('070-123 45 67');
    // Guernsey shares +44 with the United Kingdom: national to a GB account.
    expect(formatPhone('+447911123456', 'GB').text).toBe('07911 123456');
  });

  it('writes every number internationally while the account country is not known', () => {
    expect(formatPhone('+4798765432', undefined).text).toBe('+47 987 65 432');
    expect(formatPhone('+46701234567', undefined).text).toBe('+46 70 123 45 67');
  });

  it('shows what it cannot read as it is stored', () => {
    expect(formatPhone('12345', 'NO')).toEqual({ text: '12345', e164: '12345', href: 'tel:12345' });
    expect(formatPhone('+47 22 33 44 55', 'XX').text).toBe('+47 22 33 44 55');
  });
});
