// SQL for tickets, their messages and attachments.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Ticket, TicketListQuery, TicketMessage } from '../../common/ticket.ts';
import { UNRESOLVED_STATUSES } from '../../common/ticket.ts';
import type { Database, TicketMessageRow, TicketRow } from '../db/database.ts';
import { ALL, ticketScope, type Scope } from '../access/scope.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export function ticketRowToTicket(
  row: TicketRow,
  requesterName: string,
  /** Location and area names by id (location.repository.ts placeNames). */
  places: ReadonlyMap<string, string> = new Map(),
): Ticket {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status as Ticket['status'],
    channel: row.channel as Ticket['channel'],
    requesterId: row.requester_id,
    requesterName,
    organizationId: row.organization_id,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    locationId: row.location_id,
    locationName: row.location_id ? (places.get(row.location_id) ?? null) : null,
    areaId: row.area_id,
    areaName: row.area_id ? (places.get(row.area_id) ?? null) : null,
    contractId: row.contract_id,
    messageCount: Number(row.message_count),
    lastMessageAt: row.last_message_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function messageRowToMessage(
  row: TicketMessageRow,
  attachments: TicketMessage['attachments'],
  delivery: TicketMessage['delivery'] = null,
): TicketMessage {
  return {
    id: row.id,
    authorType: row.author_type,
    authorName: row.author_name,
    customerId: row.customer_id,
    userId: row.user_id,
    channel: row.channel as TicketMessage['channel'],
    text: row.body_text,
    html: row.body_html,
    attachments,
    internal: row.internal === 1,
    hubSeenAt: row.hub_seen_at,
    delivery,
    createdAt: row.created_at,
  };
}

export async function insertTicket(db: Conn, row: TicketRow) {
  await db.insertInto('tickets').values(row).execute();
}

/** One ticket by id; with a scope, one out of it is not found, exactly like a missing one. */
export async function findTicket(db: Conn, accountId: string, id: string, scope: Scope = ALL) {
  const inScope = ticketScope(scope);
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .executeTakeFirst();
}

export async function findTicketByNumber(db: Conn, accountId: string, number: number) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function updateTicketRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<TicketRow>,
) {
  await db
    .updateTable('tickets')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

type TicketFilter = Omit<TicketListQuery, 'limit' | 'cursor'> & { scope: Scope };

function filtered(db: Conn, accountId: string, query: TicketFilter) {
  let q = db.selectFrom('tickets').where('account_id', '=', accountId);
  // The scope, for the list and its count alike (a customer's tickets, the widget's recent ones).
  const inScope = ticketScope(query.scope);
  if (inScope) q = q.where(inScope);
  if (query.status === 'unresolved') q = q.where('status', 'in', [...UNRESOLVED_STATUSES]);
  else if (query.status) q = q.where('status', '=', query.status);
  if (query.customerId) q = q.where('requester_id', '=', query.customerId);
  if (query.organizationId) q = q.where('organization_id', '=', query.organizationId);
  if (query.locationId) q = q.where('location_id', '=', query.locationId);
  if (query.areaId) q = q.where('area_id', '=', query.areaId);
  if (query.assigneeId) q = q.where('assignee_id', '=', query.assigneeId);
  return q;
}

export async function listTicketRows(
  db: Conn,
  accountId: string,
  query: TicketFilter,
  before: number | undefined,
  limit: number,
) {
  let q = filtered(db, accountId, query).selectAll();
  if (before !== undefined) q = q.where('number', '<', before);
  return q.orderBy('number', 'desc').limit(limit).execute();
}

export async function countTickets(db: Conn, accountId: string, query: TicketFilter) {
  const row = await filtered(db, accountId, query)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The requester's latest ticket on a channel that is still open or pending (SMS threads onto it). */
export async function findOpenTicketFor(
  db: Conn,
  accountId: string,
  customerId: string,
  channel: string,
) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('requester_id', '=', customerId)
    .where('channel', '=', channel)
    .where('status', 'in', ['open', 'pending'])
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Holds the writers of one sender's open thread on a channel to one at a time until the
 * transaction ends, so "find the open ticket, else open one" cannot run twice at once. On
 * PostgreSQL a transaction-scoped advisory lock on the account, channel and customer (released
 * by commit or rollback, so nothing can leak it); SQLite needs none, as Kunde's one connection
 * runs one transaction at a time.
 */
export async function lockOpenThread(
  trx: Transaction<Database>,
  accountId: string,
  customerId: string,
  channel: string,
) {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  const key = `${accountId}:${channel}:${customerId}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

export async function insertMessage(db: Conn, row: TicketMessageRow) {
  await db.insertInto('ticket_messages').values(row).execute();
}

export async function listMessages(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('ticket_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
}

export async function findMessageByEmailId(db: Conn, accountId: string, emailMessageIds: string[]) {
  if (emailMessageIds.length === 0) return undefined;
  return db
    .selectFrom('ticket_messages')
    .select(['ticket_id', 'email_message_id'])
    .where('account_id', '=', accountId)
    .where('email_message_id', 'in', emailMessageIds)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Message-IDs of a ticket's email messages, oldest first (for References). */
export async function emailIdsOfTicket(db: Conn, accountId: string, ticketId: string) {
  const rows = await db
    .selectFrom('ticket_messages')
    .select('email_message_id')
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .where('email_message_id', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.email_message_id).filter((id): id is string => id !== null);
}

export async function insertAttachment(db: Conn, row: Database['ticket_attachments']) {
  await db.insertInto('ticket_attachments').values(row).execute();
}

export async function attachmentsOf(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('ticket_attachments')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .execute();
}

export async function findAttachment(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('ticket_attachments')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function customerNames(db: Conn, accountId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name', 'email', 'phone'])
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || r.phone || '',
    ]),
  );
}
