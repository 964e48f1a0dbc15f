// What a customer can be matched on for duplicate suggestions, and the reasons a match gives, as
// pure functions (no SQL): duplicate-upkeep.ts looks the keys up by index and writes the pairs.
//
// The four reasons are defined so that one match gives exactly one of them:
//   email_subaddress            an email of one, with the part after "+" dropped, is an email of
//                               the other, or both drop to the same one (ola+a@ / ola+b@);
//   same_name_same_organization the same first and last name, case and diacritics folded, in
//                               the same organization;
//   phone_in_custom_field       one's phone (a real identity, as an SMS customer has) is written,
//                               in any format, in a custom attribute of the other;
//   same_phone                  neither has the number as a phone, but both have it written in
//                               their custom attributes (the same number written differently).
// A number a customer holds as its own phone is not also kept as a mention of it, so the two
// phone reasons never describe one match twice.
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { DuplicateReason } from '../../common/merge.ts';
import type { Customer } from '../../common/customer.ts';
import { foldForSearch } from '../customers/identity.ts';

/** A customer as upkeep sees it: after the write, with all its identities. */
export interface MatchProfile {
  id: string;
  firstName: string | null;
  lastName: string | null;
  organizationId: string | null;
  customAttributes: Customer['customAttributes'];
  emails: string[];
  phones: string[];
}

export interface NameKey {
  kind: 'name';
  key: string;
  detail: { name: string };
}
export interface PhoneKey {
  kind: 'phone';
  key: string;
  detail: { field: string; written: string };
}
export type MatchKey = NameKey | PhoneKey;

/** Numbers read from one customer's attributes at most: a pasted phone book is not a customer. */
const MAX_MENTIONS = 10;
/** Text longer than this is not looked through (a note field, say, past its first lines). */
const MAX_TEXT = 2000;

/** "<organization id> <folded first and last name>", when the customer has all three. */
export function nameKey(profile: MatchProfile): NameKey | undefined {
  const first = profile.firstName ? foldForSearch(profile.firstName) : '';
  const last = profile.lastName ? foldForSearch(profile.lastName) : '';
  if (!profile.organizationId || !first || !last) return undefined;
  return {
    kind: 'name',
    key: `${profile.organizationId} ${first} ${last}`,
    detail: { name: `${profile.firstName?.trim()} ${profile.lastName?.trim()}` },
  };
}

/** Text that could hold a phone number: five digits or more. Most attributes are not read. */
function mayHoldPhone(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length && i < MAX_TEXT; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 5) return true;
  }
  return false;
}

/**
 * The phone numbers written in a customer's custom attributes, as E.164 in the account's
 * country, each with the first attribute it is in; its own phones left out.
 */
export function phoneMentions(profile: MatchProfile, country: string): PhoneKey[] {
  const own = new Set(profile.phones);
  const found = new Map<string, PhoneKey>();
  for (const [field, value] of Object.entries(profile.customAttributes)) {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const text of texts) {
      if (typeof text !== 'string' || !mayHoldPhone(text)) continue;
      for (const match of findPhoneNumbersInText(text.slice(0, MAX_TEXT), country as CountryCode)) {
        const phone = match.number.number;
        if (own.has(phone) || found.has(phone)) continue;
        const written = text.slice(match.startsAt, match.endsAt);
        found.set(phone, { kind: 'phone', key: phone, detail: { field, written } });
        if (found.size >= MAX_MENTIONS) return [...found.values()];
      }
    }
  }
  return [...found.values()];
}

/** Whether any attribute needs the account's country to be read (so settings are read once). */
export function needsCountry(profile: MatchProfile): boolean {
  return Object.values(profile.customAttributes).some((value) =>
    (typeof value === 'string' ? [value] : Array.isArray(value) ? value : []).some(
      (text) => typeof text === 'string' && mayHoldPhone(text),
    ),
  );
}

