// The candidates of a batch of kept-up customers and the pairs they make (duplicate-upkeep.ts
// calls these for a write and for the backfill alike): one lookup per kind for the whole batch,
// each by an index, and the pairs written ordered, with reasons added to a pair already there
// unless it was dismissed.
import type { DuplicateReason } from '../../common/merge.ts';
import type { Conn } from '../db/transaction.ts';
import type { CustomerMatchKeyTable, DuplicateSuggestionTable } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import {
  addReasons,
  emailBase,
  orientReason,
  type MatchKey,
  type MatchProfile,
  type SidedReason,
} from './duplicate-keys.ts';
import * as keysRepo from './duplicate-keys.repository.ts';
import * as repo from './duplicate.repository.ts';

/** Candidates one key gives at most: a common name in a large organization is not 500 pairs. */
const PER_KEY = 20;

export interface Found {
  /** The customer kept up ("first" in the reason) and the candidate. */
  self: string;
  other: string;
  reason: SidedReason;
}

/** Every candidate of every profile, by kind: one lookup per kind for the whole batch. */
export async function findCandidates(
  db: Conn,
  accountId: string,
  profiles: MatchProfile[],
  keys: Map<string, MatchKey[]>,
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
export async function writePairs(db: Conn, accountId: string, found: Found[]) {
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
