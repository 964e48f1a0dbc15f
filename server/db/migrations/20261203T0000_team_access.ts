// Teams' ticket access (issue 13): a team gives its agents either every ticket (`access = 'all'`,
// the default, so nothing changes for teams that exist) or only the tickets of listed
// organizations, optionally narrowed to a location or an area of one. The permission `scope.all`
// is added to the existing built-in roles so that no agent loses sight of anything on upgrade;
// an administrator narrows an agent by giving them a role without it.
// The scope's reads get the indexes they walk: tickets by assignee and by team (the ones by
// organization, location and area exist), customers by default location.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('teams')
    .addColumn('access', 'text', (c) => c.notNull().defaultTo('all'))
    .execute();
  await db.schema
    .createTable('team_access')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('area_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('team_access_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('team_access_team_idx')
    .on('team_access')
    .columns(['account_id', 'team_id'])
    .execute();
  await db.schema
    .createIndex('team_access_org_idx')
    .on('team_access')
    .columns(['account_id', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('tickets_assignee_idx')
    .on('tickets')
    .columns(['account_id', 'assignee_id', 'number'])
    .execute();
  await db.schema
    .createIndex('tickets_team_idx')
    .on('tickets')
    .columns(['account_id', 'team_id', 'number'])
    .execute();
  await db.schema
    .createIndex('customers_default_location_idx')
    .on('customers')
    .columns(['account_id', 'default_location_id'])
    .execute();
  // The roles table is small (a few rows per account): one statement, no batches.
  const roles = await db
    .selectFrom('roles')
    .select(['account_id', 'id', 'permissions'])
    .where('built_in', 'in', ['administrator', 'agent'])
    .execute();
  for (const role of roles as { account_id: string; id: string; permissions: string }[]) {
    const permissions = JSON.parse(role.permissions) as string[];
    if (permissions.includes('scope.all')) continue;
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify([...permissions, 'scope.all']) })
      .where('account_id', '=', role.account_id)
      .where('id', '=', role.id)
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_default_location_idx').ifExists().execute();
  await db.schema.dropIndex('tickets_team_idx').ifExists().execute();
  await db.schema.dropIndex('tickets_assignee_idx').ifExists().execute();
  await db.schema.dropTable('team_access').ifExists().execute();
  await db.schema.alterTable('teams').dropColumn('access').execute();
}
