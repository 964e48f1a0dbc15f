// Hub sign-ins' SQL: the customer a Hub email signs in as (found through the customer's email
// identity, the same key every intake matches on), their hub_logins row (password hash, Hub
// locale, last sign-in), the organizations an agent granted them, and removing all of a
// customer's Hub rows when they are erased.
import type { Conn } from '../db/transaction.ts';

export interface HubCustomer {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  status: string;
  hubAccess: boolean;
  passwordHash: string | null;
  locale: string | null;
  lastSignInAt: string | null;
}

function customerQuery(db: Conn, accountId: string) {
  return db
    .selectFrom('customers as c')
    .leftJoin('hub_logins as l', (join) =>
      join.onRef('l.account_id', '=', 'c.account_id').onRef('l.customer_id', '=', 'c.id'),
    )
    .select([
      'c.id as customerId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.email as email',
      'c.status as status',
      'c.hub_access as hubAccess',
      'l.password_hash as passwordHash',
      'l.locale as locale',
      'l.last_sign_in_at as lastSignInAt',
    ])
    .where('c.account_id', '=', accountId);
}

type Row = { hubAccess: number } & Omit<HubCustomer, 'hubAccess'>;
const present = (row: Row | undefined): HubCustomer | undefined =>
  row ? { ...row, hubAccess: Number(row.hubAccess) === 1 } : undefined;

/** The customer whose email identity is this normalized address, with their Hub sign-in. */
export async function findHubCustomerByEmail(
  db: Conn,
  accountId: string,
  email: string,
): Promise<HubCustomer | undefined> {
  const row = await customerQuery(db, accountId)
    .where(
      'c.id',
      'in',
      db
        .selectFrom('customer_identities')
        .select('customer_id')
        .where('account_id', '=', accountId)
        .where('kind', '=', 'email')
        .where('value', '=', email),
    )
    .executeTakeFirst();
  return present(row);
}

export async function findHubCustomer(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<HubCustomer | undefined> {
  return present(
    await customerQuery(db, accountId).where('c.id', '=', customerId).executeTakeFirst(),
  );
}

/** Creates the customer's hub_logins row or changes it (password hash, locale, last sign-in). */
export async function saveHubLogin(
  db: Conn,
  accountId: string,
  customerId: string,
  change: { passwordHash?: string; locale?: string; lastSignInAt?: string },
  now: string,
): Promise<void> {
  const set = {
    ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash } : {}),
    ...(change.locale !== undefined ? { locale: change.locale } : {}),
    ...(change.lastSignInAt !== undefined ? { last_sign_in_at: change.lastSignInAt } : {}),
    updated_at: now,
  };
  await db
    .insertInto('hub_logins')
    .values({
      account_id: accountId,
      customer_id: customerId,
      password_hash: change.passwordHash ?? null,
      locale: change.locale ?? null,
      created_at: now,
      updated_at: now,
      last_sign_in_at: change.lastSignInAt ?? null,
    })
    .onConflict((oc) => oc.columns(['account_id', 'customer_id']).doUpdateSet(set))
    .execute();
}

/** A new password ends the customer's other sessions; the browser that changed it stays in. */
export async function deleteOtherHubSessions(
  db: Conn,
  accountId: string,
  customerId: string,
  keepIdHash: string,
): Promise<void> {
  await db
    .deleteFrom('hub_sessions')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .where('id_hash', '!=', keepIdHash)
    .execute();
}

/** The organizations an agent let the customer see in the Hub, by name. */
export async function listGrantedOrganizations(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<{ id: string; name: string }[]> {
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

/**
 * Erasure: every Hub row of these customers goes (sign-in, sessions, grants, links), and the
 * registration links of their addresses, which carry the email and name without a customer id.
 */
export async function deleteCustomersHubData(
  db: Conn,
  accountId: string,
  customerIds: string[],
  emails: string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  for (const table of ['hub_sessions', 'hub_logins', 'hub_organization_grants'] as const)
    await db
      .deleteFrom(table)
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', customerIds)
      .execute();
  await db
    .deleteFrom('hub_tokens')
    .where('account_id', '=', accountId)
    .where((eb) =>
      emails.length
        ? eb.or([eb('customer_id', 'in', customerIds), eb('email', 'in', emails)])
        : eb('customer_id', 'in', customerIds),
    )
    .execute();
}
