// SQL for customer types.
import type { Kysely, Transaction } from 'kysely';
import { customerScope, type Scope } from '../access/scope.ts';
import type { Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function listTypeRows(db: Conn, accountId: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('position')
    .orderBy('name_key')
    .execute();
}

/** Customers per type; a scoped agent's counts count only the customers they see. */
export async function typeCounts(db: Conn, accountId: string, scope: Scope) {
  const inScope = customerScope(scope);
  const rows = await db
    .selectFrom('customers')
    .select(['type_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('account_id', '=', accountId)
    .where('type_id', 'is not', null)
    .$if(inScope !== undefined, (q) => q.where(inScope!))
    .groupBy('type_id')
    .execute();
  return new Map(rows.map((r) => [r.type_id ?? '', Number(r.count)]));
}

export async function findCustomerType(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findCustomerTypeByName(db: Conn, accountId: string, name: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.trim().toLowerCase())
    .executeTakeFirst();
}

export async function insertCustomerType(db: Conn, row: Database['customer_types']) {
  await db.insertInto('customer_types').values(row).execute();
}

export async function updateCustomerType(
  db: Conn,
  accountId: string,
  id: string,
  set: { name: string; name_key: string; position: number },
) {
  await db
    .updateTable('customer_types')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a type; its customers must have been taken off it (CustomerService.clearType). */
export async function deleteCustomerType(db: Conn, accountId: string, id: string) {
  await db
    .deleteFrom('customer_types')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}
