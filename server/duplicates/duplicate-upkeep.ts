// Keeps duplicate suggestions up as customers are written, in the transaction of the write:
// writeCustomer (one customer) and an import batch (customer-bulk) hand their writes here. Each
// written customer's match keys are replaced, its candidates are looked up by index (never by
// scanning customers or pairs), and every pair found gets its reasons, added to a pair already
// there unless it was dismissed, which stays dismissed. A customer merged away or being erased
// is forgotten instead (forgetCustomerSuggestions, which merge and erasure call too).
import type { DuplicateReason } from '../../common/merge.ts';
import type { Customer } from '../../common/customer.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { CustomerWrite } from '../customers/customer-write.ts';
import type { Conn } from '../db/transaction.ts';
import type {
  CustomerMatchKeyTable,
  CustomerRow,
  DuplicateSuggestionTable,
} from '../db/database.ts';
import { newId } from '../db/ids.ts';
import {
  addReasons,
  emailBase,
  matchKeys,
  needsCountry,
  orientReason,
  type MatchProfile,
  type SidedReason,
} from './duplicate-keys.ts';
import * as keysRepo from './duplicate-keys.repository.ts';
import * as repo from './duplicate.repository.ts';

/**
 * Off only for the import benchmark's comparison run (bench/import-suite.ts), which measures
 * the import with and without upkeep; never a setting of the product.
 */
const UPKEEP_OFF = process.env.KUNDE_BENCH_DUPLICATE_UPKEEP === 'off';

/** Candidates one key gives at most: a common name in a large organization is not 500 pairs. */
const PER_KEY = 20;

/** What a change touches that suggestions are made from (audit names, as customer-write.ts). */
const MATCHED_CHANGES = /^(firstName|lastName|email|phone|organizationId|customAttributes\.)/;

function isRelevant(write: CustomerWrite): boolean {
  if (write.expectedVersion === undefined || write.merge) return true;
  if (write.addIdentities.length || write.removeIdentities.length) return true;
  if ((repo.GONE_STATUSES as readonly string[]).includes(write.row.status)) return true;
  const changes = write.audit ? Object.keys(JSON.parse(write.audit.changes) as object) : [];
  return changes.some((field) => MATCHED_CHANGES.test(field));
}

/**
 * Removes every suggestion (and match key) of a customer: call it in the transaction that
 * merges it away or starts erasing it. Nothing is suggested with it again.
 */
export async function forgetCustomerSuggestions(
  trx: Conn,
  accountId: string,
  customerId: string,
): Promise<void> {
  await repo.forgetCustomers(trx, accountId, [customerId]);
}

/** Upkeep for the writes of one account, after they were written in `db`'s transaction. */
export async function keepDuplicateSuggestions(db: Conn, writes: CustomerWrite[]): Promise<void> {
  if (UPKEEP_OFF) return;
  const relevant = writes.filter(isRelevant);
  const accountId = relevant[0]?.row.account_id;
  if (!accountId) return;
  const gone = relevant.filter((w) =>
    (repo.GONE_STATUSES as readonly string[]).includes(w.row.status),
  );
  if (gone.length)
    await repo.forgetCustomers(
      db,
      accountId,
      gone.map((w) => w.row.id),
    );
  const live = relevant.filter((w) => !gone.includes(w));
  if (!live.length) return;

  const changed = live.filter((w) => w.expectedVersion !== undefined).map((w) => w.row.id);
  const added = new Map<string, CustomerWrite['addIdentities']>();
  for (const w of live) if (w.expectedVersion === undefined) added.set(w.row.id, w.addIdentities);
  const profiles = await profilesOf(
    db,
    accountId,
    live.map((w) => w.row),
    changed,
    added,
  );
  await keepProfiles(db, accountId, profiles, changed);
}

/** A customer as stored, with what upkeep reads of its row. */
export type StoredCustomer = Pick<
  CustomerRow,
  'id' | 'status' | 'first_name' | 'last_name' | 'organization_id' | 'custom_attributes'
>;

/**
 * Upkeep for customers already stored, as they are now, with no write in hand: the backfill
 * (duplicate-backfill.ts) hands each batch of an account's customers here. The same steps as
 * for a write of each: keys replaced, candidates looked up, pairs added to (dismissed ones
 * left as they are), so running it again over the same customers adds nothing.
 */
