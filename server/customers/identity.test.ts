import { describe, expect, it } from 'vitest';
import { customerSearchText, foldQuery, normalizeEmail, normalizePhone } from './identity.ts';

describe('normalizeEmail', () => {
  it.each([
    [' Ola.Nordmann@Example.COM ', 'ola.nordmann@example.com'],
    ['mailto:ola@example.no', 'ola@example.no'],
    ['post@bøker.no', 'post@xn--bker-gra.no'],
    ['kari+support@sub.Domain.co.uk', 'kari+support@sub.domain.co.uk'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    'ola',
    'ola@',
    '@example.com',
    'ola@example',
    'ola@@example.com',
    'a b@example.com',
    'ola@-bad-.com',
    'ola@example.123',
  ])('refuses %j', (input) => {
    const result = normalizeEmail(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/not an email address/);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['98765432', '+4798765432'],
    ['987 65 432', '+4798765432'],
    ['+47 987 65 432', '+4798765432'],
    ['0047 98765432', '+4798765432'],
    ['(+47) 987-65-432', '+4798765432'],
    ['+46 70 123 45 67', '+46701234567'],
  ])('%s in NO → %s', (input, expected) => {
    expect(normalizePhone(input, 'NO')).toEqual({ ok: true, value: expected });
  });

  it('reads national numbers with the account country', () => {
    expect(normalizePhone('070-123 45 67', 'SE')).toEqual({ ok: true, value: '+46701234567' });
  });

  it.each(['12', 'call me', '+47 123', '98765432x'])('refuses %j', (input) => {
    expect(normalizePhone(input, 'NO').ok).toBe(false);
  });
});

describe('search folding', () => {
  it('drops diacritics and case, keeps phone digits', () => {
    const text = customerSearchText({
      firstName: 'Åse',
      lastName: 'Bákken',
      email: 'ase@x.no',
      phone: '+4798765432',
    });
    expect(text).toContain('bakken');
    expect(text).toContain('ase ');
    expect(text).toContain('4798765432');
  });

  it('turns a phone-looking query into digits', () => {
    expect(foldQuery('987 65 432')).toBe('98765432');
    expect(foldQuery('BÁKKEN')).toBe('bakken');
    expect(foldQuery('ola@x')).toBe('ola@x');
  });
});
