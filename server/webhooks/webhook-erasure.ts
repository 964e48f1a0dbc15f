// What erasure does to webhooks (erasure/erasure-steps.ts calls it in the erasure's
// transactions): deliveries about the customer not yet delivered are deleted, so no later
// attempt (a retry, an administrator's "retry") carries their data; delivered ones keep their
// status and time in the log with the payload blanked. Then customer.erased tells integrations,
// with the customer's id only (that delivery is not about a person's data, so it is not tied to
// the customer and survives the erasure it reports).
import type { Conn } from '../db/transaction.ts';
import { recordWebhookEvents } from './webhook-events.ts';
import { withdrawCustomerDeliveries } from './webhook.repository.ts';

/** The payload a delivered delivery keeps once its customer is erased. */
export const ERASED_PAYLOAD = '{}';

export async function withdrawCustomerWebhooks(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<void> {
  if (customerIds.length)
    await withdrawCustomerDeliveries(db, accountId, customerIds, ERASED_PAYLOAD);
}

export async function recordCustomersErased(
  db: Conn,
  accountId: string,
  customerIds: string[],
  now: string,
): Promise<void> {
  await recordWebhookEvents(
    db,
    accountId,
    customerIds.map((customerId) => ({
      type: 'customer.erased' as const,
      data: { customerId },
      customerId: null,
    })),
    now,
  );
}
