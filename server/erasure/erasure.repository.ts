// SQL for erasing a customer's data outside the customer write model: the tickets they
// requested (messages, attachments, the raw mail that made them, outbox rows), messages they
// wrote on other tickets, mail from them that made no ticket, mail addressed to them, the
// import rows and error reports holding them, and the text of other tickets that mentions
// them (a Cc, a quoted address), which is redacted rather than removed. Every query is scoped
// by the account. Batches are bounded so that one transaction stays short.
import { sql } from 'kysely';
import { UNRESOLVED_STATUSES } from '../../common/ticket.ts';
import type { DeletedCustomerTable } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

function likeAny(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function unresolvedTickets(
  db: Conn,
  accountId: string,
  customerId: string,
  listed: number,
): Promise<{ count: number; numbers: number[] }> {
  const base = db
    .selectFrom('tickets')
    .where('account_id', '=', accountId)
    .where('requester_id', '=', customerId)
    .where('status', 'in', [...UNRESOLVED_STATUSES]);
  const [counted, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base.select('number').orderBy('number').limit(listed).execute(),
  ]);
  return { count: Number(counted.count), numbers: rows.map((r) => Number(r.number)) };
}

export async function countsOf(
  db: Conn,
  accountId: string,
  customerId: string,
  email: string | null,
) {
  const tickets = db
    .selectFrom('tickets')
    .select('id')
    .where('account_id', '=', accountId)
    .where('requester_id', '=', customerId);
  const one = async (query: { executeTakeFirstOrThrow(): Promise<{ count: number | string }> }) =>
    Number((await query.executeTakeFirstOrThrow()).count);
  const count = sql<number>`count(*)`.as('count');
  const [ticketCount, messages, attachments, rawMail, audit] = await Promise.all([
    one(
      db
        .selectFrom('tickets')
        .select(count)
        .where('account_id', '=', accountId)
        .where('requester_id', '=', customerId),
    ),
    one(
      db
        .selectFrom('ticket_messages')
        .select(count)
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('ticket_id', 'in', tickets), eb('customer_id', '=', customerId)])),
    ),
    one(
      db
        .selectFrom('ticket_attachments')
        .select(count)
        .where('account_id', '=', accountId)
        .where('ticket_id', 'in', tickets),
    ),
    one(
      db
        .selectFrom('inbound_emails')
        .select(count)
        .where('account_id', '=', accountId)
        .where((eb) =>
          eb.or([
            eb('ticket_id', 'in', tickets),
            ...(email ? [eb(sql`lower(mail_from)`, '=', email)] : []),
          ]),
        ),
    ),
    one(
      db
        .selectFrom('customer_audit')
        .select(count)
        .where('account_id', '=', accountId)
        .where('customer_id', '=', customerId),
    ),
  ]);
  return { tickets: ticketCount, messages, files: attachments + rawMail, auditEntries: audit };
}

/** The next tickets the customer requested, at most `limit`. */
export async function requestedTicketIds(
  db: Conn,
  accountId: string,
  customerId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('account_id', '=', accountId)
    .where('requester_id', '=', customerId)
    .orderBy('number')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The files (attachments, raw mail) of these tickets. */
export async function fileKeysOfTickets(
  db: Conn,
  accountId: string,
  ticketIds: string[],
): Promise<string[]> {
  if (!ticketIds.length) return [];
  const [attachments, inbound] = await Promise.all([
    db
      .selectFrom('ticket_attachments')
      .select('file_key')
      .where('account_id', '=', accountId)
      .where('ticket_id', 'in', ticketIds)
      .execute(),
    db
      .selectFrom('inbound_emails')
      .select('file_key')
      .where('account_id', '=', accountId)
      .where('ticket_id', 'in', ticketIds)
      .execute(),
  ]);
  return [...attachments, ...inbound].map((r) => r.file_key);
}

/**
 * Deletes these tickets with everything hanging off them. Their time entries go too, but not
 * from their contracts' hours used: a contract keeps the hours it was billed as a total.
 */
export async function deleteTickets(db: Conn, accountId: string, ticketIds: string[]) {
  if (!ticketIds.length) return;
  for (const table of [
    'ticket_attachments',
    'ticket_messages',
    'outbox',
    'inbound_emails',
    'time_entries',
    'time_entry_audit',
  ] as const)
    await db
      .deleteFrom(table)
      .where('account_id', '=', accountId)
      .where('ticket_id', 'in', ticketIds)
      .execute();
  await db
    .deleteFrom('tickets')
    .where('account_id', '=', accountId)
    .where('id', 'in', ticketIds)
    .execute();
}

/** Messages the customer wrote on tickets someone else requested, with their attachments. */
export async function messagesByCustomer(db: Conn, accountId: string, customerId: string) {
  return db
    .selectFrom('ticket_messages')
    .select(['id', 'ticket_id'])
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
}

export async function deleteMessages(
  db: Conn,
  accountId: string,
  messages: { id: string; ticket_id: string }[],
): Promise<string[]> {
  if (!messages.length) return [];
  const ids = messages.map((m) => m.id);
  const files = await db
    .selectFrom('ticket_attachments')
    .select('file_key')
    .where('account_id', '=', accountId)
    .where('message_id', 'in', ids)
    .execute();
  await db
    .deleteFrom('ticket_attachments')
    .where('account_id', '=', accountId)
    .where('message_id', 'in', ids)
    .execute();
  await db
    .deleteFrom('ticket_messages')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  for (const m of messages)
    await db
      .updateTable('tickets')
      .set({ message_count: sql<number>`message_count - 1` })
      .where('account_id', '=', accountId)
      .where('id', '=', m.ticket_id)
      .execute();
  return files.map((f) => f.file_key);
}

/** Mail from the person that made no ticket of theirs (ignored, failed, or not yet processed). */
export async function inboundFrom(db: Conn, accountId: string, email: string) {
  return db
    .selectFrom('inbound_emails')
    .select(['id', 'file_key'])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb(sql`lower(mail_from)`, '=', email),
        eb(sql`lower(header_from)`, 'like', likeAny(email)),
      ]),
    )
    .execute();
}

