// Teams: a named list of agents (ticket access by team comes later). SQL kept small and local.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  isUniqueViolation,
} from '../http/errors.ts';

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export class TeamService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(accountId: string): Promise<Team[]> {
    const [teams, members] = await Promise.all([
      this.db
        .selectFrom('teams')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('name_key')
        .execute(),
      this.db.selectFrom('team_members').selectAll().where('account_id', '=', accountId).execute(),
    ]);
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id),
    }));
  }

  async create(accountId: string, input: { name: string; memberIds: string[] }): Promise<Team> {
    const ids = [...new Set(input.memberIds)];
    if (ids.length) {
      const found = await this.db
        .selectFrom('users')
        .select('id')
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .execute();
      const known = new Set(found.map((f) => f.id));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length)
        throw new ValidationError(
          unknown.map((id) => ({ field: 'memberIds', message: `no agent ${id}` })),
        );
    }
    const team = { id: newId(), name: input.name, memberIds: ids };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('teams')
          .values({
            account_id: accountId,
            id: team.id,
            name: team.name,
            name_key: team.name.toLowerCase(),
            created_at: nowIso(),
          })
          .execute();
        if (ids.length)
          await trx
            .insertInto('team_members')
            .values(ids.map((user_id) => ({ account_id: accountId, team_id: team.id, user_id })))
            .execute();
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('team_name_taken', `A team named ${input.name} exists`, {
          errors: [{ field: 'name', message: 'already used by another team' }],
        });
      throw error;
    }
    return team;
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('teams')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new NotFoundError('team', id);
      await trx
        .deleteFrom('team_members')
        .where('account_id', '=', accountId)
        .where('team_id', '=', id)
        .execute();
      await trx
        .deleteFrom('routing_rules')
        .where('account_id', '=', accountId)
        .where('team_id', '=', id)
        .execute();
    });
  }
}
