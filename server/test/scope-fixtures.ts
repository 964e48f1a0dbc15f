// A scoped agent for tests (issue 13): a role like the built-in Agent but without scope.all, an
// agent with it, and a team whose access is only the organizations given. Other tests (the
// permission matrix) use it for their "scoped agent" column.
import { newId, nowIso } from '../db/ids.ts';
import type { Principal } from '../agents/principal.ts';
import { findBuiltInRole, insertRole } from '../agents/agent.repository.ts';
import { SESSION_COOKIE } from '../agents/agent.routes.ts';
import type { Services } from '../services.ts';
import { unique } from './factories.ts';

export interface ScopedAgent {
  userId: string;
  email: string;
  password: string;
  roleId: string;
  teamId: string;
  /** An API token of the agent. */
  token: string;
  /** A session principal of the agent, as the console's requests carry it. */
  principal: Principal;
  /** The console's session cookie as a Cookie header value (name=value). */
  cookie: string;
}

/** Creates an agent who sees only the tickets and customers of these organizations. */
export async function createScopedAgent(
  services: Services,
  accountId: string,
  organizationIds: string[],
): Promise<ScopedAgent> {
  const kysely = services.db.kysely;
  const agentRole = await findBuiltInRole(kysely, accountId, 'agent');
  const roleId = newId();
  await insertRole(
    kysely,
    accountId,
    {
      id: roleId,
      name: unique('Scoped agent '),
      permissions: (agentRole?.permissions ?? []).filter((p) => p !== 'scope.all'),
      builtIn: null,
    },
    nowIso(),
  );
  const email = `${unique('scoped')}@example.com`;
  const password = 'correct horse battery';
  const user = await services.agents.createUser(accountId, {
    email,
    name: 'Scoped Sam',
    password,
    roleId,
  });
  const team = await services.teams.create(accountId, {
    name: unique('Scoped team '),
    memberIds: [user.id],
    access: 'organizations',
    organizations: organizationIds.map((organizationId) => ({ organizationId })),
  });
  const { token } = await services.agents.createToken(accountId, user.id, 'scoped');
  const session = await services.agents.startSessionFor(accountId, user.id);
  return {
    userId: user.id,
    email,
    password,
    roleId,
    teamId: team.id,
    token,
    principal: session.principal,
    cookie: `${SESSION_COOKIE}=${session.cookie}`,
  };
}
