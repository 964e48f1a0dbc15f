// The one way anything reports a webhook event: in the transaction of the change it reports,
// so an event is recorded exactly when its change commits (a transactional outbox). Each active
// endpoint of the account that listens for the event gets a delivery row and a job sends it.
//
// Cost when nobody listens: one primary-key prefix read of webhook_endpoints (no rows), and the
// event's data is never built (it may be a function, called only when someone listens). There is
// deliberately no per-process cache of the endpoints: several nodes share one database, and a
// node that missed another's change would keep sending to a deleted endpoint or miss a new one.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { WebhookEvent, WebhookPayload } from '../../common/webhook.ts';
import type { Database, WebhookDeliveryTable } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { enqueue } from '../jobs/task.ts';
import { activeListeners, insertDeliveries } from './webhook.repository.ts';
import { DELIVERIES_PER_JOB, webhookDeliveryTask } from './webhook.task.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export interface WebhookEventInput {
  type: WebhookEvent;
  /**
   * The object as the API presents it: { customer }, { organization }, { ticket }, … Or a
   * function making it, called only when an endpoint listens (so a write nobody hears about
   * never pays for building its representation).
   */
  data: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
  /** The customer the event is about, so erasure can withdraw what is not yet sent. */
  customerId?: string | null;
}

export function recordWebhookEvent(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
  event: WebhookEventInput,
  now: string,
): Promise<void> {
  return recordWebhookEvents(db, accountId, [event], now);
}

/**
 * Many events of one account at once (an import batch): one read of the endpoints for all of
 * them, the deliveries inserted in chunks, one job per DELIVERIES_PER_JOB deliveries.
 * `events` may also be a function making them, called only when an endpoint listens.
 */
export async function recordWebhookEvents(
  db: Conn,
  accountId: string,
  events: WebhookEventInput[] | (() => Promise<WebhookEventInput[]>),
  now: string,
): Promise<void> {
  if (Array.isArray(events) && events.length === 0) return;
  const listeners = (await activeListeners(db, accountId)).map((l) => ({
    id: l.id,
    events: new Set(JSON.parse(l.events) as string[]),
  }));
  if (!listeners.length) return;
  const list = typeof events === 'function' ? await events() : events;
  const rows: Insertable<WebhookDeliveryTable>[] = [];
  for (const event of list) {
    const hearing = listeners.filter((l) => l.events.has(event.type));
    if (!hearing.length) continue;
    const data = typeof event.data === 'function' ? await event.data() : event.data;
    const eventId = newId();
    const payload: WebhookPayload = {
      id: eventId,
      type: event.type,
      createdAt: now,
      accountId,
      data,
    };
    const body = JSON.stringify(payload);
    for (const endpoint of hearing)
      rows.push(
        deliveryRow(
          accountId,
          endpoint.id,
          eventId,
          event.type,
          event.customerId ?? null,
          body,
          now,
        ),
      );
  }
  if (!rows.length) return;
  await insertDeliveries(db, rows);
  for (let i = 0; i < rows.length; i += DELIVERIES_PER_JOB)
    await enqueue(db, accountId, webhookDeliveryTask, {
      deliveryIds: rows.slice(i, i + DELIVERIES_PER_JOB).map((r) => r.id),
    });
}

/** A delivery due now: the first attempt goes out as soon as a worker claims its job. */
export function deliveryRow(
  accountId: string,
  endpointId: string,
  eventId: string,
  eventType: string,
  customerId: string | null,
  payload: string,
  now: string,
): Insertable<WebhookDeliveryTable> & { id: string } {
  return {
    account_id: accountId,
    id: newId(),
    endpoint_id: endpointId,
    event_id: eventId,
    event_type: eventType,
    customer_id: customerId,
    payload,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    response_status: null,
    last_error: null,
    duration_ms: null,
    created_at: now,
    updated_at: now,
    delivered_at: null,
  };
}
