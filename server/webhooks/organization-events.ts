// organization.created / updated / deleted for integrations (webhooks), recorded in the
// transaction of the change: the organization as the API shows it (domains, customer count),
// read as the change left it (for a deletion: just before the row goes), built only if an
// endpoint listens.
import { ALL } from '../access/scope.ts';
import type { Conn } from '../db/transaction.ts';
import * as organizations from '../organizations/organization.repository.ts';
import { recordWebhookEvent } from './webhook-events.ts';

export async function recordOrganizationEvent(
  db: Conn,
  accountId: string,
  type: 'organization.created' | 'organization.updated' | 'organization.deleted',
  organizationId: string,
  now: string,
): Promise<void> {
  const data = async () => {
    const row = await organizations.findOrganization(db, accountId, organizationId, ALL);
    if (!row) return { organization: { id: organizationId } };
    const [domains, counts] = await Promise.all([
      organizations.domainsOf(db, accountId, [row.id]),
      organizations.customerCounts(db, accountId, [row.id], ALL),
    ]);
    return {
      organization: organizations.organizationRowToOrganization(
        row,
        domains.get(row.id) ?? [],
        counts.get(row.id) ?? 0,
      ),
    };
  };
  await recordWebhookEvent(db, accountId, { type, data }, now);
}
