// The one way anything reports a webhook event: in the transaction of the change it reports,
// so an event is recorded exactly when its change commits (a transactional outbox). Each active
// endpoint of the account that listens for the event gets a delivery row and a job sends it.
//
// Placeholder in the issue 15 core: the webhooks engineer writes the body. Callers (the customer
// write model, organizations, tickets, merges, erasure) call it already.
import type { Kysely, Transaction } from 'kysely';
import type { WebhookEvent } from '../../common/webhook.ts';
import type { Database } from '../db/database.ts';

export interface WebhookEventInput {
  type: WebhookEvent;
  /** The object as the API presents it: { customer }, { organization }, { ticket }, … */
  data: Record<string, unknown>;
  /** The customer the event is about, so erasure can withdraw what is not yet sent. */
  customerId?: string | null;
}

export function recordWebhookEvent(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
  event: WebhookEventInput,
  now: string,
): Promise<void> {
  void db;
  void accountId;
  void event;
  void now;
  return Promise.resolve();
}
