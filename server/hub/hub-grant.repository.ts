// SQL for a customer's Customer Hub access as agents see it: the organizations whose tickets
// they were granted (hub_organization_grants) and their sign-in's state (hub_logins).
import type { Conn } from '../db/transaction.ts';

export interface GrantedOrganization {
  id: string;
  name: string;
}

/** The customer's grants with the organizations' names, by name. */
export async function listGrants(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<GrantedOrganization[]> {
  return db
    .selectFrom('hub_organization_grants as g')
    .innerJoin('organizations as o', (join) =>
      join.onRef('o.account_id', '=', 'g.account_id').onRef('o.id', '=', 'g.organization_id'),
    )
    .select(['o.id as id', 'o.name as name'])
    .where('g.account_id', '=', accountId)
    .where('g.customer_id', '=', customerId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/** Replaces the grants: those not in `organizationIds` go, new ones come. */
export async function replaceGrants(
  db: Conn,
  accountId: string,
  customerId: string,
  organizationIds: string[],
  grantedBy: string | null,
  now: string,
): Promise<void> {
  await db
    .deleteFrom('hub_organization_grants')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .$if(organizationIds.length > 0, (q) => q.where('organization_id', 'not in', organizationIds))
    .execute();
  if (organizationIds.length === 0) return;
  await db
    .insertInto('hub_organization_grants')
    .values(
      organizationIds.map((organizationId) => ({
        account_id: accountId,
        customer_id: customerId,
        organization_id: organizationId,
        created_at: now,
        created_by: grantedBy,
      })),
    )
    .onConflict((oc) => oc.columns(['account_id', 'customer_id', 'organization_id']).doNothing())
    .execute();
}

/** An organization deleted takes its grants with it. */
export async function deleteOrganizationGrants(
  db: Conn,
  accountId: string,
  organizationId: string,
): Promise<void> {
  await db
    .deleteFrom('hub_organization_grants')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .execute();
}

/** Whether a password is set, and when the customer last signed in (no row: neither). */
export async function findHubLogin(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<{ passwordSet: boolean; lastSignInAt: string | null }> {
  const row = await db
    .selectFrom('hub_logins')
    .select(['password_hash', 'last_sign_in_at'])
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return { passwordSet: Boolean(row?.password_hash), lastSignInAt: row?.last_sign_in_at ?? null };
}

/**
 * Erasure (erasure-steps.ts): everything of the Customer Hub that names these customers goes:
 * their grants, sign-in, sessions, and links (a registration link names the address only).
 */
export async function deleteHubRowsOf(
  db: Conn,
  accountId: string,
  customerIds: string[],
  emails: string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  for (const table of ['hub_organization_grants', 'hub_sessions', 'hub_logins'] as const)
    await db
      .deleteFrom(table)
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', customerIds)
      .execute();
  await db
    .deleteFrom('hub_tokens')
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('customer_id', 'in', customerIds),
        ...(emails.length ? [eb('email', 'in', emails)] : []),
      ]),
    )
    .execute();
}
