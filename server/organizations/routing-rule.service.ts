// Routing rules: tickets created by an organization's customers go to an agent and/or a team.
// The first rule (by position) wins.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type { RoutingRule } from '../../common/ticket.ts';
import { ALL, type Scope } from '../access/scope.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { findOrganization } from './organization.repository.ts';
import { lockLiveOrganization, requireLiveOrganization } from './organization-guard.ts';
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
    errors.push(fieldError('assigneeId', 'unknown_reference', 'no such agent'));
  if (refs.teamId && !(await repo.teamExists(db, accountId, refs.teamId)))
    errors.push(fieldError('teamId', 'unknown_reference', 'no such team'));
  if (errors.length) throw new ValidationError(errors);
}

export class RoutingRuleService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Another account's organization, or none, is a 404: an empty list would say it exists. So is
   * one out of the agent's scope (the system's own calls pass ALL).
   */
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
    scope: Scope = ALL,
  ): Promise<RoutingRule> {
    // The organization first: another account's is a 404 whatever the body holds.
    await requireLiveOrganization(this.db, accountId, organizationId, scope);
    await checkAssignees(this.db, accountId, input);
    const id = newId();
    const position = await this.db.transaction().execute(async (trx) => {
      // Live and held: a rule is never added to a pointer an organization merge left (409).
      await lockLiveOrganization(trx, accountId, organizationId, scope);
      const next = (await repo.listRoutingRules(trx, accountId, organizationId)).length;
      await repo.insertRoutingRule(trx, {
        account_id: accountId,
        id,
        organization_id: organizationId,
        assignee_id: input.assigneeId ?? null,
        team_id: input.teamId ?? null,
        position: next,
        created_at: nowIso(),
      });
      return next;
    });
    return {
      id,
      organizationId,
      assigneeId: input.assigneeId ?? null,
      teamId: input.teamId ?? null,
      position,
    };
  }

  async remove(
    accountId: string,
    organizationId: string,
    id: string,
    scope: Scope = ALL,
  ): Promise<void> {
    // A merged-away organization's rules are its survivor's now: 409 naming it (issue 15).
    await requireLiveOrganization(this.db, accountId, organizationId, scope);
    if (!(await repo.deleteRoutingRule(this.db, accountId, organizationId, id)))
      throw new NotFoundError('rule', id);
  }
}
