// SQL for contracts: the rows, the lock the hour counter is moved under, the people a contract
// names, and the tickets assigned to it. Every statement is scoped by account_id.
import { PostgresAdapter, type Transaction } from 'kysely';
import type { ContractRow, ContractTable, Database } from '../db/database.ts';
import { ticketScope, type Scope } from '../access/scope.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertContract(db: Conn, row: ContractRow): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

export async function findContract(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Reads the contract with its row held until the transaction ends, so two time entries on it
 * never decide about its hours at once. PostgreSQL: SELECT … FOR UPDATE. SQLite: a no-op write
 * first, which takes the database's write lock (even from another process, which a plain read
 * would not), then the read.
 */
export async function lockContract(trx: Transaction<Database>, accountId: string, id: string) {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    return trx
      .selectFrom('contracts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }
  await trx
    .updateTable('contracts')
    .set((eb) => ({ used_minutes: eb.ref('used_minutes') }))
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
  return findContract(trx, accountId, id);
}

/** Holds the rows of the contract's tickets (PostgreSQL; SQLite's write lock covers them). */
export async function lockContractTickets(
  trx: Transaction<Database>,
  accountId: string,
  contractId: string,
): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await trx
    .selectFrom('tickets')
    .select('id')
    .where('account_id', '=', accountId)
    .where('contract_id', '=', contractId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function listContractRows(db: Conn, accountId: string, organizationId: string) {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .orderBy('description')
    .orderBy('id')
    .execute();
}

/** Contracts whose term includes `today` (open ends count as open). */
export async function activeContractRows(
  db: Conn,
  accountId: string,
  organizationId: string,
  today: string,
) {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .where((eb) => eb.or([eb('start_date', 'is', null), eb('start_date', '<=', today)]))
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .limit(2)
    .execute();
}

export async function updateContractRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<ContractTable>,
): Promise<void> {
  await db
    .updateTable('contracts')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Deletes the contract; its tickets and time entries stay, no longer counted against it. */
export async function deleteContractRow(trx: Conn, accountId: string, id: string) {
  await trx
    .updateTable('tickets')
    .set({ contract_id: null })
    .where('account_id', '=', accountId)
    .where('contract_id', '=', id)
    .execute();
  await trx
    .updateTable('time_entries')
    .set({ contract_id: null })
    .where('account_id', '=', accountId)
    .where('contract_id', '=', id)
    .execute();
  const result = await trx
    .deleteFrom('contracts')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface Person {
  name: string;
  email: string | null;
  /** False for a deactivated agent or customer, or one being erased: they get no mail. */
  active: boolean;
}

export async function customersById(
  db: Conn,
  accountId: string,
  ids: string[],
): Promise<Map<string, Person & { organizationId: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name', 'email', 'phone', 'status', 'organization_id'])
    .where('account_id', '=', accountId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || r.phone || '',
        email: r.email,
        active: r.status === 'active',
        organizationId: r.organization_id,
      },
    ]),
  );
}

export async function agentsById(
  db: Conn,
  accountId: string,
  ids: string[],
): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'status'])
    .where('account_id', '=', accountId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [r.id, { name: r.name, email: r.email, active: r.status !== 'deactivated' }]),
  );
}

export async function setTicketContract(
  db: Conn,
  accountId: string,
  ticketId: string,
  contractId: string | null,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ contract_id: contractId })
    .where('account_id', '=', accountId)
    .where('id', '=', ticketId)
    .execute();
  await db
    .updateTable('time_entries')
    .set({ contract_id: contractId })
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .execute();
}

/** A page of the contract's tickets, newest first, each with the minutes logged on it. */
export async function contractTickets(
  db: Conn,
  accountId: string,
  contractId: string,
  scope: Scope,
  before: number | undefined,
  limit: number,
) {
  const inScope = ticketScope(scope);
  let q = db
    .selectFrom('tickets')
    .select(['id', 'number', 'subject', 'status', 'updated_at'])
    .where('account_id', '=', accountId)
    .where('contract_id', '=', contractId)
    .$if(inScope !== undefined, (w) => w.where(inScope!));
  if (before !== undefined) q = q.where('number', '<', before);
  const rows = await q.orderBy('number', 'desc').limit(limit).execute();
  const minutes = await minutesByTicket(
    db,
    accountId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, minutes: minutes.get(r.id) ?? 0 }));
}

export async function countContractTickets(
  db: Conn,
  accountId: string,
  contractId: string,
  scope: Scope,
) {
  const inScope = ticketScope(scope);
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .where('contract_id', '=', contractId)
    .$if(inScope !== undefined, (w) => w.where(inScope!))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function minutesByTicket(db: Conn, accountId: string, ticketIds: string[]) {
  if (ticketIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('time_entries')
    .select(['ticket_id', (eb) => eb.fn.sum<number>('minutes').as('minutes')])
    .where('account_id', '=', accountId)
    .where('ticket_id', 'in', ticketIds)
    .groupBy('ticket_id')
    .execute();
  return new Map(rows.map((r) => [r.ticket_id, Number(r.minutes)]));
}

/** The contracts naming this customer as their customer contact (a data archive's customer.json). */
export async function contractsOfContact(db: Conn, accountId: string, customerId: string) {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('customer_contact_id', '=', customerId)
    .orderBy('created_at')
    .execute();
}

/** The time agents logged on the tickets this customer requested, in total. */
export async function timeOnTicketsOf(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<{ minutes: number; entries: number }> {
  const row = await db
    .selectFrom('time_entries')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('minutes'), eb.lit(0)).as('minutes'),
      eb.fn.countAll<number>().as('entries'),
    ])
    .where('account_id', '=', accountId)
    .where('ticket_id', 'in', (eb) =>
      eb
        .selectFrom('tickets')
        .select('id')
        .where('account_id', '=', accountId)
        .where('requester_id', '=', customerId),
    )
    .executeTakeFirstOrThrow();
  return { minutes: Number(row.minutes), entries: Number(row.entries) };
}