export async function keepStoredCustomers(
  db: Conn,
  accountId: string,
  customers: StoredCustomer[],
): Promise<void> {
  const live = customers.filter(
    (c) => !(repo.GONE_STATUSES as readonly string[]).includes(c.status),
  );
  if (!live.length) return;
  const ids = live.map((c) => c.id);
  const profiles = await profilesOf(db, accountId, live, ids, new Map());
  await keepProfiles(db, accountId, profiles, ids);
}

/**
 * Replaces the match keys of these profiles (`stored`: those that may have keys already; a new
 * customer has none), finds their candidates and writes the pairs.
 */
async function keepProfiles(
  db: Conn,
  accountId: string,
  profiles: MatchProfile[],
  stored: string[],
): Promise<void> {
  const country = profiles.some(needsCountry)
    ? (await findAccount(db, accountId))?.settings.phoneDefaultCountry
    : undefined;
  const keys = new Map(profiles.map((p) => [p.id, matchKeys(p, country)]));
  await keysRepo.deleteMatchKeys(db, accountId, stored);
  await keysRepo.insertMatchKeys(
    db,
    profiles.flatMap((p) =>
      (keys.get(p.id) ?? []).map((k): CustomerMatchKeyTable => ({
        account_id: accountId,
        kind: k.kind,
        key: k.key,
        customer_id: p.id,
        detail: JSON.stringify(k.detail),
      })),
    ),
  );

  const found = await findCandidates(db, accountId, profiles, keys);
  if (found.length) await writePairs(db, accountId, found);
}

/**
 * The customers with every identity they have now: those of `stored` read from the database
 * (after their write), a new customer's from its write (`added`).
 */
async function profilesOf(
  db: Conn,
  accountId: string,
  rows: Omit<StoredCustomer, 'status'>[],
  stored: string[],
  added: Map<string, { kind: string; value: string }[]>,
): Promise<MatchProfile[]> {
  const identities = new Map<string, { emails: string[]; phones: string[] }>();
  const add = (id: string, kind: string, value: string) => {
    const entry = identities.get(id) ?? { emails: [], phones: [] };
    (kind === 'email' ? entry.emails : entry.phones).push(value);
    identities.set(id, entry);
  };
  for (const hit of await keysRepo.identitiesOfCustomers(db, accountId, stored))
    add(hit.customer_id, hit.kind, hit.value);
  for (const [id, list] of added)
    for (const identity of list) add(id, identity.kind, identity.value);
  return rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    organizationId: row.organization_id,
    customAttributes: JSON.parse(row.custom_attributes) as Customer['customAttributes'],
    emails: identities.get(row.id)?.emails ?? [],
    phones: identities.get(row.id)?.phones ?? [],
  }));
}

interface Found {
  /** The customer kept up ("first" in the reason) and the candidate. */
  self: string;
  other: string;
  reason: SidedReason;
}

