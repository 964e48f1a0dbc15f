// Redaction for the Deleted Customers log and for a person's address where it appears in someone
// else's ticket: an email keeps the first and last character of its local part and of each
// domain label, and the top-level domain (jon.doe@example.com → j***e@e***e.com); a phone keeps
// its last three digits. Short parts show less, so a redaction never shows a whole part: a part
// of two characters keeps its first, a part of one character nothing.
//
// Also the patterns that find every spelling of an email or phone in free text (raw mail,
// message bodies, CSV files): an email in any letter case, a phone with any separators and with
// or without its country code.

const MASK = '***';

function redactPart(part: string): string {
  const chars = [...part];
  if (chars.length >= 3) return `${chars[0]}${MASK}${chars[chars.length - 1]}`;
  if (chars.length === 2) return `${chars[0]}${MASK}`;
  return MASK;
}

/** j***n@e***e.com; a value without an @ is redacted as one part. */
export function redactEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return redactPart(email);
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const tld = labels.length > 1 ? labels.pop() : undefined;
  const domain = labels.map(redactPart).join('.');
  return `${redactPart(local)}@${domain}${tld !== undefined ? `.${tld}` : ''}`;
}

/** ***456: the last three digits (fewer when the number is that short). */
export function redactPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const shown = Math.max(0, Math.min(3, digits.length - 1));
  return `${MASK}${shown ? digits.slice(-shown) : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The email in any letter case, not inside a longer address (x.jon@… or jon@example.community). */
export function emailPattern(email: string): RegExp {
  return new RegExp(`(?<![\\w.+-])${escapeRegExp(email)}(?![\\w-]|\\.[\\w-])`, 'giu');
}

/** What may stand between a phone's digits: white space, dots, dashes, slashes, brackets. */
const SEPARATOR_CLASS = '[\\s.\\-/()]';

/** Every character SEPARATOR_CLASS matches (the database's candidate filter removes each). */
export const PHONE_SEPARATOR_CHARACTERS: readonly string[] = (() => {
  const one = new RegExp(`^${SEPARATOR_CLASS}$`);
  return Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((c) =>
    one.test(c),
  );
})();

/** The digits of an E.164 number after its calling code: 4790123456 with 47 → 90123456. */
export function nationalDigits(e164: string, countryCode: string): string {
  const digits = e164.replace(/\D/g, '');
  return digits.startsWith(countryCode) ? digits.slice(countryCode.length) : digits;
}

/**
 * An E.164 number (+4790123456) in any spelling a person or a spreadsheet writes it: "+47 901 23
 * 456", "0047-90123456", "901 23 456", "(+47) 90 12 34 56". `countryCode` is the calling code
 * (47) so the national part can be told apart; separators are spaces, dots, dashes, slashes and
 * brackets. Digits on either side mean a longer number, which is someone else's.
 */
export function phonePattern(e164: string, countryCode: string): RegExp {
  const national = nationalDigits(e164, countryCode);
  const sep = `${SEPARATOR_CLASS}*`;
  const spelled = (text: string) => [...text].join(sep);
  const prefix = `(?:(?:\\+|00)${sep}${spelled(countryCode)}${sep}|0${sep})?`;
  return new RegExp(`(?<![\\d+])${prefix}${spelled(national)}(?!\\d)`, 'g');
}

/** Replaces every spelling of the email and phone in `text` with their redactions. */
export function redactText(
  text: string,
  who: { email: string | null; phone: string | null; countryCode: string | null },
): string {
  let result = text;
  if (who.email) result = result.replace(emailPattern(who.email), redactEmail(who.email));
  if (who.phone && who.countryCode)
    result = result.replace(phonePattern(who.phone, who.countryCode), redactPhone(who.phone));
  return result;
}

/** Text as the quick mention check reads it (see mayMention). */
export interface PreparedText {
  lower: string;
  /** The text without the separators a phone may be spelled with. */
  digitsJoined: string;
}

const PHONE_SEPARATORS = new RegExp(`${SEPARATOR_CLASS}+`, 'g');

export function prepareText(text: string): PreparedText {
  return { lower: text.toLowerCase(), digitsJoined: text.replace(PHONE_SEPARATORS, '') };
}

/**
 * A cheap necessary condition for emailPattern or phonePattern matching: the email appears in
 * the lower-cased text, or the phone's national digits appear once separators are taken out.
 * Many people can be checked against one text this way (a purge batch); only those it names
 * go through the exact patterns.
 */
export function mayMention(
  who: { email: string | null; phone: string | null; countryCode: string | null },
  text: PreparedText,
): boolean {
  if (who.email && text.lower.includes(who.email.toLowerCase())) return true;
  if (!who.phone || !who.countryCode) return false;
  const national = nationalDigits(who.phone, who.countryCode);
  return national.length > 0 && text.digitsJoined.includes(national);
}
