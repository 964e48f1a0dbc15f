// SQL for routing rules: tickets from an organization's customers go to an agent or a team.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function firstRoutingRule(db: Conn, accountId: string, organizationId: string) {
  return db
    .selectFrom('routing_rules')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .orderBy('position')
    .limit(1)
    .executeTakeFirst();
}

export async function listRoutingRules(db: Conn, accountId: string, organizationId: string) {
  return db
    .selectFrom('routing_rules')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .orderBy('position')
    .execute();
}

export async function insertRoutingRule(db: Conn, row: Database['routing_rules']) {
  await db.insertInto('routing_rules').values(row).execute();
}

export async function deleteRoutingRule(
  db: Conn,
  accountId: string,
  organizationId: string,
  id: string,
) {
  const result = await db
    .deleteFrom('routing_rules')
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function teamExists(db: Conn, accountId: string, teamId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}
