// The organizations whose tickets a Hub customer was granted (issue 14, item 3). Read from the
// database on every request, never cached with the session: a grant an agent removes takes
// effect on the customer's very next request. The grants are written by the agent-side routes
// (customer-hub.routes.ts); this module only reads them.
import type { Conn } from '../db/transaction.ts';

/** The ids of the organizations the customer may view, reply to and raise tickets for. */
export async function grantedOrganizationIds(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<string[]> {
  // Joined with organizations so a grant on a deleted organization grants nothing.
  const rows = await db
    .selectFrom('hub_organization_grants as g')
    .innerJoin('organizations as o', (join) =>
      join.onRef('o.account_id', '=', 'g.account_id').onRef('o.id', '=', 'g.organization_id'),
    )
    .select('g.organization_id as organizationId')
    .where('g.account_id', '=', accountId)
    .where('g.customer_id', '=', customerId)
    .orderBy('g.organization_id')
    .execute();
  return rows.map((r) => r.organizationId);
}