/** The keys a customer is kept under. */
export function matchKeys(profile: MatchProfile, country: string | undefined): MatchKey[] {
  const name = nameKey(profile);
  return [...(name ? [name] : []), ...(country ? phoneMentions(profile, country) : [])];
}

/**
 * An address without its subaddress: `ola+support@x.no` → `ola@x.no` (and the range of
 * identities `ola+…@x.no` falls in: from `ola+` up to `ola,`, the next character after "+").
 */
export function emailBase(
  email: string,
): { base: string; from: string; to: string; suffix: string } | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = email.slice(0, at);
  const plus = local.indexOf('+');
  const root = plus === -1 ? local : local.slice(0, plus);
  if (!root) return undefined;
  const domain = email.slice(at + 1);
  return { base: `${root}@${domain}`, from: `${root}+`, to: `${root},`, suffix: `@${domain}` };
}

/** Whether two addresses are one address with subaddresses (and not the same address). */
export function sameBase(a: string, b: string): boolean {
  return a !== b && emailBase(a)?.base === emailBase(b)?.base;
}

/**
 * A reason found from one customer's side, before the pair is ordered: `first` is the customer
 * being kept up, `second` the candidate.
 */
export type SidedReason =
  | { code: 'email_subaddress'; firstEmail: string; secondEmail: string }
  | { code: 'same_name_same_organization'; name: string }
  | {
      code: 'phone_in_custom_field';
      phone: string;
      holder: 'first' | 'second';
      field: string;
      written: string;
    }
  | {
      code: 'same_phone';
      phone: string;
      firstField: string;
      firstWritten: string;
      secondField: string;
      secondWritten: string;
    };

/**
 * The reason as stored for the pair (customer_a, customer_b): `first*` is customer_a's side.
 * `swapped` says the customer being kept up is customer_b.
 */
export function orientReason(reason: SidedReason, swapped: boolean): DuplicateReason {
  switch (reason.code) {
    case 'email_subaddress': {
      const [firstEmail, secondEmail] = swapped
        ? [reason.secondEmail, reason.firstEmail]
        : [reason.firstEmail, reason.secondEmail];
      return { code: reason.code, detail: { firstEmail, secondEmail } };
    }
    case 'same_name_same_organization':
      return { code: reason.code, detail: { name: reason.name } };
    case 'phone_in_custom_field': {
      const holder = swapped ? (reason.holder === 'first' ? 'second' : 'first') : reason.holder;
      return {
        code: reason.code,
        detail: { phone: reason.phone, holder, field: reason.field, written: reason.written },
      };
    }
    case 'same_phone': {
      const sides = [
        { field: reason.firstField, written: reason.firstWritten },
        { field: reason.secondField, written: reason.secondWritten },
      ];
      const [a, b] = swapped ? [sides[1]!, sides[0]!] : [sides[0]!, sides[1]!];
      return {
        code: reason.code,
        detail: {
          phone: reason.phone,
          firstField: a.field,
          firstWritten: a.written,
          secondField: b.field,
          secondWritten: b.written,
        },
      };
    }
  }
}

/** What makes two reasons the same one: a pair has one reason per code and matched value. */
export function reasonIdentity(reason: DuplicateReason): string {
  const d = reason.detail;
  switch (reason.code) {
    case 'email_subaddress':
      return `${reason.code} ${[d.firstEmail, d.secondEmail].sort().join(' ')}`;
    case 'same_name_same_organization':
      return reason.code;
    default:
      return `${reason.code} ${d.phone ?? ''}`;
  }
}

/** `reasons` with those of `more` it does not have yet; undefined when nothing is new. */
export function addReasons(
  reasons: DuplicateReason[],
  more: DuplicateReason[],
): DuplicateReason[] | undefined {
  const seen = new Set(reasons.map(reasonIdentity));
  const added = more.filter((r) => {
    const identity = reasonIdentity(r);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  return added.length ? [...reasons, ...added] : undefined;
}
