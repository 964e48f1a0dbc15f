// SQL for tickets as the Customer Hub reads them: only the customer's own tickets and those of
// the organizations they were granted, never an internal note, and the agent messages the
// requester has seen. Every query names the account first and then the customer's reach.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { HubTicketStatus } from '../../common/hub.ts';
import type { Database, TicketRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

/** What a customer reaches: their own tickets, and those of the organizations granted them. */
export interface HubReach {
  customerId: string;
  organizationIds: readonly string[];
}

export interface HubTicketFilter {
  /** Only the customer's own tickets (view=mine) … */
  requesterId?: string;
  /** … or only these organizations' (view=organization); never empty here. */
  organizationIds?: readonly string[];
  status?: HubTicketStatus;
  /** Words of the subject, each of which must appear (case-insensitive). */
  words?: string[];
}

/** The list's position: newest activity first, the id breaking ties. */
export interface HubTicketPosition {
  t: string;
  id: string;
}

export type HubTicketListRow = TicketRow & {
  requester_first_name: string | null;
  requester_last_name: string | null;
  requester_email: string | null;
  requester_phone: string | null;
  organization_name: string | null;
};

type TicketsEb = ExpressionBuilder<Database, 'tickets'>;

/** A ticket the customer may see: theirs, or one of a granted organization's. */
function reachable(eb: TicketsEb, reach: HubReach): Expression<SqlBool> {
  const own = eb('tickets.requester_id', '=', reach.customerId);
  return reach.organizationIds.length
    ? eb.or([own, eb('tickets.organization_id', 'in', [...reach.organizationIds])])
    : own;
}

/** LIKE's wildcards and its escape character taken literally in a customer's word. */
export function likeWord(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filtered(db: Conn, accountId: string, filter: HubTicketFilter) {
  let q = db.selectFrom('tickets').where('tickets.account_id', '=', accountId);
  if (filter.requesterId) q = q.where('tickets.requester_id', '=', filter.requesterId);
  if (filter.organizationIds)
    q = q.where('tickets.organization_id', 'in', [...filter.organizationIds]);
  // A ticket in error is open to the customer, so the open filter finds it too.
  if (filter.status === 'open') q = q.where('tickets.status', 'in', ['open', 'error']);
  else if (filter.status) q = q.where('tickets.status', '=', filter.status);
  for (const word of filter.words ?? [])
    q = q.where(sql<SqlBool>`lower(tickets.subject) like ${likeWord(word)} escape '\\'`);
  return q;
}

export async function listHubTicketRows(
  db: Conn,
  accountId: string,
  filter: HubTicketFilter,
  after: HubTicketPosition | undefined,
  limit: number,
): Promise<HubTicketListRow[]> {
  let q = filtered(db, accountId, filter)
    .innerJoin('customers as c', (join) =>
      join
        .onRef('c.account_id', '=', 'tickets.account_id')
        .onRef('c.id', '=', 'tickets.requester_id'),
    )
    .leftJoin('organizations as o', (join) =>
      join
        .onRef('o.account_id', '=', 'tickets.account_id')
        .onRef('o.id', '=', 'tickets.organization_id'),
    )
    .selectAll('tickets')
    .select([
      'c.first_name as requester_first_name',
      'c.last_name as requester_last_name',
      'c.email as requester_email',
      'c.phone as requester_phone',
      'o.name as organization_name',
    ]);
  if (after)
    q = q.where((eb) =>
      eb(eb.refTuple('tickets.last_message_at', 'tickets.id'), '<', eb.tuple(after.t, after.id)),
    );
  return q
    .orderBy('tickets.last_message_at', 'desc')
    .orderBy('tickets.id', 'desc')
    .limit(limit)
    .execute();
}

export async function countHubTickets(
  db: Conn,
  accountId: string,
  filter: HubTicketFilter,
): Promise<number> {
  const row = await filtered(db, accountId, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One ticket with its names, when the customer reaches it; otherwise nothing, as if missing. */
export async function findReachableTicket(
  db: Conn,
  accountId: string,
  id: string,
  reach: HubReach,
): Promise<HubTicketListRow | undefined> {
  return db
    .selectFrom('tickets')
    .innerJoin('customers as c', (join) =>
      join
        .onRef('c.account_id', '=', 'tickets.account_id')
        .onRef('c.id', '=', 'tickets.requester_id'),
    )
    .leftJoin('organizations as o', (join) =>
      join
        .onRef('o.account_id', '=', 'tickets.account_id')
        .onRef('o.id', '=', 'tickets.organization_id'),
    )
    .selectAll('tickets')
    .select([
      'c.first_name as requester_first_name',
      'c.last_name as requester_last_name',
      'c.email as requester_email',
      'c.phone as requester_phone',
      'o.name as organization_name',
    ])
    .where('tickets.account_id', '=', accountId)
    .where('tickets.id', '=', id)
    .where((eb) => reachable(eb, reach))
    .executeTakeFirst();
}

/** A ticket's messages a customer may read: everything but agents' internal notes. */
export async function visibleMessages(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('ticket_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .where('internal', '=', 0)
    .orderBy('id')
    .execute();
}

/** The attachments of a ticket's messages that are not internal notes. */
export async function visibleAttachments(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('ticket_attachments as a')
    .innerJoin('ticket_messages as m', (join) =>
      join.onRef('m.account_id', '=', 'a.account_id').onRef('m.id', '=', 'a.message_id'),
    )
    .selectAll('a')
    .where('a.account_id', '=', accountId)
    .where('a.ticket_id', '=', ticketId)
    .where('m.internal', '=', 0)
    .orderBy('a.id')
    .execute();
}

/** The requester saw the agents' messages: marks those not marked yet (the first time counts). */
export async function markAgentMessagesSeen(
  db: Conn,
  accountId: string,
  ticketId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('ticket_messages')
    .set({ hub_seen_at: now })
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .where('author_type', '=', 'agent')
    .where('internal', '=', 0)
    .where('hub_seen_at', 'is', null)
    .execute();
}

/** An attachment of a message the customer may read, on a ticket they reach; else nothing. */
export async function findReachableAttachment(
  db: Conn,
  accountId: string,
  id: string,
  reach: HubReach,
) {
  return db
    .selectFrom('ticket_attachments as a')
    .innerJoin('ticket_messages as m', (join) =>
      join.onRef('m.account_id', '=', 'a.account_id').onRef('m.id', '=', 'a.message_id'),
    )
    .innerJoin('tickets', (join) =>
      join.onRef('tickets.account_id', '=', 'a.account_id').onRef('tickets.id', '=', 'a.ticket_id'),
    )
    .selectAll('a')
    .where('a.account_id', '=', accountId)
    .where('a.id', '=', id)
    .where('m.internal', '=', 0)
    .where((eb) => reachable(eb, reach))
    .executeTakeFirst();
}

/** The organization's name, when it is one of the account's. */
export async function organizationName(db: Conn, accountId: string, id: string) {
  const row = await db
    .selectFrom('organizations')
    .select('name')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name;
}
