// SQL for webhooks: the endpoints an account registered and the delivery log (one row per event
// and endpoint, written in the transaction of the change it reports; webhook-events.ts). Every
// query is scoped by account_id.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, WebhookDeliveryTable, WebhookEndpointTable } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export type EndpointRow = Selectable<WebhookEndpointTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;

/** Deliveries not yet delivered nor given up: the ones a job may still send. */
export const OPEN_STATUSES = ['pending', 'retrying'] as const;

export async function listEndpointRows(db: Conn, accountId: string): Promise<EndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The account's active endpoints with the events each listens for: the one query a recorded
 * event costs (a primary-key prefix scan; no row at all for an account without webhooks).
 */
export async function activeListeners(
  db: Conn,
  accountId: string,
): Promise<{ id: string; events: string }[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('account_id', '=', accountId)
    .where('active', '=', 1)
    .execute();
}

export async function countEndpoints(db: Conn, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findEndpointRow(
  db: Conn,
  accountId: string,
  id: string,
): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertEndpoint(db: Conn, row: Insertable<WebhookEndpointTable>) {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function updateEndpoint(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<Omit<EndpointRow, 'account_id' | 'id' | 'created_at'>>,
) {
  await db
    .updateTable('webhook_endpoints')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

/** Deletes an endpoint and its delivery log (a log of an endpoint that is gone helps no one). */
export async function deleteEndpoint(db: Conn, accountId: string, id: string): Promise<boolean> {
  await db
    .deleteFrom('webhook_deliveries')
    .where('account_id', '=', accountId)
    .where('endpoint_id', '=', id)
    .execute();
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Rows per INSERT: well under SQLite's 32,766 bound parameters at 16 columns a row. */
const INSERT_CHUNK = 500;

export async function insertDeliveries(db: Conn, rows: Insertable<WebhookDeliveryTable>[]) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    await db
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
}

export async function findDeliveryRow(
  db: Conn,
  accountId: string,
  id: string,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findDeliveryRows(
  db: Conn,
  accountId: string,
  ids: string[],
): Promise<DeliveryRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
}

/** One endpoint's log, newest first, from after the cursor's (created_at, id). */
export async function listDeliveryRows(
  db: Conn,
  accountId: string,
  endpointId: string,
  options: { before?: { c: string; i: string }; limit: number },
): Promise<DeliveryRow[]> {
  const { before } = options;
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('endpoint_id', '=', endpointId)
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', before!.c),
          eb.and([eb('created_at', '=', before!.c), eb('id', '<', before!.i)]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

export async function countDeliveries(
  db: Conn,
  accountId: string,
  endpointId: string,
): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('endpoint_id', '=', endpointId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Records one attempt's outcome, only while the delivery is still in the status it was sent in
 * (erasure may have withdrawn or blanked it meanwhile: then nothing is written back).
 */
export async function recordAttempt(
  db: Conn,
  accountId: string,
  id: string,
  sentIn: string,
  set: Pick<
    DeliveryRow,
    | 'status'
    | 'attempts'
    | 'next_attempt_at'
    | 'response_status'
    | 'last_error'
    | 'duration_ms'
    | 'updated_at'
    | 'delivered_at'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', '=', sentIn)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Erasure: what is still to be sent about these customers is deleted (no later attempt carries
 * their data), and the payloads of what was delivered are blanked; the log keeps status and time.
 */
export async function withdrawCustomerDeliveries(
  db: Conn,
  accountId: string,
  customerIds: string[],
  blankPayload: string,
): Promise<void> {
  for (let i = 0; i < customerIds.length; i += INSERT_CHUNK) {
    const ids = customerIds.slice(i, i + INSERT_CHUNK);
    await db
      .deleteFrom('webhook_deliveries')
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', ids)
      .where('status', '!=', 'delivered')
      .execute();
    await db
      .updateTable('webhook_deliveries')
      .set({ payload: blankPayload })
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', ids)
      .execute();
  }
}

/** Every email and phone identity of these customers (for the customers as events show them). */
export async function identitiesOfCustomers(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<{ customer_id: string; kind: string; value: string }[]> {
  const rows: { customer_id: string; kind: string; value: string }[] = [];
  for (let i = 0; i < customerIds.length; i += INSERT_CHUNK)
    rows.push(
      ...(await db
        .selectFrom('customer_identities')
        .select(['customer_id', 'kind', 'value'])
        .where('account_id', '=', accountId)
        .where('customer_id', 'in', customerIds.slice(i, i + INSERT_CHUNK))
        .orderBy('created_at')
        .orderBy('value')
        .execute()),
    );
  return rows;
}
