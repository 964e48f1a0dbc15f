// Routing rules: tickets created by an organization's customers go to an agent and/or a team.
// The first rule (by position) wins.
import { ALL, type Scope } from '../access/scope.ts';
import type { Kysely } from 'kysely';
import type { RoutingRule } from '../../common/ticket.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { findOrganization } from './organization.repository.ts';
import * as repo from './routing-rule.repository.ts';
import { existingAgentIds } from '../teams/team.repository.ts';

/** Checks that an agent and a team named by a rule or a ticket exist in the account. */
export async function checkAssignees(
  db: Kysely<Database>,
  accountId: string,
  refs: { assigneeId?: string | null; teamId?: string | null },
) {
  const errors = [];
  if (
    refs.assigneeId &&
    !(await existingAgentIds(db, accountId, [refs.assigneeId])).has(refs.assigneeId)
  )
    errors.push({ field: 'assigneeId', message: 'no such agent' });
  if (refs.teamId && !(await repo.teamExists(db, accountId, refs.teamId)))
    errors.push({ field: 'teamId', message: 'no such team' });
  if (errors.length) throw new ValidationError(errors);
}

export class RoutingRuleService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Another account's organization, or none, is a 404: an empty list would say it exists. */
  /** The rules' organization; one out of the caller's scope is not found (access/scope.ts). */
  private async requireOrganization(accountId: string, organizationId: string, scope: Scope) {
    if (!(await findOrganization(this.db, accountId, organizationId, scope)))
      throw new NotFoundError('organization', organizationId);
  }

  async list(
    accountId: string,
    organizationId: string,
    scope: Scope = ALL,
  ): Promise<RoutingRule[]> {
    await this.requireOrganization(accountId, organizationId, scope);
    const rows = await repo.listRoutingRules(this.db, accountId, organizationId);
    return rows.map((r) => ({
      id: r.id,
      organizationId: r.organization_id,
      assigneeId: r.assignee_id,
      teamId: r.team_id,
      position: Number(r.position),
    }));
  }

  async create(
    accountId: string,
    organizationId: string,
    input: { assigneeId?: string | null; teamId?: string | null },
  ): Promise<RoutingRule> {
    await this.requireOrganization(accountId, organizationId, ALL);
    await checkAssignees(this.db, accountId, input);
    const position = (await repo.listRoutingRules(this.db, accountId, organizationId)).length;
    const id = newId();
    await repo.insertRoutingRule(this.db, {
      account_id: accountId,
      id,
      organization_id: organizationId,
      assignee_id: input.assigneeId ?? null,
      team_id: input.teamId ?? null,
      position,
      created_at: nowIso(),
    });
    return {
      id,
      organizationId,
      assigneeId: input.assigneeId ?? null,
      teamId: input.teamId ?? null,
      position,
    };
  }

  async remove(accountId: string, organizationId: string, id: string): Promise<void> {
    await this.requireOrganization(accountId, organizationId, ALL);
    if (!(await repo.deleteRoutingRule(this.db, accountId, organizationId, id)))
      throw new NotFoundError('rule', id);
  }
}
