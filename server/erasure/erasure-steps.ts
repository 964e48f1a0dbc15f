// What an erasure removes, as an ordered list of steps the erasure job runs. Each step is
// idempotent (it removes what is still there, so a job killed midway simply runs it again on
// restart) and works in bounded transactions. The customer row, marked 'erasing' when the
// erasure was requested, is what remembers whose data to look for, so it goes last, with the
// one Deleted Customers row, in the final step.
//
// Files go before the rows that name them: when a transaction then fails, its rows are still
// there for the retry to find, and a file is never left without a row pointing at it.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/connect.ts';
import type { CustomerRow, Database, DeletedCustomerTable } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { FileStore } from '../files/file-store.ts';
import { findCustomers, finishErasures } from '../customers/customer.repository.ts';
import { buildErasure, type Actor } from '../customers/customer-write.ts';
import * as repo from './erasure.repository.ts';
import {
  emailPattern,
  mayMention,
  nationalDigits,
  phonePattern,
  prepareText,
  redactText,
} from './redact.ts';
import { deleteCustomersHubData } from '../hub/hub-login.repository.ts';
import { deleteMembershipsOf } from '../notification-groups/notification-group.repository.ts';
import { forgetCustomerSuggestions } from '../duplicates/duplicate-upkeep.ts';
import { deleteMergesOf, mergedAwayInto } from '../merge/customer-merge.repository.ts';
import { recordCustomersErased, withdrawCustomerWebhooks } from '../webhooks/webhook-erasure.ts';

/** Tickets per transaction. */
const TICKET_BATCH = 200;
/** Messages on other people's tickets per transaction. */
const MESSAGE_BATCH = 500;

/**
 * The customer's data archives (exports/erase-exports.ts): rows deleted in the erasure's
 * transaction, files once it has committed.
 */
export type EraseCustomerExports = (
  trx: Transaction<Database>,
  files: FileStore,
  accountId: string,
  customerId: string,
) => Promise<{ count: number; removeFiles: () => Promise<void> }>;

export interface ErasureDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  files: FileStore;
  eraseExports?: EraseCustomerExports;
  /** How many archives the customer has (the dry run's count). */
  countArchives?: (db: Kysely<Database>, accountId: string, customerId: string) => Promise<number>;
}

export interface ErasureRequest {
  accountId: string;
  customerId: string;
  reason: DeletedCustomerTable['reason'];
  actor: Actor;
  requestedAt: string;
}

/** A person being erased, as their row still says (what every later step searches for). */
export interface Person {
  request: ErasureRequest;
  row: CustomerRow;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
}

/**
 * A step erases a batch of people of one account: one for an erasure job, up to a purge batch
 * for the retention purge, so that a scan of other people's rows or files is made once per
 * batch rather than once per person.
 */
type Step = (deps: ErasureDeps, accountId: string, people: Person[]) => Promise<void>;

/** Rows read (and redacted) per transaction when scanning for mentions. */
const MENTION_PAGE = 1000;
/** Up to this many people, the database picks candidate rows by their addresses and numbers. */
const NEEDLE_PEOPLE = 8;

async function removeFiles(files: FileStore, keys: string[], trx: Transaction<Database>) {
  for (const key of keys) await files.remove(key, trx);
}

function customerIds(people: Person[]): string[] {
  return people.map((p) => p.row.id);
}

/** The people `text` names, exactly (the patterns), found through the cheap check first. */
function mentioned(people: Person[], text: string): Person[] {
  const prepared = prepareText(text);
  return people.filter(
    (person) =>
      mayMention(person, prepared) &&
      ((person.email !== null && emailPattern(person.email).test(text)) ||
        (person.phone !== null &&
          person.countryCode !== null &&
          phonePattern(person.phone, person.countryCode).test(text))),
  );
}

function redactAll(people: Person[], text: string): string {
  return mentioned(people, text).reduce((result, person) => redactText(result, person), text);
}

