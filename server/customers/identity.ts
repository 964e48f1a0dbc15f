// How a customer is identified: email addresses and mobile numbers in one normal form each,
// so that "Ola@Example.COM " and "ola@example.com" are one customer, and so are
// "+47 987 65 432", "0047 98765432" and "98765432" in a Norwegian account.
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { refusal, type Refusal } from '../../common/field-error-codes.ts';

export type IdentityKind = 'email' | 'phone';

/** A refusal carries the field error code beside its reason, for the field that held the value. */
export type Normalized<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

// RFC 5322 "atext" for the local part (dot-atom), without quoted strings, which no one uses.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Trims and lower-cases an address, and writes an international domain in its ASCII form. */
export function normalizeEmail(input: string): Normalized<string> {
  const trimmed = input.trim().replace(/^mailto:/i, '');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) {
    return { ok: false, ...refusal('not_an_email', 'not an email address') };
  }
  const local = trimmed.slice(0, at).normalize('NFC').toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    return {
      ok: false,
      ...refusal('not_an_email', 'not an email address: the part before @ is not valid'),
    };
  }
  const domain = domainToASCII(
    trimmed
      .slice(at + 1)
      .normalize('NFC')
      .toLowerCase(),
  );
  const labels = domain.split('.');
  if (
    !domain ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((label) => LABEL.test(label)) ||
    /^\d+$/.test(labels[labels.length - 1] ?? '')
  ) {
    return {
      ok: false,
      ...refusal('not_an_email', 'not an email address: the domain is not valid'),
    };
  }
  const address = `${local}@${domain}`;
  if (address.length > 254)
    return { ok: false, ...refusal('not_an_email', 'not an email address: too long') };
  return { ok: true, value: address };
}

/** The domain part of a normalized address. */
export function emailDomain(normalizedEmail: string): string {
  return normalizedEmail.slice(normalizedEmail.lastIndexOf('@') + 1);
}

/** Parses a phone number written any common way; national numbers use the account's country. */
export function normalizePhone(input: string, defaultCountry: string): Normalized<string> {
  const trimmed = input.trim();
  if (!/\d/.test(trimmed)) return { ok: false, ...refusal('not_a_phone', 'not a phone number') };
  if (/[a-z]/i.test(trimmed.replace(/(ext\.?|x)\s*\d+$/i, ''))) {
    return { ok: false, ...refusal('not_a_phone', 'not a phone number: it contains letters') };
  }
  const international = trimmed.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(international, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) {
    return {
      ok: false,
      ...refusal(
        'not_a_phone',
        `not a valid phone number (national numbers are read as ${defaultCountry})`,
      ),
    };
  }
  return { ok: true, value: parsed.number };
}

/**
 * The text search runs on: lower-case, without diacritics ("Bákken" is found by "bakken"),
 * phone numbers as digits.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Every identity is in the text, the additional ones after the primary, so a search by a
 * customer's second address or number finds them (issue 15).
 */
export function customerSearchText(fields: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  additionalEmails?: readonly string[];
  additionalPhones?: readonly string[];
}): string {
  const parts = [
    fields.firstName,
    fields.lastName,
    fields.email,
    ...(fields.additionalEmails ?? []),
  ];
  for (const phone of [fields.phone, ...(fields.additionalPhones ?? [])])
    if (phone) parts.push(phone, phone.replace(/^\+/, ''));
  return foldForSearch(parts.filter(Boolean).join(' '));
}

/**
 * The problems of one kind's identities as a request gives them: an additional one listed
 * twice or equal to the primary, named by its place ("additionalEmails.2"). Values normalized.
 */
export function identitySetProblems(
  kind: IdentityKind,
  primary: string | null,
  additional: readonly string[],
): { field: string; value: string; twice: boolean }[] {
  const field = kind === 'email' ? 'additionalEmails' : 'additionalPhones';
  const seen = new Set<string>();
  const problems: { field: string; value: string; twice: boolean }[] = [];
  additional.forEach((value, index) => {
    if (value === primary) problems.push({ field: `${field}.${index}`, value, twice: false });
    else if (seen.has(value)) problems.push({ field: `${field}.${index}`, value, twice: true });
    seen.add(value);
  });
  return problems;
}

/** Folds a search query the same way; a query that looks like a phone number keeps only digits. */
export function foldQuery(query: string): string {
  if (/^[+\d][\d\s().-]*$/.test(query.trim()) && /\d{3}/.test(query.replace(/\D/g, ''))) {
    return query.replace(/\D/g, '');
  }
  return foldForSearch(query);
}
