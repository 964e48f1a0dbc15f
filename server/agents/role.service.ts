// Roles (issue 13 item 1): the built-in Administrator (always every permission: it cannot be
// edited or deleted) and Agent (its permissions may change; it cannot be deleted), and custom
// roles made by ticking permissions. A role held by any agent is not deleted: they need another
// role first. A change of permissions reaches the role's agents on their next request.
import type { Kysely } from 'kysely';
import type { RoleInput, RoleSummary, RoleUpdate } from '../../common/agents.ts';
import { PERMISSIONS, type Permission } from '../../common/permissions.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.ts';
import { lockAccountAgents } from './agent-admin.repository.ts';
import * as repo from './agent.repository.ts';
import type { AgentService } from './agent.service.ts';
import * as roles from './role.repository.ts';

export function nameTaken(name: string) {
  return new ConflictError('role_name_taken', `A role named ${name} exists`, {
    errors: [{ field: 'name', code: 'already_used', message: 'already used by another role' }],
  });
}

/** In PERMISSIONS order, each once, whatever order the request had. */
function ordered(permissions: Permission[]): Permission[] {
  const wanted = new Set(permissions);
  return PERMISSIONS.filter((p) => wanted.has(p));
}

export class RoleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly agents: AgentService,
  ) {}

  async list(accountId: string): Promise<RoleSummary[]> {
    const [rows, counts] = await Promise.all([
      repo.listRoles(this.db, accountId),
      roles.agentCountsByRole(this.db, accountId),
    ]);
    return rows.map((r) => ({ ...r, agentCount: counts.get(r.id) ?? 0 }));
  }

  async get(accountId: string, roleId: string): Promise<RoleSummary> {
    const role = (await this.list(accountId)).find((r) => r.id === roleId);
    if (!role) throw new NotFoundError('role', roleId);
    return role;
  }

  async create(accountId: string, input: RoleInput): Promise<RoleSummary> {
    const id = newId();
    try {
      await this.db
        .transaction()
        .execute((trx) =>
          repo.insertRole(
            trx,
            accountId,
            { id, name: input.name, permissions: ordered(input.permissions), builtIn: null },
            nowIso(),
          ),
        );
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
    return this.get(accountId, id);
  }

  async update(accountId: string, roleId: string, input: RoleUpdate): Promise<RoleSummary> {
    try {
      await this.db.transaction().execute(async (trx) => {
        const role = await repo.findRole(trx, accountId, roleId);
        if (!role) throw new NotFoundError('role', roleId);
        if (role.builtIn === 'administrator') throw readOnly();
        await roles.updateRole(trx, accountId, roleId, {
          name: input.name,
          permissions: input.permissions && ordered(input.permissions),
        });
      });
    } catch (error) {
      if (isUniqueViolation(error) && input.name) throw nameTaken(input.name);
      throw error;
    }
    this.agents.forgetAccount(accountId);
    return this.get(accountId, roleId);
  }

  async remove(accountId: string, roleId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // The same lock as giving an agent a role: no one is given this role while it goes.
      await lockAccountAgents(trx, accountId);
      const role = await repo.findRole(trx, accountId, roleId);
      if (!role) throw new NotFoundError('role', roleId);
      if (role.builtIn) throw builtInRole();
      const held = (await roles.agentCountsByRole(trx, accountId)).get(roleId) ?? 0;
      if (held > 0) throw roleInUse(held);
      await roles.deleteRole(trx, accountId, roleId);
    });
  }
}

export function readOnly() {
  return new ConflictError(
    'role_read_only',
    'The Administrator role always has every permission and cannot be changed',
  );
}

export function builtInRole() {
  return new ConflictError('role_built_in', 'A built-in role cannot be deleted');
}

export function roleInUse(held: number) {
  return new ConflictError(
    'role_in_use',
    `${held} ${held === 1 ? 'agent has' : 'agents have'} this role; give them another role first`,
    { agentCount: held },
  );
}
