// Administering agents (issue 13 item 1): list, create or invite, edit (name, login email, role,
// teams, language), deactivate and reactivate, reset a password. SQL is in the repositories.
//
// The last-administrator rule: an account always keeps at least one agent who holds the built-in
// Administrator role, is active and can log in (has a password). A change that would take the
// last one away (deactivating or demoting them) is refused with 409 last_administrator. Every
// such change takes the account's lock first (lockAccountAgents) and counts after it, so two
// administrators demoting each other at once cannot both succeed.
//
// Deactivation ends the agent's sessions, revokes their API tokens and discards their unused
// set-password links in its transaction, then forgets them in this node's principal cache; login
// already refuses an agent who is not active. Reactivation lets them log in again (their old
// sessions and tokens stay ended).
import type { Kysely, Transaction } from 'kysely';
import type { UserUpdate } from '../../common/agents.ts';
import type { User, UserCreate } from '../../common/auth.ts';
import type { Database, UserRow } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import * as admin from './agent-admin.repository.ts';
import * as repo from './agent.repository.ts';
import { emailTaken, loginEmail, userRowToUser, type AgentService } from './agent.service.ts';
import type { PasswordLinks } from './password-link.service.ts';
import { discardPasswordTokens } from './password-token.repository.ts';

export function lastAdministrator() {
  return new ConflictError(
    'last_administrator',
    'The account must keep at least one active administrator',
  );
}

export function userDeactivated() {
  return new ConflictError('user_deactivated', 'The agent is deactivated; reactivate them first');
}

export class AgentAdminService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly agents: AgentService,
    private readonly links: PasswordLinks,
  ) {}

  async list(accountId: string): Promise<User[]> {
    const [rows, roles, teams] = await Promise.all([
      repo.listUsers(this.db, accountId),
      repo.listRoles(this.db, accountId),
      admin.teamIdsByUser(this.db, accountId),
    ]);
    const names = new Map(roles.map((r) => [r.id, r.name]));
    return rows.map((row) => userRowToUser(row, names.get(row.role_id) ?? '', teams.get(row.id)));
  }

  async get(
    accountId: string,
    userId: string,
    db: Kysely<Database> | Transaction<Database> = this.db,
  ) {
    const row = await repo.findUser(db, accountId, userId);
    if (!row) throw new NotFoundError('user', userId);
    const [role, teams] = await Promise.all([
      repo.findRole(db, accountId, row.role_id),
      admin.teamIdsByUser(db, accountId),
    ]);
    return userRowToUser(row, role?.name ?? '', teams.get(row.id));
  }

  /** Creates an agent; without a password they are invited (a set-password email). */
  async create(accountId: string, input: UserCreate): Promise<User> {
    const { teamIds, ...rest } = input;
    const id = await this.db.transaction().execute(async (trx) => {
      const user = await this.agents.createUser(accountId, rest, trx);
      if (teamIds) await this.setTeams(trx, accountId, user.id, teamIds);
      if (input.password === undefined) {
        const row = await repo.findUser(trx, accountId, user.id);
        if (row) await this.links.issue(trx, row, 'invite');
      }
      return user.id;
    });
    return this.get(accountId, id);
  }

  async update(accountId: string, userId: string, input: UserUpdate): Promise<User> {
    await this.db.transaction().execute(async (trx) => {
      await admin.lockAccountAgents(trx, accountId);
      const user = await this.find(trx, accountId, userId);
      const patch: admin.UserPatch = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.locale !== undefined) patch.locale = input.locale;
      if (input.roleId !== undefined && input.roleId !== user.role_id) {
        const role = await repo.findRole(trx, accountId, input.roleId);
        if (!role) {
          throw new ValidationError([
            { field: 'roleId', code: 'unknown_reference', message: 'no such role' },
          ]);
        }
        await this.refuseLosingLastAdministrator(trx, user);
        patch.role_id = role.id;
      }
      const email = input.email === undefined ? undefined : loginEmail(input.email);
      if (email !== undefined && email !== user.email) patch.email = email;
      try {
        await admin.updateUser(trx, accountId, userId, patch, nowIso());
        if (patch.email)
          await admin.moveLoginEmail(trx, accountId, userId, user.email, patch.email);
      } catch (error) {
        if (isUniqueViolation(error) && patch.email) throw emailTaken(patch.email);
        throw error;
      }
      if (input.teamIds !== undefined) await this.setTeams(trx, accountId, userId, input.teamIds);
    });
    // Name, role and language are in the cached principal: the next request reads them anew.
    this.agents.forgetUser(accountId, userId);
    return this.get(accountId, userId);
  }

  async deactivate(accountId: string, userId: string): Promise<User> {
    await this.db.transaction().execute(async (trx) => {
      await admin.lockAccountAgents(trx, accountId);
      const user = await this.find(trx, accountId, userId);
      if (user.status === 'deactivated') return;
      await this.refuseLosingLastAdministrator(trx, user);
      const now = nowIso();
      await admin.updateUser(trx, accountId, userId, { status: 'deactivated' }, now);
      await admin.deleteUserSessions(trx, accountId, userId);
      await admin.revokeUserTokens(trx, accountId, userId, now);
      await discardPasswordTokens(trx, accountId, userId);
    });
    this.agents.forgetUser(accountId, userId);
    return this.get(accountId, userId);
  }

  async reactivate(accountId: string, userId: string): Promise<User> {
    await this.db.transaction().execute(async (trx) => {
      const user = await this.find(trx, accountId, userId);
      if (user.status === 'active') return;
      await admin.updateUser(trx, accountId, userId, { status: 'active' }, nowIso());
    });
    return this.get(accountId, userId);
  }

  /** Emails the agent a link to set a new password (an invited agent gets a fresh invitation). */
  async resetPassword(accountId: string, userId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const user = await this.find(trx, accountId, userId);
      if (user.status === 'deactivated') {
        throw userDeactivated();
      }
      await this.links.issue(trx, user, user.password_hash ? 'reset' : 'invite');
    });
  }

  private async find(trx: Transaction<Database>, accountId: string, userId: string) {
    const user = await repo.findUser(trx, accountId, userId);
    if (!user) throw new NotFoundError('user', userId);
    return user;
  }

  /** Call under lockAccountAgents: refuses when this agent is the last one who counts. */
  private async refuseLosingLastAdministrator(trx: Transaction<Database>, user: UserRow) {
    const adminRole = await repo.findBuiltInRole(trx, user.account_id, 'administrator');
    if (!adminRole || user.role_id !== adminRole.id) return;
    if (user.status !== 'active' || !user.password_hash) return;
    if ((await admin.countActiveWithRole(trx, user.account_id, adminRole.id)) <= 1) {
      throw lastAdministrator();
    }
  }

  private async setTeams(
    trx: Transaction<Database>,
    accountId: string,
    userId: string,
    teamIds: string[],
  ) {
    const ids = [...new Set(teamIds)];
    const known = await admin.existingTeamIds(trx, accountId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new ValidationError(
        unknown.map((id) => ({
          field: 'teamIds',
          code: 'unknown_reference',
          message: `no team ${id}`,
        })),
      );
    }
    await admin.setUserTeams(trx, accountId, userId, ids);
  }
}
