// Redaction, as properties over 10,000 random emails and phones (fixed seed): the redacted email
// never shows a whole local part or domain label, keeps the top-level domain, and shows at most
// the first and last character of each part; the redacted phone shows at most its last three
// digits. And the spelling patterns find an address or number however it is written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emailPattern,
  mayMention,
  phonePattern,
  prepareText,
  redactEmail,
  redactPhone,
  redactText,
} from './redact.ts';

const SEED = 20261201;
const RUNS = 10_000;

function shown(redacted: string): string {
  return redacted.replace('***', '');
}

describe('redaction', () => {
  it('gives the documented examples', () => {
    expect(redactEmail('jon@example.com')).toBe('j***n@e***e.com');
    expect(redactEmail('jo@x.mail.no')).toBe('j***@***.m***l.no');
    expect(redactPhone('+4790123456')).toBe('***456');
  });

  it('never reveals a whole local part or domain label (10,000 emails)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const at = email.lastIndexOf('@');
        const local = email.slice(0, at);
        const labels = email.slice(at + 1).split('.');
        const tld = labels.pop() ?? '';
        const out = redactEmail(email);
        const outAt = out.lastIndexOf('@');
        const outLocal = out.slice(0, outAt);
        const outLabels = out.slice(outAt + 1).split('.');
        expect(outLabels.pop()).toBe(tld);
        expect(outLabels).toHaveLength(labels.length);
        const pairs: [string, string][] = [[local, outLocal]];
        labels.forEach((label, i) => pairs.push([label, outLabels[i] ?? '']));
        for (const [part, redacted] of pairs) {
          expect(redacted.startsWith('***') || redacted[0] === part[0]).toBe(true);
          const kept = shown(redacted);
          // Fewer characters shown than the part has, and never more than two.
          expect(kept.length).toBeLessThan(part.length);
          expect(kept.length).toBeLessThanOrEqual(2);
          expect(redacted).not.toBe(part);
        }
        expect(out).not.toBe(email);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('shows at most the last three digits of a phone (10,000 numbers)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (phone) => {
        const out = redactPhone(phone);
        const digits = out.replace(/\D/g, '');
        expect(digits.length).toBeLessThanOrEqual(3);
        expect(phone.endsWith(digits)).toBe(true);
        expect(out).not.toContain(phone.slice(1));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('finds an email in any case and a phone in any spelling, and leaves longer ones alone', () => {
    const who = { email: 'jon.doe@example.com', phone: '+4790123456', countryCode: '47' };
    const text =
      'Cc: Jon.Doe@Example.COM, x.jon.doe@example.com, jon.doe@example.community\n' +
      'call +47 901 23 456 or 0047-90123456 or 901 23 456 or (+47) 90 12 34 56 or +4790123456;' +
      ' not 9012345678 or 190123456';
    const out = redactText(text, who);
    expect(out).not.toMatch(emailPattern(who.email));
    expect(out).not.toMatch(phonePattern(who.phone, '47'));
    expect(out).toContain('x.jon.doe@example.com');
    expect(out).toContain('jon.doe@example.community');
    expect(out).toContain('9012345678');
    expect(out).toContain('190123456');
    expect(out.match(/\*\*\*456/g)).toHaveLength(5);
    expect(out.match(/j\*\*\*e@e\*\*\*e\.com/g)).toHaveLength(1);
  });

  it('redacts any generated address wherever it sits in text (fixed seed)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string(), fc.string(), (email, before, after) => {
        const text = `${before} <${email.toUpperCase()}> ${after}`;
        const out = redactText(text, { email, phone: null, countryCode: null });
        expect(out.toLowerCase()).not.toContain(`<${email.toLowerCase()}>`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  // The quick check a purge batch runs before the exact patterns must never miss what they find:
  // a phone spelled with any separators (tabs, no-break spaces, brackets) or prefix, an address
  // in any case, amid any text.
  it('finds, in the quick check, everything the patterns find (fixed seed)', () => {
    const separator = fc.constantFrom('', ' ', '-', '.', '/', '(', ')', '\t', '\u00a0', '\u2009');
    const spelled = fc
      .tuple(
        fc.stringMatching(/^[1-9]\d{1,2}$/),
        fc.stringMatching(/^[1-9]\d{5,10}$/),
        fc.constantFrom('+', '00', '0', ''),
        fc.array(separator, { minLength: 16, maxLength: 16 }),
      )
      .map(([countryCode, national, prefix, separators]) => {
        const digits = prefix === '+' || prefix === '00' ? `${countryCode}${national}` : national;
        const text = [...digits].map((d, i) => `${d}${separators[i] ?? ''}`).join('');
        return { countryCode, phone: `+${countryCode}${national}`, text: `${prefix}${text}` };
      });
    fc.assert(
      fc.property(spelled, fc.emailAddress(), fc.string(), (phone, email, around) => {
        const who = { email, phone: phone.phone, countryCode: phone.countryCode };
        const text = `${around} ${phone.text} ${around} ${email.toUpperCase()} ${around}`;
        const prepared = prepareText(text);
        // Each spelling is one the patterns find, so the check below is never vacuous.
        expect(phonePattern(who.phone, who.countryCode).test(text)).toBe(true);
        expect(emailPattern(email).test(text)).toBe(true);
        expect(mayMention({ ...who, email: null }, prepared)).toBe(true);
        expect(mayMention({ ...who, phone: null }, prepared)).toBe(true);
        expect(mayMention(who, prepareText(around.replace(/[\d@]/g, '')))).toBe(false);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
