// Transactions are opened at the edge, once per use case (a route's service call, a task, an
// intake step), and passed down: a service method that writes takes the caller's transaction as
// its last argument and joins it, and opens its own only when it is the whole use case.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

export type Conn = Kysely<Database> | Transaction<Database>;

/** Runs `work` in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(
  db: Kysely<Database>,
  outer: Transaction<Database> | undefined,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return outer ? work(outer) : db.transaction().execute(work);
}

let savepoints = 0;

/**
 * Runs `work` under a savepoint of the caller's transaction: when it fails (say, on a unique
 * key a concurrent writer took first) its writes are undone and the transaction goes on. On
 * PostgreSQL a failed statement otherwise aborts the whole transaction.
 */
export async function withSavepoint<T>(
  trx: Transaction<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const name = sql.raw(`kunde_${++savepoints}`);
  await sql`savepoint ${name}`.execute(trx);
  try {
    const result = await work(trx);
    await sql`release savepoint ${name}`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(trx);
    await sql`release savepoint ${name}`.execute(trx);
    throw error;
  }
}