const requestedTickets: Step = async ({ db, files }, accountId, people) => {
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const ids = await repo.requestedTicketIds(trx, accountId, customerIds(people), TICKET_BATCH);
      if (!ids.length) return true;
      await removeFiles(files, await repo.fileKeysOfTickets(trx, accountId, ids), trx);
      await repo.deleteTickets(trx, accountId, ids);
      return false;
    });
    if (done) return;
  }
};

const messagesOnOtherTickets: Step = async ({ db, files }, accountId, people) => {
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const ids = customerIds(people);
      const messages = await repo.messagesByCustomers(trx, accountId, ids, MESSAGE_BATCH);
      await removeFiles(files, await repo.deleteMessages(trx, accountId, messages), trx);
      return messages.length < MESSAGE_BATCH;
    });
    if (done) return;
  }
};

function emailsOf(people: Person[]): string[] {
  return people.map((p) => p.email).filter((e): e is string => e !== null);
}

const mailFromAndTo: Step = async ({ db, files }, accountId, people) => {
  const emails = emailsOf(people);
  if (!emails.length) return;
  await db.transaction().execute(async (trx) => {
    const inbound = await repo.inboundFrom(trx, accountId, emails);
    await removeFiles(
      files,
      inbound.map((m) => m.file_key),
      trx,
    );
    await repo.deleteInbound(
      trx,
      accountId,
      inbound.map((m) => m.id),
    );
    await repo.deleteOutboxTo(trx, accountId, emails);
  });
};

const importTraces: Step = async ({ db }, accountId, people) => {
  const exact = people.flatMap((p) => [p.email, p.phone]).filter((v): v is string => v !== null);
  await db.transaction().execute((trx) => repo.deleteImportTraces(trx, accountId, exact));
};

/** What the database may filter candidate rows by: emails, and phones' national digits. */
function needles(people: Person[]): repo.MentionNeedles | null {
  if (people.length > NEEDLE_PEOPLE) return null;
  return {
    emails: emailsOf(people),
    digits: people
      .map((p) => (p.phone && p.countryCode ? nationalDigits(p.phone, p.countryCode) : ''))
      .filter((d) => d.length > 0),
  };
}

/**
 * Other people's tickets, mail and reports that mention the person: the mention is redacted.
 * Each table is read in key order a page per transaction, so a page is redacted as it was read.
 */
const mentionsInRows: Step = async ({ db }, accountId, people) => {
  const filter = needles(people);
  if (filter && !filter.emails.length && !filter.digits.length) return;
  for (const spec of repo.MENTION_COLUMNS) {
    let after: repo.MentionKey | undefined;
    for (;;) {
      const page = await db.transaction().execute(async (trx) => {
        const rows = await repo.rowsMentioning(trx, accountId, spec, filter, after, MENTION_PAGE);
        for (const row of rows) {
          const values: Record<string, string | null> = {};
          for (const column of spec.columns) {
            const before = row[column];
            if (typeof before !== 'string') continue;
            const redacted = redactAll(people, before);
            if (redacted !== before) values[column] = redacted;
          }
          if (Object.keys(values).length)
            await repo.updateMention(trx, accountId, spec, row, values);
        }
        return rows;
      });
      if (page.length < MENTION_PAGE) break;
      after = repo.mentionKey(spec, page[page.length - 1]!);
    }
  }
};

/**
 * Raw mail of other tickets (a Cc, a quoted address): the mention is redacted in place. CSV
 * files that imported the person: each line naming them is emptied (a blank line keeps the
 * spreadsheet row numbers of the error report), which takes their name with it. Each file is
 * read once per batch.
 */
const mentionsInFiles: Step = async ({ db, files }, accountId, people) => {
  const rewrite = async (key: string, change: (text: string, named: Person[]) => string) => {
    if (!(await files.exists(key))) return;
    // Latin-1 keeps every byte as one character, so the file is rewritten byte for byte but for
    // what changes (the address and number are ASCII in any encoding an import or mail uses).
    const text = (await files.readAll(key)).toString('latin1');
    const named = mentioned(people, text);
    if (!named.length) return;
    await files.writeBuffer(key, Buffer.from(change(text, named), 'latin1'));
  };
  for (const key of await repo.inboundFileKeys(db, accountId))
    await rewrite(key, (text, named) =>
      named.reduce((result, person) => redactText(result, person), text),
    );
  for (const key of await repo.importFileKeys(db, accountId))
    await rewrite(key, (text, named) =>
      text.replace(/^.*$/gm, (line) =>
        mentioned(named, line).length ? (line.endsWith('\r') ? '\r' : '') : line,
      ),
    );
};

