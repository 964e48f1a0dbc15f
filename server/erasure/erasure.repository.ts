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
import { PHONE_SEPARATOR_CHARACTERS } from './redact.ts';
import { chunks } from '../db/chunks.ts';

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

/** The next tickets these customers requested, at most `limit`. */
export async function requestedTicketIds(
  db: Conn,
  accountId: string,
  customerIds: string[],
  limit: number,
): Promise<string[]> {
  if (!customerIds.length) return [];
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('account_id', '=', accountId)
    .where('requester_id', 'in', customerIds)
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

/** The next messages these customers wrote on tickets someone else requested, at most `limit`. */
export async function messagesByCustomers(
  db: Conn,
  accountId: string,
  customerIds: string[],
  limit: number,
) {
  if (!customerIds.length) return [];
  return db
    .selectFrom('ticket_messages')
    .select(['id', 'ticket_id'])
    .where('account_id', '=', accountId)
    .where('customer_id', 'in', customerIds)
    .limit(limit)
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
  const perTicket = new Map<string, number>();
  for (const m of messages) perTicket.set(m.ticket_id, (perTicket.get(m.ticket_id) ?? 0) + 1);
  for (const [ticketId, count] of perTicket)
    await db
      .updateTable('tickets')
      .set({ message_count: sql<number>`message_count - ${count}` })
      .where('account_id', '=', accountId)
      .where('id', '=', ticketId)
      .execute();
  return files.map((f) => f.file_key);
}

/** Needles per LIKE query: one scan tests this many patterns. */
const NEEDLES_PER_QUERY = 50;

/** Mail from these people that made no ticket of theirs (ignored, failed, or not yet processed). */
export async function inboundFrom(db: Conn, accountId: string, emails: string[]) {
  const found = new Map<string, { id: string; file_key: string }>();
  for (const group of chunks(emails, NEEDLES_PER_QUERY)) {
    const rows = await db
      .selectFrom('inbound_emails')
      .select(['id', 'file_key'])
      .where('account_id', '=', accountId)
      .where((eb) =>
        eb.or([
          eb(sql`lower(mail_from)`, 'in', group),
          ...group.map((email) => eb(sql`lower(header_from)`, 'like', likeAny(email))),
        ]),
      )
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return [...found.values()];
}

export async function deleteInbound(db: Conn, accountId: string, ids: string[]) {
  for (const group of chunks(ids, 500))
    await db
      .deleteFrom('inbound_emails')
      .where('account_id', '=', accountId)
      .where('id', 'in', group)
      .execute();
}

/** Outgoing mail addressed to these people (replies on their tickets go with the tickets). */
export async function deleteOutboxTo(db: Conn, accountId: string, emails: string[]) {
  for (const group of chunks(emails, 500))
    await db
      .deleteFrom('outbox')
      .where('account_id', '=', accountId)
      .where(sql`lower(to_address)`, 'in', group)
      .execute();
}

/** Import error rows and dry-run keys that hold the email or phone. */
export async function deleteImportTraces(db: Conn, accountId: string, needles: string[]) {
  for (const group of chunks(needles, NEEDLES_PER_QUERY)) {
    await db
      .deleteFrom('customer_import_errors')
      .where('account_id', '=', accountId)
      .where((eb) => eb.or(group.map((n) => eb(sql`lower(value)`, 'like', likeAny(n)))))
      .execute();
    await db
      .deleteFrom('customer_import_keys')
      .where('account_id', '=', accountId)
      .where((eb) => eb.or(group.map((n) => eb(sql`lower(identity)`, 'like', likeAny(n)))))
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
  { table: 'customer_import_errors', key: 'seq', columns: ['value', 'reason', 'params'] },
] as const;

type MentionTable = (typeof MENTION_COLUMNS)[number];

/** What the database may pick candidate rows by; null: every row is a candidate. */
export interface MentionNeedles {
  emails: string[];
  /** A phone's national digits, found once the separators a phone is spelled with are gone. */
  digits: string[];
}

/** Where a page of rows ended: the key column(s) of its last row. */
export type MentionKey = (string | null)[];

/** A row's key: an import error's seq restarts on each row, so it needs its row too. */
function keyColumns(spec: MentionTable): string[] {
  return spec.table === 'customer_import_errors' ? ['import_id', 'row_number', 'seq'] : [spec.key];
}

export function mentionKey(spec: MentionTable, row: Record<string, string | null>): MentionKey {
  return keyColumns(spec).map((k) => row[k] ?? null);
}

/** The column without the separators a phone may be spelled with (both databases). */
function withoutSeparators(column: string) {
  let text = sql`${sql.ref(column)}`;
  for (const separator of PHONE_SEPARATOR_CHARACTERS)
    text = sql`replace(${text}, ${separator}, '')`;
  return text;
}

/**
 * The next page of `spec.table`'s rows after `after`, in key order: those whose text columns
 * may name one of the needles (lower-cased LIKE), or every row when `needles` is null. The
 * caller decides exactly (redact.ts); this only narrows what it reads.
 */
export async function rowsMentioning(
  db: Conn,
  accountId: string,
  spec: MentionTable,
  needles: MentionNeedles | null,
  after: MentionKey | undefined,
  limit: number,
): Promise<Record<string, string | null>[]> {
  const columns = spec.columns as readonly string[];
  const keys = keyColumns(spec);
  const conditions = needles
    ? columns.flatMap((column) => [
        ...needles.emails.map((n) => sql`lower(${sql.ref(column)}) like ${likeAny(n)} escape '\\'`),
        ...needles.digits.map(
          (d) => sql`${withoutSeparators(column)} like ${likeAny(d)} escape '\\'`,
        ),
      ])
    : [];
  const filter = conditions.length ? sql`and (${sql.join(conditions, sql` or `)})` : sql``;
  const from = after
    ? sql`and (${sql.join(keys.map((k) => sql.ref(k)))}) > (${sql.join(after)})`
    : sql``;
  const result = await sql<Record<string, string | null>>`select ${sql.join(
    [...keys, ...columns].map((c) => sql.ref(c)),
  )} from ${sql.table(spec.table)} where account_id = ${accountId} ${from} ${filter} order by ${sql.join(
    keys.map((k) => sql.ref(k)),
  )} limit ${limit}`.execute(db);
  return result.rows;
}

export async function updateMention(
  db: Conn,
  accountId: string,
  spec: MentionTable,
  row: Record<string, string | null>,
  values: Record<string, string | null>,
) {
  const keys = keyColumns(spec);
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
 * creation) before the cutoff, no unresolved ticket; at most `limit`, and only of `among` when
 * given (the purge reads its batch again in the transaction that marks it).
 */
export async function purgeCandidates(
  db: Conn,
  accountId: string,
  cutoff: string,
  limit: number,
  among?: string[],
): Promise<string[]> {
  if (among && !among.length) return [];
  let query = db.selectFrom('customers as c').select('c.id');
  if (among) query = query.where('c.id', 'in', among);
  const rows = await query
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
