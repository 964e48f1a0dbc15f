// Phone numbers as people read them: national for the account's country, international otherwise.
import { describe, expect, it } from 'vitest';
import { formatNameOrPhone, formatPhone, formatPhoneText } from './phone-format.ts';

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

describe('formatPhoneText', () => {
  it('formats free text that is one valid number, read in the account country', () => {
    expect(formatPhoneText('+47 22 00 00 00', 'NO')).toEqual({
      text: '22 00 00 00',
      e164: '+4722000000',
      href: 'tel:+4722000000',
    });
    expect(formatPhoneText(' 98765432 ', 'NO')?.text).toBe('987 65 432');
    expect(formatPhoneText('0046 70 123 45 67', 'NO')?.text).toBe('+46 70 123 45 67');
  });

  it('leaves anything else to be shown as written', () => {
    expect(formatPhoneText('Call the desk', 'NO')).toBeNull();
    expect(formatPhoneText('Ring 22 33 44 55', 'NO')).toBeNull();
    expect(formatPhoneText('12', 'NO')).toBeNull();
    expect(formatPhoneText('', 'NO')).toBeNull();
    expect(formatPhoneText('22 33 44 55', undefined)).toBeNull();
  });
});

describe('formatNameOrPhone', () => {
  it('formats a name that is a stored number and leaves real names alone', () => {
    expect(formatNameOrPhone('+4798765432', 'NO')).toBe('987 65 432');
    expect(formatNameOrPhone('Kari Nordmann', 'NO')).toBe('Kari Nordmann');
    expect(formatNameOrPhone('kari@example.no', 'NO')).toBe('kari@example.no');
    expect(formatNameOrPhone('', 'NO')).toBe('');
  });
});
