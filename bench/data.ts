// Deterministic bench data: customer i is a pure function of (seed, i), so SQLite and PostgreSQL
// hold the same rows and the search queries can be drawn without reading the database. Rows are
// what the app writes: normalized emails and E.164 numbers, customerSearchText(), uuid v7 ids.
import { v7 as uuidv7 } from 'uuid';
import { customerSearchText, emailDomain } from '../server/customers/identity.ts';
import { FIRST_NAMES, FREE_MAIL, LAST_NAMES, ORGANIZATIONS, ROLES, DEPARTMENTS } from './names.ts';
import type { CustomerRow as DbCustomerRow } from '../server/db/database.ts';

export const DEFAULT_SEED = 20261124;
const END_MS = Date.UTC(2026, 10, 24);
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;
// Norwegian mobile prefixes libphonenumber accepts: 1,000,000 numbers each, 16,000,000 in all.
const MOBILE_PREFIXES = [
  '40',
  '41',
  '45',
  '46',
  '47',
  '48',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
  '98',
  '99',
];
const PHONE_SPACE = MOBILE_PREFIXES.length * 1_000_000;
const PHONE_STEP = 7_654_321; // coprime with PHONE_SPACE: index → number is a permutation
const CREATED_VIA = ['email', 'email', 'email', 'agent', 'api', 'hub', 'import', 'sms'] as const;

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function rngFor(seed: number, index: number): Rng {
  let a = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks with Zipf-like weights (the first entries are the common names), as real names are. */
function zipfPicker<T>(items: readonly T[], exponent = 0.9): (rng: Rng) => T {
  const cumulative: number[] = [];
  let sum = 0;
  items.forEach((_, k) => {
    sum += 1 / (k + 1) ** exponent;
    cumulative.push(sum);
  });
  return (rng) => {
    const target = rng() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return items[lo] as T;
  };
}

const pickFirst = zipfPicker(FIRST_NAMES);
const pickLast = zipfPicker(LAST_NAMES);
const pickFreeMail = zipfPicker(FREE_MAIL, 1.2);
const pickOrganization = zipfPicker(ORGANIZATIONS, 0.8);

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** What an email address can be made of: æ→ae, ø→o, å→a, marks and punctuation dropped. */
export function asciiName(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9-]/g, '');
}

export function phoneFor(index: number): string {
  const p = (index * PHONE_STEP + 1_234_567) % PHONE_SPACE;
  const prefix = MOBILE_PREFIXES[Math.floor(p / 1_000_000)] ?? '90';
  return `+47${prefix}${String(p % 1_000_000).padStart(6, '0')}`;
}

/** A customers row as the loaders write it; the import bookkeeping columns stay empty. */
export type CustomerRow = Omit<
  DbCustomerRow,
  | 'import_id'
  | 'import_row'
  | 'created_import_id'
  | 'created_import_row'
  | 'default_location_id'
  | 'hub_access'
  | 'merged_into_id'
>;

export interface GeneratedCustomer {
  row: CustomerRow;
  identities: { kind: 'email' | 'phone'; value: string }[];
}

