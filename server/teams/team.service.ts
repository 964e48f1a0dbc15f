// Teams: a named list of agents (ticket access by team comes later).
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type { Team } from '../../common/ticket.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import * as repo from './team.repository.ts';

export class TeamService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(accountId: string): Promise<Team[]> {
    const [teams, members] = await Promise.all([
      repo.listTeamRows(this.db, accountId),
      repo.listTeamMembers(this.db, accountId),
    ]);
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id),
    }));
  }

  async create(accountId: string, input: { name: string; memberIds: string[] }): Promise<Team> {
    const ids = [...new Set(input.memberIds)];
    const known = await repo.existingAgentIds(this.db, accountId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length)
      throw new ValidationError(
        unknown.map((id) => fieldError('memberIds', 'unknown_reference', `no agent ${id}`)),
      );
    const team = { id: newId(), name: input.name, memberIds: ids };
    try {
      await this.db.transaction().execute((trx) => repo.insertTeam(trx, accountId, team, nowIso()));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('team_name_taken', `A team named ${input.name} exists`, {
          errors: [fieldError('name', 'already_used', 'already used by another team')],
        });
      }
      throw error;
    }
    return team;
  }

  async remove(accountId: string, id: string): Promise<void> {
    const removed = await this.db
      .transaction()
      .execute((trx) => repo.deleteTeam(trx, accountId, id));
    if (!removed) throw new NotFoundError('team', id);
  }
}