/** Their place in the organization's notification groups (contracts keep only their id). */
const groupMemberships: Step = async ({ db }, accountId, people) => {
  await deleteMembershipsOf(db, accountId, customerIds(people));
};

/** Their Customer Hub sign-in, sessions, grants and links (registration links by address). */
const hubSignIn: Step = async ({ db }, accountId, people) => {
  const emails = people.map((p) => p.email).filter((e): e is string => e !== null);
  await deleteCustomersHubData(db, accountId, customerIds(people), emails);
};

/**
 * Their duplicate suggestions and match keys (issue 15). Listing already leaves out a customer
 * being erased; this removes the pairs, which hold their id and what matched (an address, a number).
 */
const duplicateSuggestions: Step = async ({ db }, accountId, people) => {
  await db.transaction().execute(async (trx) => {
    for (const id of customerIds(people)) await forgetCustomerSuggestions(trx, accountId, id);
  });
};

const exportArchives: Step = async ({ db, files, eraseExports }, accountId, people) => {
  if (!eraseExports) return;
  const erased = await db.transaction().execute(async (trx) => {
    const all: Awaited<ReturnType<EraseCustomerExports>>[] = [];
    for (const id of customerIds(people)) all.push(await eraseExports(trx, files, accountId, id));
    return all;
  });
  for (const one of erased) await one.removeFiles();
};

/**
 * Merges into or out of them (issue 15): the journal holds a copy of both customers as they
 * were, so it goes, and with it any undo.
 */
const mergeJournals: Step = async ({ db }, accountId, people) => {
  await deleteMergesOf(db, accountId, customerIds(people));
};

/**
 * SQLite: the search index overwrites the entry it deletes instead of keeping it until a later
 * merge (FTS5 secure-delete), for this transaction only: left on, it slows every import row that
 * changes a customer's search text about four times.
 */
async function withSecureSearchDelete(
  trx: Transaction<Database>,
  dialect: Dialect,
  run: () => Promise<void>,
): Promise<void> {
  if (dialect !== 'sqlite') return run();
  // FTS5 reads a command's value as written: a bound parameter is refused.
  const secureDelete = (on: 0 | 1) =>
    sql`insert into customers_fts(customers_fts, rank) values ('secure-delete', ${sql.lit(on)})`.execute(
      trx,
    );
  await secureDelete(1);
  await run();
  await secureDelete(0);
}

/**
 * Customers per transaction in the last step: deleting a search entry with secure-delete costs
 * about a millisecond on a large index, so 50 keep the write lock to well under 100 ms.
 */
const FINISH_BATCH = 50;

const customerItself: Step = async ({ db, dialect }, accountId, people) => {
  const requests = new Map(people.map((p) => [p.row.id, p.request]));
  for (let i = 0; i < people.length; i += FINISH_BATCH) {
    const ids = customerIds(people.slice(i, i + FINISH_BATCH));
    await db.transaction().execute(async (trx) => {
      const now = nowIso();
      const erasures = (await findCustomers(trx, accountId, ids)).map((row) => {
        const request = requests.get(row.id)!;
        return buildErasure({ accountId, actor: request.actor, now }, row, request);
      });
      if (erasures.length)
        await withSecureSearchDelete(trx, dialect, () => finishErasures(trx, accountId, erasures));
      await withdrawCustomerWebhooks(trx, accountId, ids);
      await recordCustomersErased(
        trx,
        accountId,
        erasures.map((e) => e.customerId),
        now,
      );
    });
  }
};

/**
 * The erasure steps in order. A feature that keeps more of a customer's data adds its step
 * here (before customerItself, which must stay last).
 */
