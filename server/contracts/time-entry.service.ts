// Time logged on tickets: entries (agent, minutes, work date, note) listed on the ticket,
// editable and deletable, each change an audit entry (agents stored by id, named when read).
// An entry on a contract ticket moves the contract's hours in the same transaction, under the
// contract's lock (contract-hours.ts); one past the contract hours needs confirmOverLimit, and
// the confirmation is kept on the entry.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import {
  minutesToHours,
  type TicketTime,
  type TimeEntry,
  type TimeEntryAudit,
  type TimeEntryCreate,
  type TimeEntryUpdate,
} from '../../common/contract.ts';
import { inScope, requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import type { Database, TicketRow, TimeEntryRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { findTicket } from '../tickets/ticket.repository.ts';
import type { ContractHours } from './contract-hours.ts';
import { agentsById, findContract } from './contract.repository.ts';
import * as repo from './time-entry.repository.ts';

type Change = Record<string, { from: unknown; to: unknown }>;

function entryToTimeEntry(row: TimeEntryRow, ticketNumber: number, agentName: string): TimeEntry {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    ticketNumber,
    contractId: row.contract_id,
    agentId: row.user_id,
    agentName,
    minutes: Number(row.minutes),
    workDate: row.work_date,
    note: row.note,
    overLimitConfirmed: Boolean(row.over_limit_confirmed),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class TimeEntryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hours: ContractHours,
  ) {}

  async present(db: Conn, accountId: string, rows: TimeEntryRow[]): Promise<TimeEntry[]> {
    const [agents, numbers] = await Promise.all([
      agentsById(
        db,
        accountId,
        rows.map((r) => r.user_id),
      ),
      repo.ticketNumbers(
        db,
        accountId,
        rows.map((r) => r.ticket_id),
      ),
    ]);
    return rows.map((r) =>
      entryToTimeEntry(r, numbers.get(r.ticket_id) ?? 0, agents.get(r.user_id)?.name ?? ''),
    );
  }

  /** The ticket, in the account and in the agent's scope (out of scope: the same 404). */
  private async requireTicket(db: Conn, principal: Principal, id: string): Promise<TicketRow> {
    const ticket = await findTicket(db, principal.accountId, id);
    if (!ticket) throw new NotFoundError('ticket', id);
    await requireInScope(db, principal.scope, principal.accountId, 'ticket', id);
    return ticket;
  }

  private async checkAgent(db: Conn, accountId: string, agentId: string | null) {
    if (!agentId || !(await agentsById(db, accountId, [agentId])).has(agentId))
      throw new ValidationError([
        fieldError('agentId', 'not_an_agent', 'not an agent of this account'),
      ]);
    return agentId;
  }

  /** The ticket's time panel: its entries, their total, and its contract's hours. */
  async forTicket(principal: Principal, ticketId: string): Promise<TicketTime> {
    const accountId = principal.accountId;
    const ticket = await this.requireTicket(this.db, principal, ticketId);
    const rows = await repo.ticketTimeEntries(this.db, accountId, ticketId);
    const contract = ticket.contract_id
      ? await findContract(this.db, accountId, ticket.contract_id)
      : undefined;
    const budget = contract?.has_hour_restriction ? contract.budget_minutes : null;
    const used = Number(contract?.used_minutes ?? 0);
    return {
      items: await this.present(this.db, accountId, rows),
      totalMinutes: rows.reduce((sum, r) => sum + Number(r.minutes), 0),
      contract: contract
        ? {
            id: contract.id,
            description: contract.description,
            hasHourRestriction: Boolean(contract.has_hour_restriction),
            contractHours: budget === null ? null : minutesToHours(Number(budget)),
            hoursUsed: minutesToHours(used),
            hoursLeft: budget === null ? null : minutesToHours(Math.max(0, Number(budget) - used)),
          }
        : null,
    };
  }

  async log(principal: Principal, ticketId: string, input: TimeEntryCreate): Promise<TimeEntry> {
    const accountId = principal.accountId;
    const row = await this.db.transaction().execute(async (trx) => {
      const ticket = await repo.lockTicket(trx, accountId, ticketId);
      if (!ticket) throw new NotFoundError('ticket', ticketId);
      await requireInScope(trx, principal.scope, accountId, 'ticket', ticketId);
      const agentId = await this.checkAgent(trx, accountId, input.agentId ?? principal.userId);
      const decision = ticket.contract_id
        ? await this.hours.move(
            trx,
            accountId,
            ticket.contract_id,
            input.minutes,
            input.confirmOverLimit === true,
          )
        : undefined;
      const now = nowIso();
      const entry: TimeEntryRow = {
        account_id: accountId,
        id: newId(),
        ticket_id: ticket.id,
        contract_id: ticket.contract_id,
        user_id: agentId,
        minutes: input.minutes,
        work_date: input.workDate,
        note: input.note || null,
        over_limit_confirmed: decision?.overLimit ? 1 : 0,
        created_by: principal.userId,
        created_at: now,
        updated_at: now,
      };
      await repo.insertTimeEntry(trx, entry);
      await this.audit(trx, principal, entry, 'created', {
        minutes: { from: null, to: entry.minutes },
        workDate: { from: null, to: entry.work_date },
        agentId: { from: null, to: entry.user_id },
        ...(entry.note ? { note: { from: null, to: entry.note } } : {}),
        ...(entry.over_limit_confirmed ? { overLimitConfirmed: { from: null, to: true } } : {}),
      });
      return entry;
    });
    return (await this.present(this.db, accountId, [row]))[0] as TimeEntry;
  }

  async update(principal: Principal, id: string, patch: TimeEntryUpdate): Promise<TimeEntry> {
    const accountId = principal.accountId;
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.lockEntry(trx, principal, id);
      const next: TimeEntryRow = { ...current, updated_at: nowIso() };
      if (patch.minutes !== undefined) next.minutes = patch.minutes;
      if (patch.workDate !== undefined) next.work_date = patch.workDate;
      if (patch.note !== undefined) next.note = patch.note || null;
      if (patch.agentId !== undefined)
        next.user_id = await this.checkAgent(trx, accountId, patch.agentId);
      const delta = Number(next.minutes) - Number(current.minutes);
      if (current.contract_id && delta !== 0) {
        const decision = await this.hours.move(
          trx,
          accountId,
          current.contract_id,
          delta,
          patch.confirmOverLimit === true,
        );
        if (decision.overLimit) next.over_limit_confirmed = 1;
      }
      const changes: Change = {};
      for (const [field, column] of [
        ['minutes', 'minutes'],
        ['workDate', 'work_date'],
        ['note', 'note'],
        ['agentId', 'user_id'],
        ['overLimitConfirmed', 'over_limit_confirmed'],
      ] as const) {
        if (current[column] !== next[column])
          changes[field] =
            column === 'over_limit_confirmed'
              ? { from: Boolean(current[column]), to: Boolean(next[column]) }
              : { from: current[column], to: next[column] };
      }
      if (Object.keys(changes).length === 0) return current;
      const { account_id: _a, id: _i, ...set } = next;
      await repo.updateTimeEntryRow(trx, accountId, id, set);
      await this.audit(trx, principal, next, 'updated', changes);
      return next;
    });
    return (await this.present(this.db, accountId, [row]))[0] as TimeEntry;
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const accountId = principal.accountId;
    await this.db.transaction().execute(async (trx) => {
      const current = await this.lockEntry(trx, principal, id);
      if (current.contract_id)
        await this.hours.move(trx, accountId, current.contract_id, -Number(current.minutes), true);
      await repo.deleteTimeEntryRow(trx, accountId, id);
      await this.audit(trx, principal, current, 'deleted', {
        minutes: { from: Number(current.minutes), to: null },
        workDate: { from: current.work_date, to: null },
        agentId: { from: current.user_id, to: null },
        ...(current.note ? { note: { from: current.note, to: null } } : {}),
      });
    });
  }

  /**
   * The entry, read after its ticket's lock (its contract moves only under that lock). An entry
   * on a ticket out of the agent's scope is not found, like one that does not exist.
   */
  private async lockEntry(trx: Transaction<Database>, principal: Principal, id: string) {
    const { accountId, scope } = principal;
    const found = await repo.findTimeEntry(trx, accountId, id);
    if (found && !scope.all && !(await inScope(trx, scope, accountId, 'ticket', found.ticket_id)))
      throw new NotFoundError('time_entry', id);
    if (found) await repo.lockTicket(trx, accountId, found.ticket_id);
    const current = found && (await repo.findTimeEntry(trx, accountId, id));
    if (!current) throw new NotFoundError('time_entry', id);
    return current;
  }

  private async audit(
    trx: Transaction<Database>,
    principal: Principal,
    entry: TimeEntryRow,
    action: 'created' | 'updated' | 'deleted',
    changes: Change,
  ) {
    await repo.insertTimeAudit(trx, {
      account_id: principal.accountId,
      id: newId(),
      time_entry_id: entry.id,
      ticket_id: entry.ticket_id,
      action,
      actor_type: principal.type,
      actor_id: principal.userId,
      changes: JSON.stringify(changes),
      created_at: nowIso(),
    });
  }

  /** The ticket's time trail, newest first; agents named as they are now. */
  async auditOfTicket(principal: Principal, ticketId: string): Promise<TimeEntryAudit[]> {
    const accountId = principal.accountId;
    await this.requireTicket(this.db, principal, ticketId);
    const rows = await repo.ticketTimeAudit(this.db, accountId, ticketId);
    const parsed = rows.map((r) => ({ row: r, changes: JSON.parse(r.changes) as Change }));
    const ids = parsed.flatMap(({ row, changes }) => [
      ...(row.actor_id ? [row.actor_id] : []),
      ...[changes.agentId?.from, changes.agentId?.to].filter(
        (v): v is string => typeof v === 'string',
      ),
    ]);
    const agents = await agentsById(this.db, accountId, ids);
    const name = (id: unknown) =>
      typeof id === 'string' ? (agents.get(id)?.name ?? '(deleted)') : id;
    return parsed.map(({ row, changes }) => ({
      id: row.id,
      timeEntryId: row.time_entry_id,
      action: row.action,
      actorName: row.actor_id ? (agents.get(row.actor_id)?.name ?? '(deleted)') : 'Kunde',
      changes: changes.agentId
        ? { ...changes, agent: { from: name(changes.agentId.from), to: name(changes.agentId.to) } }
        : changes,
      createdAt: row.created_at,
    }));
  }
}
