// Properties of the identity normal forms that matching relies on: normalizing never throws,
// a normalized value normalizes to itself (so a customer is found again by what was stored),
// and it has the stated shape (lower-case address with an ASCII domain; E.164 phone numbers).
// Fixed seeds and bounded runs keep CI deterministic and fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from './identity.ts';

const SEED = 20261201;
const COUNTRIES = ['NO', 'SE', 'DK', 'GB', 'US', 'DE'] as const;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Any text at all, lone surrogates and controls included: what a hostile client can send. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const atext = fc.constantFrom(..."abcXYZ019!#$%&'*+/=?^_`{|}~-".split(''));
const atom = fc.string({ unit: atext, minLength: 1, maxLength: 10 });
const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const unicodeLabel = fc.constantFrom('bjørn', 'ÅSE', 'fjord', 'københavn', 'straße', 'mail');
const topLevel = fc.constantFrom('no', 'com', 'SE', 'dk', 'org', 'museum');

/** Addresses people write: atoms, dots, mixed case, an international domain, spaces around. */
const writtenEmail = fc
  .record({
    local: fc.array(atom, { minLength: 1, maxLength: 3 }),
    labels: fc.array(fc.oneof(label, unicodeLabel), { minLength: 1, maxLength: 3 }),
    tld: topLevel,
    before: fc.constantFrom('', ' ', '\t', 'mailto:', 'MAILTO:'),
    after: fc.constantFrom('', ' ', '\r\n'),
  })
  .map(({ local, labels, tld, before, after }) => ({
    text: `${before}${local.join('.')}@${[...labels, tld].join('.')}${after}`,
    local: local.join('.').toLowerCase(),
  }))
  .filter(({ local }) => local.length <= 64);

/**
 * Norwegian mobile numbers (the 4 and 9 series; the number plan has gaps, so only numbers the
 * plain form accepts) in the ways people write them.
 */
const norwegianMobile = fc
  .record({
    first: fc.constantFrom('4', '9'),
    rest: fc.stringMatching(/^\d{7}$/),
    style: fc.constantFrom('plain', 'spaced', 'plus', 'zeros', 'dashed'),
  })
  .map(({ first, rest, style }) => {
    const digits = `${first}${rest}`;
    const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
    const written = {
      plain: digits,
      spaced,
      plus: `+47 ${spaced}`,
      zeros: `0047${digits}`,
      dashed: `+47-${digits.slice(0, 3)}-${digits.slice(3)}`,
    }[style];
    return { written, e164: `+47${digits}` };
  })
  .filter(({ e164 }) => normalizePhone(e164, 'NO').ok);

describe('normalizeEmail', () => {
  it('never throws, and what it accepts is lower-case, one @, an ASCII domain, at most 254', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = normalizeEmail(text);
        if (!result.ok) {
          expect(result.reason).toMatch(/^not an email address/);
          return;
        }
        const { value } = result;
        expect(value).toBe(value.toLowerCase());
        expect(value.split('@')).toHaveLength(2);
        expect(value.length).toBeLessThanOrEqual(254);

        expect(value.slice(value.indexOf('@') + 1)).toMatch(/^[\x21-\x7e]+$/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('accepts addresses as people write them, and the result is its own normal form', () => {
    fc.assert(
      fc.property(writtenEmail, ({ text, local }) => {
        const result = normalizeEmail(text);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.startsWith(`${local}@`)).toBe(true);
        expect(result.value).toMatch(/@([a-z0-9-]+\.)+[a-z]{2,}$/);
        expect(normalizeEmail(result.value)).toEqual(result);
        expect(normalizeEmail(result.value.toUpperCase())).toEqual(result);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('is idempotent on whatever it accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          writtenEmail.map((e) => e.text),
        ),
        (text) => {
          const once = normalizeEmail(text);
          if (once.ok) expect(normalizeEmail(once.value)).toEqual(once);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('normalizePhone', () => {
  it('never throws; what it accepts is E.164 and its own normal form in any country', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, fc.stringMatching(/^[+0-9 ()-]{1,20}$/)),
        fc.constantFrom(...COUNTRIES),
        fc.constantFrom(...COUNTRIES),
        (text, country, otherCountry) => {
          const result = normalizePhone(text, country);
          if (!result.ok) {
            expect(result.reason).toMatch(/^not (a|a valid) phone number/);
            return;
          }
          expect(result.value).toMatch(E164);
          expect(normalizePhone(result.value, country)).toEqual(result);
          expect(normalizePhone(result.value, otherCountry)).toEqual(result);
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('reads a Norwegian mobile number written any common way as one E.164 number', () => {
    fc.assert(
      fc.property(norwegianMobile, ({ written, e164 }) => {
        expect(normalizePhone(written, 'NO')).toEqual({ ok: true, value: e164 });
        // A number written with +47 or 0047 is Norwegian in every account.
        if (/^(\+|00)/.test(written))
          expect(normalizePhone(written, 'SE')).toEqual({ ok: true, value: e164 });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
