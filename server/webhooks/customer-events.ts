// Customer writes as webhook events: the customer write model (customers/customer.repository.ts
// writeCustomer one at a time, customer-bulk.repository.ts an import's batch) hands every write
// here, in its transaction. A new row is customer.created, a change to deactivated is
// customer.deactivated, any other change customer.updated. Rows being erased or merged away, and
// a merge's survivor, are left out: erasure reports customer.erased and a merge customer.merged
// themselves; an undone merge is customer.updated of both.
//
// The customers are presented (organization names, additional identities) only when an
// endpoint listens: for everyone else a write costs the one read of webhook_endpoints.
import type { Kysely, Transaction } from 'kysely';
import type { Customer } from '../../common/customer.ts';
import type { WebhookEvent } from '../../common/webhook.ts';
import { customerRowToCustomer } from '../customers/customer.repository.ts';
import type { CustomerWrite } from '../customers/customer-write.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import { recordWebhookEvents, type WebhookEventInput } from './webhook-events.ts';
import { identitiesOfCustomers } from './webhook.repository.ts';

type Conn = Kysely<Database> | Transaction<Database>;

function eventOf(write: CustomerWrite): WebhookEvent | undefined {
  if (write.row.status !== 'active' && write.row.status !== 'deactivated') return undefined;
  // A merge reports itself (customer.merged); its undo is a change of both customers.
  if (write.merge === 'merged') return undefined;
  if (write.merge === 'merge_undone') return 'customer.updated';
  if (write.expectedVersion === undefined) return 'customer.created';
  if (write.statusTotals.deactivated === 1) return 'customer.deactivated';
  return 'customer.updated';
}

/** Records the events of these writes (one account's) in the caller's transaction. */
export async function recordCustomerWrites(db: Conn, writes: CustomerWrite[]): Promise<void> {
  const first = writes[0];
  if (!first) return;
  const accountId = first.row.account_id;
  const now = first.row.updated_at;
  await recordWebhookEvents(
    db,
    accountId,
    async () => {
      const heard = writes.flatMap((w) => {
        const type = eventOf(w);
        return type ? [{ type, row: w.row }] : [];
      });
      const customers = await presentCustomers(
        db,
        accountId,
        heard.map((h) => h.row),
      );
      return heard.map((h, i): WebhookEventInput => ({
        type: h.type,
        data: { customer: customers[i] },
        customerId: h.row.id,
      }));
    },
    now,
  );
}

/** The customers as the API shows them, with two queries for the lot. */
export async function presentCustomers(
  db: Conn,
  accountId: string,
  rows: CustomerRow[],
): Promise<Customer[]> {
  if (!rows.length) return [];
  const organizationIds = [
    ...new Set(rows.map((r) => r.organization_id).filter((id): id is string => id !== null)),
  ];
  const names = await organizationNames(db, accountId, organizationIds);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const extra = new Map<string, { emails: string[]; phones: string[] }>();
  for (const identity of await identitiesOfCustomers(
    db,
    accountId,
    rows.map((r) => r.id),
  )) {
    const row = byId.get(identity.customer_id);
    if (!row || identity.value === row[identity.kind === 'email' ? 'email' : 'phone']) continue;
    const lists = extra.get(identity.customer_id) ?? { emails: [], phones: [] };
    (identity.kind === 'email' ? lists.emails : lists.phones).push(identity.value);
    extra.set(identity.customer_id, lists);
  }
  return rows.map((row) =>
    customerRowToCustomer(
      {
        ...row,
        organization_name: row.organization_id ? (names.get(row.organization_id) ?? null) : null,
      },
      extra.get(row.id),
    ),
  );
}