export const ERASURE_STEPS: readonly { name: string; run: Step }[] = [
  { name: 'requested tickets', run: requestedTickets },
  { name: 'messages on other tickets', run: messagesOnOtherTickets },
  { name: 'mail from and to them', run: mailFromAndTo },
  { name: 'import traces', run: importTraces },
  { name: 'mentions in other rows', run: mentionsInRows },
  { name: 'mentions in files', run: mentionsInFiles },
  { name: 'export archives', run: exportArchives },
  { name: 'notification group memberships', run: groupMemberships },
  { name: 'customer hub sign-in', run: hubSignIn },
  { name: 'duplicate suggestions', run: duplicateSuggestions },
  { name: 'merge journals', run: mergeJournals },
  {
    name: 'webhook deliveries',
    run: async ({ db }, accountId, people) =>
      db
        .transaction()
        .execute((trx) => withdrawCustomerWebhooks(trx, accountId, customerIds(people))),
  },
  { name: 'the customer', run: customerItself },
];

function personOf(row: CustomerRow, request: ErasureRequest): Person {
  const parsed = row.phone ? parsePhoneNumberFromString(row.phone) : undefined;
  return {
    request,
    row,
    email: row.email,
    phone: row.phone,
    countryCode: parsed?.countryCallingCode ?? null,
  };
}

/**
 * Runs every step for customers of one account whose erasure has started (those already gone
 * are skipped). `stopping` is checked between steps: true hands the job back, to resume where
 * it left off.
 */
export async function runErasures(
  deps: ErasureDeps,
  requests: ErasureRequest[],
  stopping: () => boolean = () => false,
  afterStep?: (name: string) => void,
  options: { checkpoint?: boolean } = {},
): Promise<'done' | 'stopped'> {
  const accountId = requests[0]?.accountId;
  if (!accountId) return 'done';
  if (requests.some((r) => r.accountId !== accountId))
    throw new Error('An erasure batch holds customers of one account');
  const byId = new Map(requests.map((r) => [r.customerId, r]));
  const people: Person[] = [];
  for (let i = 0; i < requests.length; i += 500) {
    const ids = requests.slice(i, i + 500).map((r) => r.customerId);
    for (const row of await findCustomers(deps.db, accountId, ids))
      people.push(personOf(row, byId.get(row.id)!));
  }
  if (!people.length) return 'done';
  // The customers merged into them (issue 15) still hold who the person was (their old name,
  // address and number): they are erased with their survivor, each with its own log row.
  const merged = await findCustomers(
    deps.db,
    accountId,
    await mergedAwayInto(deps.db, accountId, customerIds(people)),
  );
  const requestOf = new Map(people.map((p) => [p.row.id, p.request]));
  for (let pending = merged; pending.length;) {
    const next = pending.filter((row) => !requestOf.has(row.merged_into_id ?? ''));
    for (const row of pending) {
      const request = requestOf.get(row.merged_into_id ?? '');
      if (!request) continue;
      requestOf.set(row.id, request);
      people.push(personOf(row, { ...request, customerId: row.id }));
    }
    if (next.length === pending.length) break;
    pending = next;
  }
  for (const step of ERASURE_STEPS) {
    if (stopping()) return 'stopped';
    await step.run(deps, accountId, people);
    afterStep?.(step.name);
  }
  if (options.checkpoint !== false) await checkpoint(deps);
  return 'done';
}

/** One customer's erasure (the erasure job). */
export function runErasure(
  deps: ErasureDeps,
  request: ErasureRequest,
  stopping?: () => boolean,
  afterStep?: (name: string) => void,
): Promise<'done' | 'stopped'> {
  return runErasures(deps, [request], stopping, afterStep);
}

/**
 * SQLite: the freed pages were overwritten (secure_delete); the WAL, which still holds pages
 * as they were, is written back and emptied. A purge does it once per batch.
 */
export async function checkpoint(deps: ErasureDeps): Promise<void> {
  if (deps.dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(deps.db);
}
