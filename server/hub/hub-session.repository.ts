// Hub sessions' SQL: a session row per signed-in browser, found by the SHA-256 of its secret,
// and the customer it signs in checked on every request (still active, Hub access still on).
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertHubSession(
  db: Conn,
  row: {
    accountId: string;
    idHash: string;
    customerId: string;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('hub_sessions')
    .values({
      account_id: row.accountId,
      id_hash: row.idHash,
      customer_id: row.customerId,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

export interface HubSessionCustomer {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  locale: string | null;
}

/** The session's customer, when the session is unexpired and the customer active with access. */
export async function findHubSessionCustomer(
  db: Kysely<Database>,
  accountId: string,
  idHash: string,
  now: string,
): Promise<HubSessionCustomer | undefined> {
  const row = await db
    .selectFrom('hub_sessions as s')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.account_id', '=', 's.account_id').onRef('c.id', '=', 's.customer_id'),
    )
    .leftJoin('hub_logins as l', (join) =>
      join.onRef('l.account_id', '=', 's.account_id').onRef('l.customer_id', '=', 's.customer_id'),
    )
    .select([
      's.customer_id as customerId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.email as email',
      'l.locale as locale',
    ])
    .where('s.account_id', '=', accountId)
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .where('c.status', '=', 'active')
    .where('c.hub_access', '=', 1)
    .executeTakeFirst();
  return row;
}

export async function deleteHubSession(db: Conn, accountId: string, idHash: string) {
  await db
    .deleteFrom('hub_sessions')
    .where('account_id', '=', accountId)
    .where('id_hash', '=', idHash)
    .execute();
}

/** Ends every Hub session of a customer (access off, deactivated, erased, password reset). */
export async function deleteCustomerHubSessions(db: Conn, accountId: string, customerId: string) {
  await db
    .deleteFrom('hub_sessions')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .execute();
}

export async function deleteExpiredHubSessions(
  db: Conn,
  accountId: string,
  customerId: string,
  now: string,
) {
  await db
    .deleteFrom('hub_sessions')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .where('expires_at', '<=', now)
    .execute();
}
