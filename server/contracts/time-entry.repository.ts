// SQL for time entries on tickets and their audit trail. Every statement is scoped by account_id.
import { PostgresAdapter, type Transaction } from 'kysely';
import type { Database, TimeEntryRow } from '../db/database.ts';
import { ticketScope, type Scope } from '../access/scope.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertTimeEntry(db: Conn, row: TimeEntryRow): Promise<void> {
  await db.insertInto('time_entries').values(row).execute();
}

export async function findTimeEntry(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('time_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateTimeEntryRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<TimeEntryRow>,
): Promise<void> {
  await db
    .updateTable('time_entries')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function deleteTimeEntryRow(db: Conn, accountId: string, id: string): Promise<void> {
  await db
    .deleteFrom('time_entries')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function ticketTimeEntries(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('time_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .limit(1000)
    .execute();
}

export async function ticketMinutes(db: Conn, accountId: string, ticketId: string) {
  const row = await db
    .selectFrom('time_entries')
    .select((eb) => eb.fn.sum<number>('minutes').as('minutes'))
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  return Number(row?.minutes ?? 0);
}

/**
 * A page of a contract's entries, newest work date first (keyset on work date and id), or one
 * month of them (month = YYYY-MM) for the CSV.
 */
export async function contractTimeEntries(
  db: Conn,
  accountId: string,
  contractId: string,
  scope: Scope,
  options: { month?: string; after?: { d: string; id: string }; limit: number },
) {
  const inScope = ticketScope(scope);
  let q = db
    .selectFrom('time_entries')
    .innerJoin('tickets', (join) =>
      join
        .onRef('tickets.account_id', '=', 'time_entries.account_id')
        .onRef('tickets.id', '=', 'time_entries.ticket_id'),
    )
    .selectAll('time_entries')
    .select(['tickets.number as ticket_number', 'tickets.subject as ticket_subject'])
    .where('time_entries.account_id', '=', accountId)
    .where('time_entries.contract_id', '=', contractId)
    .$if(inScope !== undefined, (w) => w.where(inScope!));
  if (options.month) {
    q = q
      .where('time_entries.work_date', '>=', `${options.month}-01`)
      .where('time_entries.work_date', '<=', `${options.month}-31`);
  }
  if (options.after) {
    const { d, id } = options.after;
    q = q.where((eb) =>
      eb.or([
        eb('time_entries.work_date', '<', d),
        eb.and([eb('time_entries.work_date', '=', d), eb('time_entries.id', '<', id)]),
      ]),
    );
  }
  return q
    .orderBy('time_entries.work_date', 'desc')
    .orderBy('time_entries.id', 'desc')
    .limit(options.limit)
    .execute();
}

export async function ticketNumbers(db: Conn, accountId: string, ticketIds: string[]) {
  if (ticketIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'number'])
    .where('account_id', '=', accountId)
    .where('id', 'in', [...new Set(ticketIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.number)]));
}

export async function insertTimeAudit(db: Conn, row: Database['time_entry_audit']): Promise<void> {
  await db.insertInto('time_entry_audit').values(row).execute();
}

export async function ticketTimeAudit(db: Conn, accountId: string, ticketId: string) {
  return db
    .selectFrom('time_entry_audit')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('ticket_id', '=', ticketId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** How many entries the contract has (in the month), counting no further than `cap`. */
export async function countContractTimeEntries(
  db: Conn,
  accountId: string,
  contractId: string,
  scope: Scope,
  month: string | undefined,
  cap: number,
) {
  const inScope = ticketScope(scope);
  let inner = db
    .selectFrom('time_entries')
    .select('id')
    .where('account_id', '=', accountId)
    .where('contract_id', '=', contractId)
    .$if(inScope !== undefined, (w) =>
      w.where('ticket_id', 'in', (eb) =>
        eb
          .selectFrom('tickets')
          .select('tickets.id')
          .where('tickets.account_id', '=', accountId)
          .where(inScope!),
      ),
    );
  if (month)
    inner = inner.where('work_date', '>=', `${month}-01`).where('work_date', '<=', `${month}-31`);
  const row = await db
    .selectFrom(inner.limit(cap).as('capped'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Reads the ticket and holds its row until the transaction ends (PostgreSQL: FOR UPDATE; SQLite
 * runs one writing transaction at a time). Time entries and a change of the ticket's contract
 * take it first, then the contract's: an entry is never counted on a contract the ticket just
 * left, and the two locks are always taken in the same order.
 */
export async function lockTicket(trx: Transaction<Database>, accountId: string, id: string) {
  let q = trx
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id);
  if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  return q.executeTakeFirst();
}
