// SQL for customer data archives: the customer_exports rows, and the paged reads the archive is
// built from (a customer's tickets, a ticket's messages and attachments), keyset by id so that a
// customer with 10,000 tickets is read a page at a time and memory stays flat.
import type { Kysely, Transaction } from 'kysely';
import type { CustomerExportRow, CustomerExportTable, Database } from '../db/database.ts';
import { customerScope, type Scope } from '../access/scope.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertExport(db: Conn, row: CustomerExportTable): Promise<void> {
  await db.insertInto('customer_exports').values(row).execute();
}

export async function findExport(
  db: Conn,
  accountId: string,
  id: string,
): Promise<CustomerExportRow | undefined> {
  return db
    .selectFrom('customer_exports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The customer's exports, newest first. */
export async function listExports(
  db: Conn,
  accountId: string,
  customerId: string,
  limit: number,
): Promise<CustomerExportRow[]> {
  return db
    .selectFrom('customer_exports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** How many archives a customer has, in any state (the erasure's dry run). */
export async function countExports(db: Conn, accountId: string, customerId: string) {
  const row = await db
    .selectFrom('customer_exports')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The newest export of each of these customers (the list's button states). */
export async function latestExports(
  db: Conn,
  accountId: string,
  customerIds: string[],
  scope: Scope,
): Promise<CustomerExportRow[]> {
  if (customerIds.length === 0) return [];
  const inScope = customerScope(scope);
  const rows = await db
    .selectFrom('customer_exports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_id', 'in', customerIds)
    .$if(inScope !== undefined, (q) =>
      q.where('customer_id', 'in', (eb) =>
        eb
          .selectFrom('customers')
          .select('customers.id')
          .where('customers.account_id', '=', accountId)
          .where('customers.id', 'in', customerIds)
          .where(inScope!),
      ),
    )
    .orderBy('id', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.customer_id) && seen.add(row.customer_id));
}

/** Moves an export on, only from the state it is expected in; answers whether it moved. */
export async function updateExport(
  db: Conn,
  accountId: string,
  id: string,
  from: CustomerExportRow['state'][],
  set: Partial<Omit<CustomerExportTable, 'account_id' | 'id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('customer_exports')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ready exports of the account whose expiry has passed (the sweep, bounded). */
export async function dueForExpiry(
  db: Conn,
  accountId: string,
  now: string,
  limit: number,
): Promise<CustomerExportRow[]> {
  return db
    .selectFrom('customer_exports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('state', '=', 'ready')
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
}

/** Deletes the customer's exports and answers the file keys they had (the erasure hook). */
export async function deleteExportsOf(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_exports')
    .select(['id', 'file_key'])
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
  await db
    .deleteFrom('customer_exports')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
  return rows.map((r) => r.file_key ?? exportFileKey(accountId, r.id));
}

export function exportFileKey(accountId: string, exportId: string): string {
  return `exports/${accountId}/${exportId}.zip`;
}

// ---- What the archive is built from ----

export async function ticketPage(
  db: Conn,
  accountId: string,
  customerId: string,
  afterId: string,
  limit: number,
) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('requester_id', '=', customerId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function messagePage(
  db: Conn,
  accountId: string,
  ticketId: string,
  afterId: string,
  limit: number,
) {
  return db
    .selectFrom('ticket_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function attachmentsOfMessages(db: Conn, accountId: string, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('ticket_attachments')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
}

/** Which of these tickets have attachments, looked up through their messages' index. */
export async function ticketsWithAttachments(
  db: Conn,
  accountId: string,
  ticketIds: string[],
): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('ticket_attachments')
    .select('ticket_id')
    .distinct()
    .where('account_id', '=', accountId)
    .where('ticket_id', 'in', ticketIds)
    .where(
      'message_id',
      'in',
      db
        .selectFrom('ticket_messages')
        .select('id')
        .where('account_id', '=', accountId)
        .where('ticket_id', 'in', ticketIds),
    )
    .execute();
  return new Set(rows.map((r) => r.ticket_id));
}
