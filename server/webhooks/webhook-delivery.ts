// One attempt of one delivery, and what it leaves in the delivery log: the attempt count, the
// response status, the error, the duration, and what comes next (delivered; retrying at a time
// with exponential backoff and jitter; or failed after MAX_WEBHOOK_ATTEMPTS).
import type { Kysely, Transaction } from 'kysely';
import { MAX_WEBHOOK_ATTEMPTS } from '../../common/webhook.ts';
import type { Database } from '../db/database.ts';
import { sendWebhook, type SendOptions } from './webhook-send.ts';
import { findEndpointRow, recordAttempt, type DeliveryRow } from './webhook.repository.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export type DeliveryOptions = SendOptions;

/** The first retry after about a minute, doubling up to six hours: 8 attempts span ~2 hours. */
const FIRST_RETRY_MS = 60_000;
const LONGEST_WAIT_MS = 6 * 3600_000;

/**
 * The wait after `attempt` failed attempts: exponential, with ±20 % jitter so that the many
 * deliveries of an endpoint that was down do not all come back in the same second.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), LONGEST_WAIT_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Sends `row` once and records the outcome. Answers when the next attempt is due if one is
 * scheduled (the caller queues its job). `final`: this attempt is the last whatever the count
 * (a test event, an administrator's retry: they answer with the result, not with a schedule).
 */
export async function attemptDelivery(
  db: Conn,
  row: DeliveryRow,
  options: DeliveryOptions,
  { final }: { final: boolean },
): Promise<string | undefined> {
  const endpoint = await findEndpointRow(db, row.account_id, row.endpoint_id);
  if (!endpoint) return undefined;
  const outcome = endpoint.active
    ? await sendWebhook(
        endpoint.url,
        endpoint.secret,
        { id: row.id, eventType: row.event_type, body: row.payload },
        options,
      )
    : { status: null, error: 'the endpoint is deactivated', durationMs: 0 };
  const now = new Date();
  const attempts = Number(row.attempts) + (endpoint.active ? 1 : 0);
  const delivered = outcome.error === null;
  const retries = !delivered && !final && endpoint.active && attempts < MAX_WEBHOOK_ATTEMPTS;
  const retryAt = retries ? new Date(now.getTime() + retryDelayMs(attempts)).toISOString() : null;
  const recorded = await recordAttempt(db, row.account_id, row.id, row.status, {
    status: delivered ? 'delivered' : retries ? 'retrying' : 'failed',
    attempts,
    next_attempt_at: retryAt,
    response_status: outcome.status,
    last_error: outcome.error,
    duration_ms: outcome.durationMs,
    updated_at: now.toISOString(),
    delivered_at: delivered ? now.toISOString() : null,
  });
  return recorded && retryAt ? retryAt : undefined;
}
