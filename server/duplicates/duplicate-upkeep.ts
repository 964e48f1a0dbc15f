// Keeps duplicate suggestions up as customers are written, in the transaction of the write:
// writeCustomer (one customer) and an import batch (customer-bulk) hand their writes here. Each
// written customer's match keys are replaced, its candidates are looked up by index (never by
// scanning customers or pairs), and every pair found gets its reasons, added to a pair already
// there unless it was dismissed, which stays dismissed (duplicate-pairs.ts). A customer merged
// away or being erased is forgotten instead (forgetCustomerSuggestions, which merge and erasure
// call too). The backfill (duplicate-backfill.ts) keeps up stored customers the same way.
import type { Customer } from '../../common/customer.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { CustomerWrite } from '../customers/customer-write.ts';
import type { Conn } from '../db/transaction.ts';
import type { CustomerMatchKeyTable, CustomerRow } from '../db/database.ts';
import { matchKeys, needsCountry, type MatchProfile } from './duplicate-keys.ts';
import * as keysRepo from './duplicate-keys.repository.ts';
import { findCandidates, writePairs } from './duplicate-pairs.ts';
import * as repo from './duplicate.repository.ts';

/**
 * Off only for the import benchmark's comparison run (bench/import-suite.ts), which measures
 * the import with and without upkeep; never a setting of the product.
 */
const UPKEEP_OFF = process.env.KUNDE_BENCH_DUPLICATE_UPKEEP === 'off';

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
