// Contracts of an organization: the seed's fields and rules (the customer contact is a contact
// of the organization; the support contact and manager are agents of the account; end not before
// start; threshold within the hours). What a contract means for its tickets is
// contract-tickets.ts.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import {
  contractRuleProblems,
  hoursToMinutes,
  minutesToHours,
  todayIn,
  type Contract,
  type ContractCreate,
  type ContractUpdate,
} from '../../common/contract.ts';
import type { FieldError } from '../../common/problem.ts';
import { inScope, requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import type { ContractRow, Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { lockUnlessMerged } from '../customers/customer-guard.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { lockLiveOrganization } from '../organizations/organization-guard.ts';
import type { ContractHoursDeps } from './contract-hours.ts';
import * as repo from './contract.repository.ts';

export function isActive(row: Pick<ContractRow, 'start_date' | 'end_date'>, day: string) {
  return (!row.start_date || row.start_date <= day) && (!row.end_date || row.end_date >= day);
}

/** The day a contract's term is checked against: today in the account's time zone. */
export async function accountToday(
  deps: Pick<ContractHoursDeps, 'settings'>,
  db: Conn,
  accountId: string,
): Promise<string> {
  return todayIn((await deps.settings(accountId, db)).timeZone);
}

export class ContractService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: ContractHoursDeps,
  ) {}

  private today(db: Conn, accountId: string): Promise<string> {
    return accountToday(this.deps, db, accountId);
  }

  async present(db: Conn, accountId: string, rows: ContractRow[]): Promise<Contract[]> {
    const day = await this.today(db, accountId);
    const [customers, agents] = await Promise.all([
      repo.customersById(
        db,
        accountId,
        rows.map((r) => r.customer_contact_id),
      ),
      repo.agentsById(
        db,
        accountId,
        rows.flatMap((r) => [r.support_contact_id, r.support_manager_id ?? r.support_contact_id]),
      ),
    ]);
    return rows.map((r) => {
      const budget = r.has_hour_restriction ? r.budget_minutes : null;
      const used = Number(r.used_minutes);
      return {
        id: r.id,
        organizationId: r.organization_id,
        description: r.description,
        purchaseOrderNumber: r.purchase_order,
        customerContactId: r.customer_contact_id,
        customerContactName: customers.get(r.customer_contact_id)?.name ?? '',
        supportContactId: r.support_contact_id,
        supportContactName: agents.get(r.support_contact_id)?.name ?? '',
        supportManagerId: r.support_manager_id,
        supportManagerName: r.support_manager_id
          ? (agents.get(r.support_manager_id)?.name ?? '')
          : null,
        startDate: r.start_date,
        endDate: r.end_date,
        hasHourRestriction: Boolean(r.has_hour_restriction),
        contractHours: budget === null ? null : minutesToHours(Number(budget)),
        hoursNotificationThreshold:
          budget === null || r.threshold_minutes === null
            ? null
            : minutesToHours(Number(r.threshold_minutes)),
        hoursUsed: minutesToHours(used),
        hoursLeft: budget === null ? null : minutesToHours(Math.max(0, Number(budget) - used)),
        active: isActive(r, day),
        thresholdNotified: Boolean(r.threshold_notified),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    });
  }

  /** A contract is seen with its organization: one out of the agent's scope is not found. */
  async requireContract(db: Conn, principal: Principal, id: string): Promise<ContractRow> {
    const { accountId, scope } = principal;
    const row = await repo.findContract(db, accountId, id);
    if (
      !row ||
      (!scope.all && !(await inScope(db, scope, accountId, 'organization', row.organization_id)))
    )
      throw new NotFoundError('contract', id);
    return row;
  }

  /** The organization, in the account and in the agent's scope (out of scope: the same 404). */
  private async requireOrganization(principal: Principal, id: string): Promise<void> {
    if (!(await findOrganization(this.db, principal.accountId, id)))
      throw new NotFoundError('organization', id);
    await requireInScope(this.db, principal.scope, principal.accountId, 'organization', id);
  }

  /** The organization a contract is added to, live (not merged away), under its lock. */
  private async lockOrganization(trx: Conn, principal: Principal, id: string): Promise<void> {
    await lockLiveOrganization(trx, principal.accountId, id);
    await requireInScope(trx, principal.scope, principal.accountId, 'organization', id);
  }

  async list(principal: Principal, organizationId: string): Promise<Contract[]> {
    await this.requireOrganization(principal, organizationId);
    const rows = await repo.listContractRows(this.db, principal.accountId, organizationId);
    return this.present(this.db, principal.accountId, rows);
  }

  async get(principal: Principal, id: string): Promise<Contract> {
    const row = await this.requireContract(this.db, principal, id);
    return (await this.present(this.db, principal.accountId, [row]))[0] as Contract;
  }

  /**
   * Every rule on the contract as it will be; one error lists every bad field. A deactivated
   * person cannot be chosen, but one chosen before stays until someone changes that field.
   */
  private async check(
    db: Conn,
    accountId: string,
    row: ContractRow,
    chosen: (field: keyof ContractCreate) => boolean = () => true,
  ): Promise<void> {
    const errors: FieldError[] = contractRuleProblems({
      startDate: row.start_date,
      endDate: row.end_date,
      hasHourRestriction: Boolean(row.has_hour_restriction),
      contractHours: row.budget_minutes === null ? null : row.budget_minutes / 60,
      hoursNotificationThreshold:
        row.threshold_minutes === null ? null : row.threshold_minutes / 60,
    });
    // The contact chosen now must be live: a merged-away one is a 409 naming the survivor.
    if (chosen('customerContactId')) await lockUnlessMerged(db, accountId, row.customer_contact_id);
    const customer = (await repo.customersById(db, accountId, [row.customer_contact_id])).get(
      row.customer_contact_id,
    );
    if (!customer || customer.organizationId !== row.organization_id)
      errors.push(
        fieldError('customerContactId', 'not_a_contact', 'not a contact of this organization'),
      );
    else if (!customer.active && chosen('customerContactId'))
      errors.push(
        fieldError('customerContactId', 'deactivated', 'a deactivated person cannot be chosen'),
      );
    const agentIds = [row.support_contact_id, row.support_manager_id].filter(
      (id): id is string => id !== null,
    );
    const agents = await repo.agentsById(db, accountId, agentIds);
    for (const [field, id] of [
      ['supportContactId', row.support_contact_id],
      ['supportManagerId', row.support_manager_id],
    ] as const) {
      if (id === null) continue;
      const agent = agents.get(id);
      if (!agent) errors.push(fieldError(field, 'not_an_agent', 'not an agent of this account'));
      else if (!agent.active && chosen(field))
        errors.push(fieldError(field, 'deactivated', 'a deactivated person cannot be chosen'));
    }
    if (errors.length) throw new ValidationError(errors);
  }

  async create(principal: Principal, organizationId: string, input: ContractCreate) {
    const accountId = principal.accountId;
    const now = nowIso();
    const row: ContractRow = {
      account_id: accountId,
      id: newId(),
      organization_id: organizationId,
      description: input.description,
      purchase_order: input.purchaseOrderNumber || null,
      customer_contact_id: input.customerContactId,
      support_contact_id: input.supportContactId,
      support_manager_id: input.supportManagerId ?? null,
      start_date: input.startDate ?? null,
      end_date: input.endDate ?? null,
      has_hour_restriction: input.hasHourRestriction ? 1 : 0,
      budget_minutes: input.contractHours == null ? null : hoursToMinutes(input.contractHours),
      threshold_minutes:
        input.hoursNotificationThreshold == null
          ? null
          : hoursToMinutes(input.hoursNotificationThreshold),
      used_minutes: 0,
      threshold_notified: 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await this.lockOrganization(trx, principal, organizationId);
      await this.check(trx, accountId, row);
      await repo.insertContract(trx, row);
    });
    return this.get(principal, row.id);
  }

  /**
   * Edits the contract under its lock. A new threshold or budget is judged against the hours
   * already used: lowering the threshold below them counts as notified (no mail for a crossing
   * no entry made); raising it above them arms it again.
   */
  async update(principal: Principal, id: string, patch: ContractUpdate): Promise<Contract> {
    const accountId = principal.accountId;
    await this.requireContract(this.db, principal, id);
    await this.db.transaction().execute(async (trx) => {
      const current = await repo.lockContract(trx, accountId, id);
      if (!current) throw new NotFoundError('contract', id);
      const next: ContractRow = { ...current, updated_at: nowIso() };
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.purchaseOrderNumber !== undefined)
        next.purchase_order = patch.purchaseOrderNumber || null;
      if (patch.customerContactId !== undefined) next.customer_contact_id = patch.customerContactId;
      if (patch.supportContactId !== undefined) next.support_contact_id = patch.supportContactId;
      if (patch.supportManagerId !== undefined)
        next.support_manager_id = patch.supportManagerId ?? null;
      if (patch.startDate !== undefined) next.start_date = patch.startDate ?? null;
      if (patch.endDate !== undefined) next.end_date = patch.endDate ?? null;
      if (patch.hasHourRestriction !== undefined)
        next.has_hour_restriction = patch.hasHourRestriction ? 1 : 0;
      // Turning the restriction off drops its hours, unless the request says what they are.
      if (patch.hasHourRestriction === false) {
        if (patch.contractHours === undefined) next.budget_minutes = null;
        if (patch.hoursNotificationThreshold === undefined) next.threshold_minutes = null;
      }
      if (patch.contractHours !== undefined)
        next.budget_minutes =
          patch.contractHours == null ? null : hoursToMinutes(patch.contractHours);
      if (patch.hoursNotificationThreshold !== undefined)
        next.threshold_minutes =
          patch.hoursNotificationThreshold == null
            ? null
            : hoursToMinutes(patch.hoursNotificationThreshold);
      await this.check(trx, accountId, next, (field) => patch[field] !== undefined);
      const used = Number(next.used_minutes);
      next.threshold_notified =
        next.threshold_minutes !== null && used >= next.threshold_minutes ? 1 : 0;
      const { account_id: _a, id: _i, ...set } = next;
      await repo.updateContractRow(trx, accountId, id, set);
    });
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.requireContract(this.db, principal, id);
    await this.db.transaction().execute(async (trx) => {
      // Its tickets' locks, then its own (the order time entries take them in): an entry being
      // logged on it finishes first, and is then unassigned with the rest.
      await repo.lockContractTickets(trx, principal.accountId, id);
      if (!(await repo.lockContract(trx, principal.accountId, id)))
        throw new NotFoundError('contract', id);
      await repo.deleteContractRow(trx, principal.accountId, id);
    });
  }
}