export async function deleteInbound(db: Conn, accountId: string, ids: string[]) {
  if (!ids.length) return;
  await db
    .deleteFrom('inbound_emails')
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
}

/** Outgoing mail addressed to the person (replies on their tickets go with the tickets). */
export async function deleteOutboxTo(db: Conn, accountId: string, email: string) {
  await db
    .deleteFrom('outbox')
    .where('account_id', '=', accountId)
    .where(sql`lower(to_address)`, '=', email)
    .execute();
}

/** Import error rows and dry-run keys that hold the email or phone. */
export async function deleteImportTraces(db: Conn, accountId: string, needles: string[]) {
  for (const needle of needles) {
    await db
      .deleteFrom('customer_import_errors')
      .where('account_id', '=', accountId)
      .where(sql`lower(value)`, 'like', likeAny(needle))
      .execute();
    await db
      .deleteFrom('customer_import_keys')
      .where('account_id', '=', accountId)
      .where(sql`lower(identity)`, 'like', likeAny(needle))
      .execute();
  }
}

export async function importFileKeys(db: Conn, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_imports')
    .select('file_key')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => r.file_key);
}

export async function inboundFileKeys(db: Conn, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('inbound_emails')
    .select('file_key')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => r.file_key);
}

/** A text column some other row holds that may mention the person, to be redacted. */
export const MENTION_COLUMNS = [
  { table: 'ticket_messages', key: 'id', columns: ['body_text', 'body_html', 'author_name'] },
  { table: 'tickets', key: 'id', columns: ['subject'] },
  { table: 'outbox', key: 'id', columns: ['to_address', 'subject', 'body_text'] },
  {
    table: 'inbound_emails',
    key: 'id',
    columns: ['mail_from', 'rcpt_to', 'header_from', 'subject'],
  },
  { table: 'jobs', key: 'id', columns: ['last_error'] },
  { table: 'time_entries', key: 'id', columns: ['note'] },
  { table: 'customer_import_errors', key: 'seq', columns: ['value', 'reason'] },
] as const;

type MentionTable = (typeof MENTION_COLUMNS)[number];

/** Rows of `spec.table` whose text columns contain any of the needles (lower-cased LIKE). */
export async function rowsMentioning(
  db: Conn,
  accountId: string,
  spec: MentionTable,
  needles: string[],
): Promise<Record<string, string | null>[]> {
  if (!needles.length) return [];
  const columns = spec.columns as readonly string[];
  const conditions = columns.flatMap((column) =>
    needles.map((n) => sql`lower(${sql.ref(column)}) like ${likeAny(n)} escape '\\'`),
  );
  const keys = spec.table === 'customer_import_errors' ? ['import_id', 'seq'] : [spec.key];
  const result = await sql<Record<string, string | null>>`select ${sql.join(
    [...keys, ...columns].map((c) => sql.ref(c)),
  )} from ${sql.table(spec.table)} where account_id = ${accountId} and (${sql.join(conditions, sql` or `)})`.execute(
    db,
  );
  return result.rows;
}

export async function updateMention(
  db: Conn,
  accountId: string,
  spec: MentionTable,
  row: Record<string, string | null>,
  values: Record<string, string | null>,
) {
  const keys = spec.table === 'customer_import_errors' ? ['import_id', 'seq'] : [spec.key];
  const set = Object.entries(values).map(([c, v]) => sql`${sql.ref(c)} = ${v}`);
  const where = keys.map((k) => sql`${sql.ref(k)} = ${row[k]}`);
  await sql`update ${sql.table(spec.table)} set ${sql.join(set)} where account_id = ${accountId} and ${sql.join(where, sql` and `)}`.execute(
    db,
  );
}

export async function findDeleted(db: Conn, accountId: string, customerNumber: number) {
  return db
    .selectFrom('deleted_customers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_number', '=', customerNumber)
    .executeTakeFirst();
}

export async function listDeleted(
  db: Conn,
  accountId: string,
  limit: number,
  beforeId?: string,
): Promise<DeletedCustomerTable[]> {
  let query = db.selectFrom('deleted_customers').selectAll().where('account_id', '=', accountId);
  if (beforeId) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function countDeleted(db: Conn, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('deleted_customers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Customers the retention purge would erase: active or deactivated, last activity (else
 * creation) before the cutoff, no unresolved ticket. Oldest first, at most `limit`.
 */
export async function purgeCandidates(
  db: Conn,
  accountId: string,
  cutoff: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('customers as c')
    .select('c.id')
    .where('c.account_id', '=', accountId)
    .where('c.status', 'in', ['active', 'deactivated'])
    .where(sql`coalesce(c.last_activity_at, c.created_at)`, '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('tickets as t')
            .select('t.id')
            .where('t.account_id', '=', accountId)
            .whereRef('t.requester_id', '=', 'c.id')
            .where('t.status', 'in', [...UNRESOLVED_STATUSES]),
        ),
      ),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Customers marked 'erasing' whose job may have died with its node (the purge picks them up). */
export async function customersErasing(db: Conn, accountId: string, limit: number) {
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'erasing')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a job of this kind is waiting for the account (the purge is queued once). */
export async function hasQueuedJob(db: Conn, accountId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return row !== undefined;
}