/** Every candidate of every profile, by kind: one lookup per kind for the whole batch. */
async function findCandidates(
  db: Conn,
  accountId: string,
  profiles: MatchProfile[],
  keys: Map<string, ReturnType<typeof matchKeys>>,
): Promise<Found[]> {
  const found: Found[] = [];
  const push = (self: string, other: string, reason: SidedReason) => {
    if (self !== other) found.push({ self, other, reason });
  };
  const capped = <T>(items: T[]) => items.slice(0, PER_KEY);

  // email_subaddress: the address without its tag, and the tagged ones of the same root.
  const emails = profiles.flatMap((p) =>
    p.emails.flatMap((email) => {
      const base = emailBase(email);
      return base ? [{ id: p.id, email, ...base }] : [];
    }),
  );
  const exact = await keysRepo.identityOwners(
    db,
    accountId,
    'email',
    emails.filter((e) => e.base !== e.email).map((e) => e.base),
  );
  const ownerOf = groupBy(exact, (h) => h.value);
  const ranged = await keysRepo.emailsInRanges(db, accountId, emails);
  const inRange = groupBy(ranged, (h) => emailBase(h.value)?.base ?? '');
  for (const e of emails) {
    for (const hit of capped([...(ownerOf.get(e.base) ?? []), ...(inRange.get(e.base) ?? [])]))
      if (hit.value !== e.email)
        push(e.id, hit.customer_id, {
          code: 'email_subaddress',
          firstEmail: e.email,
          secondEmail: hit.value,
        });
  }

  // same_name_same_organization
  const names = profiles.flatMap((p) =>
    (keys.get(p.id) ?? []).filter((k) => k.kind === 'name').map((k) => ({ id: p.id, ...k })),
  );
  const byName = groupBy(
    await keysRepo.customersWithKeys(
      db,
      accountId,
      'name',
      names.map((n) => n.key),
    ),
    (row) => row.key,
  );
  for (const n of names)
    for (const row of capped(byName.get(n.key)?.filter((r) => r.customer_id !== n.id) ?? []))
      push(n.id, row.customer_id, { code: 'same_name_same_organization', name: n.detail.name });

  // The phone reasons: one's phone in the other's attributes, or both with it in theirs.
  const mentions = profiles.flatMap((p) =>
    (keys.get(p.id) ?? []).flatMap((k) => (k.kind === 'phone' ? [{ id: p.id, ...k }] : [])),
  );
  const phones = profiles.flatMap((p) => p.phones.map((phone) => ({ id: p.id, phone })));
  const mentioners = groupBy(
    await keysRepo.customersWithKeys(db, accountId, 'phone', [
      ...phones.map((p) => p.phone),
      ...mentions.map((m) => m.key),
    ]),
    (row) => row.key,
  );
  const holders = groupBy(
    await keysRepo.identityOwners(
      db,
      accountId,
      'phone',
      mentions.map((m) => m.key),
    ),
    (h) => h.value,
  );
  const detailOf = (row: CustomerMatchKeyTable) =>
    JSON.parse(row.detail) as { field: string; written: string };
  for (const { id, phone } of phones)
    for (const row of capped(mentioners.get(phone)?.filter((r) => r.customer_id !== id) ?? [])) {
      const theirs = detailOf(row);
      push(id, row.customer_id, {
        code: 'phone_in_custom_field',
        phone,
        holder: 'first',
        ...theirs,
      });
    }
  for (const m of mentions) {
    for (const hit of capped(holders.get(m.key) ?? []))
      push(m.id, hit.customer_id, {
        code: 'phone_in_custom_field',
        phone: m.key,
        holder: 'second',
        ...m.detail,
      });
    for (const row of capped(mentioners.get(m.key)?.filter((r) => r.customer_id !== m.id) ?? [])) {
      const theirs = detailOf(row);
      push(m.id, row.customer_id, {
        code: 'same_phone',
        phone: m.key,
        firstField: m.detail.field,
        firstWritten: m.detail.written,
        secondField: theirs.field,
        secondWritten: theirs.written,
      });
    }
  }
  return found;
}

/** The pairs found, ordered (customer_a < customer_b), with live customers only, written. */
async function writePairs(db: Conn, accountId: string, found: Found[]) {
  const live = await keysRepo.liveCustomers(
    db,
    accountId,
    found.flatMap((f) => [f.self, f.other]),
  );
  const pairs = new Map<string, { a: string; b: string; reasons: DuplicateReason[] }>();
  for (const f of found) {
    if (!live.has(f.self) || !live.has(f.other)) continue;
    const swapped = f.self > f.other;
    const [a, b] = swapped ? [f.other, f.self] : [f.self, f.other];
    const key = `${a} ${b}`;
    const pair = pairs.get(key) ?? { a, b, reasons: [] };
    pair.reasons = addReasons(pair.reasons, [orientReason(f.reason, swapped)]) ?? pair.reasons;
    pairs.set(key, pair);
  }
  if (!pairs.size) return;
  const stored = await repo.findPairs(db, accountId, [...pairs.values()]);
  const now = new Date().toISOString();
  const created: DuplicateSuggestionTable[] = [];
  for (const [key, pair] of pairs) {
    const row = stored.get(key);
    if (!row) {
      created.push({
        account_id: accountId,
        id: newId(),
        customer_a: pair.a,
        customer_b: pair.b,
        reasons: JSON.stringify(pair.reasons),
        created_at: now,
        updated_at: now,
        dismissed_at: null,
        dismissed_by: null,
      });
      continue;
    }
    if (row.dismissed_at !== null) continue;
    const more = addReasons(JSON.parse(row.reasons) as DuplicateReason[], pair.reasons);
    if (more) await repo.updateReasons(db, accountId, row.id, JSON.stringify(more), now);
  }
  await repo.insertSuggestions(db, created);
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