/** Customer number i+1 of the bench account, exactly as the app would have stored it. */
export function customerAt(
  seed: number,
  index: number,
  total: number,
  accountId: string,
): GeneratedCustomer {
  const rng = rngFor(seed, index);
  const number = index + 1;
  const createdMs = END_MS - SPAN_MS + Math.floor(((index + rng()) * SPAN_MS) / total);
  const via = pick(rng, CREATED_VIA);
  const shape = rng();
  const hasEmail = via !== 'sms' && shape < 0.92;
  const hasPhone = via === 'sms' || !hasEmail || shape < 0.7;
  const named = via === 'sms' ? rng() < 0.3 : rng() < 0.97;
  const first = named ? pickFirst(rng) : null;
  const last = named ? pickLast(rng) : null;
  const organization = rng() < 0.45 ? pickOrganization(rng) : null;

  let email: string | null = null;
  if (hasEmail) {
    const f = asciiName(first ?? pickFirst(rng));
    const l = asciiName(last ?? pickLast(rng));
    const local = pick(rng, [`${f}.${l}`, `${f}${l}`, `${f.slice(0, 1)}${l}`, `${l}.${f}`, f]);
    const domain = organization && rng() < 0.8 ? organization.domain : pickFreeMail(rng);
    email = `${local}${number}@${domain}`;
  }
  const phone = hasPhone ? phoneFor(index) : null;

  const attributes: Record<string, string | number | boolean> = {};
  if (organization) {
    attributes.organization = organization.name;
    if (rng() < 0.7) attributes.role = pick(rng, ROLES);
    if (rng() < 0.6) attributes.department = pick(rng, DEPARTMENTS);
    if (rng() < 0.2) attributes.employeeNumber = 1000 + Math.floor(rng() * 90000);
  }
  if (rng() < 0.1) attributes.vip = true;

  const edits = rng() < 0.2 ? 1 + Math.floor(rng() * 3) : 0;
  const updatedMs = Math.min(END_MS, createdMs + edits * Math.floor(rng() * 30 * 86_400_000));
  const active = rng() >= 0.04;
  const lastActivityMs =
    rng() < 0.6 ? Math.min(END_MS, createdMs + Math.floor(rng() * 90 * 86_400_000)) : null;
  const random = new Uint8Array(16);
  for (let b = 0; b < 16; b++) random[b] = Math.floor(rng() * 256);

  const fields = { firstName: first, lastName: last, email, phone };
  const id = uuidv7({ msecs: createdMs, random });
  const createdAt = new Date(createdMs).toISOString();
  return {
    row: {
      account_id: accountId,
      id,
      number,
      first_name: first,
      last_name: last,
      email,
      phone,
      custom_attributes: JSON.stringify(attributes),
      status: active ? 'active' : 'deactivated',
      created_via: via,
      search_text: customerSearchText(fields),
      last_activity_at: lastActivityMs === null ? null : new Date(lastActivityMs).toISOString(),
      created_at: createdAt,
      updated_at: new Date(updatedMs).toISOString(),
      version: 1 + edits + (active ? 0 : 1),
      organization_id: null,
      type_id: null,
      email_domain: email ? emailDomain(email) : null,
    },
    identities: [
      ...(email ? [{ kind: 'email' as const, value: email }] : []),
      ...(phone ? [{ kind: 'phone' as const, value: phone }] : []),
    ],
  };
}

export type QueryKind =
  'surname' | 'first name' | 'full name' | 'email' | 'phone' | 'no match' | '2 chars';

export interface SearchQuery {
  q: string;
  kind: QueryKind;
}

function fragment(rng: Rng, text: string, min: number, max: number): string {
  const chars = [...text];
  const length = Math.min(chars.length, min + Math.floor(rng() * (max - min + 1)));
  const start = rng() < 0.7 ? 0 : Math.floor(rng() * (chars.length - length + 1));
  return chars.slice(start, start + length).join('');
}

function typed(rng: Rng, text: string): string {
  const r = rng();
  return r < 0.5 ? text.toLowerCase() : r < 0.8 ? text : text.toUpperCase();
}

/** What agents type into the search box: mostly 3+ characters of a real customer's name, email or number. */
export function searchQueries(seed: number, count: number, total: number): SearchQuery[] {
  const queries: SearchQuery[] = [];
  for (let k = 0; k < count; k++) {
    const rng = rngFor(seed ^ 0x51ed, k);
    const { row } = customerAt(seed, Math.floor(rng() * total), total, 'x');
    const first = row.first_name ?? pickFirst(rng);
    const last = row.last_name ?? pickLast(rng);
    const r = rng();
    let query: SearchQuery;
    if (r < 0.33) query = { kind: 'surname', q: typed(rng, fragment(rng, last, 3, 7)) };
    else if (r < 0.53) {
      const q = rng() < 0.6 ? first : fragment(rng, first, 3, 6);
      query = { kind: 'first name', q: typed(rng, q) };
    } else if (r < 0.63)
      query = { kind: 'full name', q: typed(rng, `${first} ${fragment(rng, last, 1, 4)}`) };
    else if (r < 0.78 && row.email) {
      const local = row.email.slice(0, row.email.indexOf('@'));
      query = { kind: 'email', q: rng() < 0.85 ? fragment(rng, local, 4, 10) : row.email };
    } else if (r < 0.93 && row.phone) {
      const national = row.phone.slice(3);
      const q =
        rng() < 0.3
          ? `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5)}`
          : fragment(rng, national, 4, 8);
      query = { kind: 'phone', q };
    } else if (r < 0.98) {
      const letters = 'bcdfghjklmnpqrstvwxz';
      query = {
        kind: 'no match',
        q: Array.from({ length: 5 }, () => pick(rng, [...letters])).join(''),
      };
    } else
      query = { kind: '2 chars', q: fragment(rng, rng() < 0.5 ? first : last, 2, 2).toLowerCase() };
    queries.push(query);
  }
  return queries;
}
