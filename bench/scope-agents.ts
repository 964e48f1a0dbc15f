// The scope suite's organizations and agents: BENCH_SCOPE_ORGS organizations, a few general
// teams the tickets are routed to, and the scoped agent (a role without scope.all, in a team
// with access 'organizations' serving the first BENCH_SCOPE_SERVED organizations).
import type { Permission } from '../common/permissions.ts';
import { insertRole } from '../server/agents/agent.repository.ts';
import type { Db } from '../server/db/connect.ts';
import { newId, nowIso } from '../server/db/ids.ts';
import { createServices } from '../server/services.ts';
import {
  GENERAL_TEAMS,
  organizationIdAt,
  organizationNameAt,
  type ScopeLayout,
} from './scope-data.ts';

export const SCOPED_EMAIL = 'scoped@kunde.test';
/** The scoped agent's role: an agent's rights without scope.all. */
const SCOPED_PERMISSIONS: Permission[] = [
  'customers.view',
  'customers.create_edit',
  'tickets.view',
  'tickets.manage',
];

/** Organizations, general teams and the scoped agent, through the app where it has a way. */
export async function addOrganizationsAndAgents(db: Db, accountId: string, layout: ScopeLayout) {
  const services = createServices(db);
  const now = nowIso();
  const organizations = Array.from({ length: layout.organizations }, (_, k) => ({
    account_id: accountId,
    id: organizationIdAt(layout.seed, k),
    name: organizationNameAt(k),
    name_key: organizationNameAt(k).toLowerCase(),
    notes: null,
    custom_fields: '{}',
    auto_created: 0,
    created_at: now,
    updated_at: now,
  }));
  for (let k = 0; k < organizations.length; k += 200)
    await db.kysely
      .insertInto('organizations')
      .values(organizations.slice(k, k + 200))
      .execute();
  const roleId = newId();
  await insertRole(
    db.kysely,
    accountId,
    { id: roleId, name: 'Bench scoped agent', permissions: SCOPED_PERMISSIONS, builtIn: null },
    now,
  );
  const scoped = await services.agents.createUser(accountId, {
    email: SCOPED_EMAIL,
    name: 'Bench Scoped Agent',
    password: 'kunde bench password',
    roleId,
  });
  const team = await services.teams.create(accountId, {
    name: 'Bench served team',
    memberIds: [scoped.id],
  });
  // No service sets a team's access yet (issue 13's API lands elsewhere): the rows it would write.
  await db.kysely
    .updateTable('teams')
    .set({ access: 'organizations' })
    .where('account_id', '=', accountId)
    .where('id', '=', team.id)
    .execute();
  await db.kysely
    .insertInto('team_access')
    .values(
      organizations.slice(0, layout.served).map((o) => ({
        account_id: accountId,
        id: newId(),
        team_id: team.id,
        organization_id: o.id,
        location_id: null,
        area_id: null,
        created_at: now,
      })),
    )
    .execute();
  const generalTeams: string[] = [];
  for (let k = 0; k < GENERAL_TEAMS; k++)
    generalTeams.push(
      (await services.teams.create(accountId, { name: `Bench team ${k + 1}`, memberIds: [] })).id,
    );
  return generalTeams;
}
