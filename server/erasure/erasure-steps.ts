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
import { findCustomer, finishErasure } from '../customers/customer.repository.ts';
import { buildErasure, type Actor } from '../customers/customer-write.ts';
import * as repo from './erasure.repository.ts';
import { emailPattern, phonePattern, redactText } from './redact.ts';
import { deleteMembershipsOf } from '../notification-groups/notification-group.repository.ts';

/** Tickets per transaction. */
const TICKET_BATCH = 200;

/**
 * The customer's data archives (exports/erase-exports.ts): rows deleted in the erasure's
 * transaction, files once it has committed.
 */
export type EraseCustomerExports = (
  trx: Transaction<Database>,
  files: FileStore,
  accountId: string,
  customerId: string,
) => Promise<{ count: number; removeFiles: () => void }>;

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

/** The person being erased, as the row still says (what every later step searches for). */
export interface Person {
  row: CustomerRow;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
}

type Step = (deps: ErasureDeps, request: ErasureRequest, person: Person) => Promise<void>;

function removeFiles(files: FileStore, keys: string[]) {
  for (const key of keys) files.remove(key);
}

/** Free-text needles for SQL candidates: the email, and the phone's last two digits. */
function needles(person: Person): string[] {
  return [
    ...(person.email ? [person.email] : []),
    ...(person.phone ? [person.phone.slice(-2)] : []),
  ];
}

function mentions(person: Person, text: string): boolean {
  return (
    (person.email !== null && emailPattern(person.email).test(text)) ||
    (person.phone !== null &&
      person.countryCode !== null &&
      phonePattern(person.phone, person.countryCode).test(text))
  );
}

const requestedTickets: Step = async ({ db, files }, { accountId, customerId }) => {
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const ids = await repo.requestedTicketIds(trx, accountId, customerId, TICKET_BATCH);
      if (!ids.length) return true;
      removeFiles(files, await repo.fileKeysOfTickets(trx, accountId, ids));
      await repo.deleteTickets(trx, accountId, ids);
      return false;
    });
    if (done) return;
  }
};

const messagesOnOtherTickets: Step = async ({ db, files }, { accountId, customerId }) => {
  await db.transaction().execute(async (trx) => {
    const messages = await repo.messagesByCustomer(trx, accountId, customerId);
    const keys = await repo.deleteMessages(trx, accountId, messages);
    removeFiles(files, keys);
  });
};

const mailFromAndTo: Step = async ({ db, files }, { accountId }, person) => {
  const email = person.email;
  if (!email) return;
  await db.transaction().execute(async (trx) => {
    const inbound = await repo.inboundFrom(trx, accountId, email);
    removeFiles(
      files,
      inbound.map((m) => m.file_key),
    );
    await repo.deleteInbound(
      trx,
      accountId,
      inbound.map((m) => m.id),
    );
    await repo.deleteOutboxTo(trx, accountId, email);
  });
};

const importTraces: Step = async ({ db }, { accountId }, person) => {
  const exact = [person.email, person.phone].filter((v): v is string => v !== null);
  await db.transaction().execute((trx) => repo.deleteImportTraces(trx, accountId, exact));
};

/** Other people's tickets, mail and reports that mention the person: the mention is redacted. */
const mentionsInRows: Step = async ({ db }, { accountId }, person) => {
  await db.transaction().execute(async (trx) => {
    for (const spec of repo.MENTION_COLUMNS) {
      for (const row of await repo.rowsMentioning(trx, accountId, spec, needles(person))) {
        const values: Record<string, string | null> = {};
        for (const column of spec.columns) {
          const before = row[column];
          if (typeof before !== 'string') continue;
          const after = redactText(before, person);
          if (after !== before) values[column] = after;
        }
        if (Object.keys(values).length) await repo.updateMention(trx, accountId, spec, row, values);
      }
    }
  });
};

/**
 * Raw mail of other tickets (a Cc, a quoted address): the mention is redacted in place. CSV
 * files that imported the person: each line naming them is emptied (a blank line keeps the
 * spreadsheet row numbers of the error report), which takes their name with it.
 */
const mentionsInFiles: Step = async ({ db, files }, { accountId }, person) => {
  const rewrite = async (key: string, change: (text: string) => string) => {
    if (!files.exists(key)) return;
    // Latin-1 keeps every byte as one character, so the file is rewritten byte for byte but for
    // what changes (the address and number are ASCII in any encoding an import or mail uses).
    const text = (await files.readAll(key)).toString('latin1');
    if (!mentions(person, text)) return;
    await files.writeBuffer(key, Buffer.from(change(text), 'latin1'));
  };
  for (const key of await repo.inboundFileKeys(db, accountId))
    await rewrite(key, (text) => redactText(text, person));
  for (const key of await repo.importFileKeys(db, accountId))
    await rewrite(key, (text) =>
      text.replace(/^.*$/gm, (line) =>
        mentions(person, line) ? (line.endsWith('\r') ? '\r' : '') : line,
      ),
    );
};

/** Their place in the organization's notification groups (contracts keep only their id). */
const groupMemberships: Step = async ({ db }, { accountId, customerId }) => {
  await deleteMembershipsOf(db, accountId, customerId);
};

const exportArchives: Step = async ({ db, files, eraseExports }, { accountId, customerId }) => {
  if (!eraseExports) return;
  const erased = await db
    .transaction()
    .execute((trx) => eraseExports(trx, files, accountId, customerId));
  erased.removeFiles();
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

const customerItself: Step = async ({ db, dialect }, request) => {
  await db.transaction().execute(async (trx) => {
    const current = await findCustomer(trx, request.accountId, request.customerId);
    if (!current) return;
    const erasure = buildErasure(
      { accountId: request.accountId, actor: request.actor, now: nowIso() },
      current,
      request,
    );
    await withSecureSearchDelete(trx, dialect, () => finishErasure(trx, erasure));
  });
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
  { name: 'the customer', run: customerItself },
];

export function personOf(row: CustomerRow): Person {
  const parsed = row.phone ? parsePhoneNumberFromString(row.phone) : undefined;
  return {
    row,
    email: row.email,
    phone: row.phone,
    countryCode: parsed?.countryCallingCode ?? null,
  };
}

/**
 * Runs every step for a customer whose erasure has started (or does nothing once it is gone).
 * `stopping` is checked between steps: true hands the job back, to resume where it left off.
 */
export async function runErasure(
  deps: ErasureDeps,
  request: ErasureRequest,
  stopping: () => boolean = () => false,
  afterStep?: (name: string) => void,
  options: { checkpoint?: boolean } = {},
): Promise<'done' | 'stopped'> {
  const row = await findCustomer(deps.db, request.accountId, request.customerId);
  if (!row) return 'done';
  const person = personOf(row);
  for (const step of ERASURE_STEPS) {
    if (stopping()) return 'stopped';
    await step.run(deps, request, person);
    afterStep?.(step.name);
  }
  if (options.checkpoint !== false) await checkpoint(deps);
  return 'done';
}

/**
 * SQLite: the freed pages were overwritten (secure_delete); the WAL, which still holds pages
 * as they were, is written back and emptied. A purge does it once per batch.
 */
export async function checkpoint(deps: ErasureDeps): Promise<void> {
  if (deps.dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(deps.db);
}
