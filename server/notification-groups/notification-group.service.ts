// Notification groups: named sets of an organization's customer contacts, agents and other
// addresses, each choosing the events that mail it. Members are resolved when a mail is queued,
// never earlier: a contact who was deactivated, erased or moved to another organization, or a
// deactivated agent, gets nothing, and an agent's changed address is the one used.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import type {
  NotificationEvent,
  NotificationGroup,
  NotificationGroupCreate,
  NotificationGroupUpdate,
  NotificationMember,
  NotificationMemberAdd,
} from '../../common/notification-group.ts';
import { inScope, requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import { agentsById, customersById } from '../contracts/contract.repository.ts';
import type { Database, NotificationGroupRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import { lockUnlessMerged } from '../customers/customer-guard.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { lockLiveOrganization } from '../organizations/organization-guard.ts';
import * as repo from './notification-group.repository.ts';

export interface GroupMail {
  subject: string;
  text: string;
  ticketId?: string | null;
}

export class NotificationGroupService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly smtpConfigured: boolean,
  ) {}

  /** The organization, in the account and in the agent's scope (out of scope: the same 404). */
  private async requireOrganization(db: Conn, principal: Principal, id: string) {
    const organization = await findOrganization(db, principal.accountId, id);
    if (!organization) throw new NotFoundError('organization', id);
    await requireInScope(db, principal.scope, principal.accountId, 'organization', id);
    return organization;
  }

  /** A group is seen with its organization: one out of the agent's scope is not found. */
  private async requireGroup(db: Conn, principal: Principal, id: string) {
    const row = await repo.findGroup(db, principal.accountId, id);
    if (
      !row ||
      (!principal.scope.all &&
        !(await inScope(
          db,
          principal.scope,
          principal.accountId,
          'organization',
          row.organization_id,
        )))
    )
      throw new NotFoundError('notification_group', id);
    return row;
  }

  private async present(
    db: Conn,
    accountId: string,
    rows: NotificationGroupRow[],
  ): Promise<NotificationGroup[]> {
    const members = await repo.membersOf(
      db,
      accountId,
      rows.map((r) => r.id),
    );
    const [customers, agents] = await Promise.all([
      customersById(
        db,
        accountId,
        members.flatMap((m) => (m.customer_id ? [m.customer_id] : [])),
      ),
      agentsById(
        db,
        accountId,
        members.flatMap((m) => (m.user_id ? [m.user_id] : [])),
      ),
    ]);
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      description: row.description,
      events: JSON.parse(row.events) as NotificationEvent[],
      members: members
        .filter((m) => m.group_id === row.id)
        .map((m): NotificationMember => {
          if (m.kind === 'customer') {
            const c = m.customer_id ? customers.get(m.customer_id) : undefined;
            const active = Boolean(c?.active && c.organizationId === row.organization_id);
            return {
              id: m.id,
              kind: 'customer',
              customerId: m.customer_id,
              agentId: null,
              email: c?.email ?? null,
              // An erased customer's row is gone: nothing of them is kept here but the id.
              name: c?.name ?? '',
              active: active && Boolean(c?.email),
            };
          }
          if (m.kind === 'agent') {
            const a = m.user_id ? agents.get(m.user_id) : undefined;
            return {
              id: m.id,
              kind: 'agent',
              customerId: null,
              agentId: m.user_id,
              email: a?.email ?? null,
              name: a?.name ?? '',
              active: Boolean(a?.active && a.email),
            };
          }
          return {
            id: m.id,
            kind: 'email',
            customerId: null,
            agentId: null,
            email: m.email,
            name: m.email ?? '',
            active: true,
          };
        }),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async list(principal: Principal, organizationId: string): Promise<NotificationGroup[]> {
    await this.requireOrganization(this.db, principal, organizationId);
    const rows = await repo.listGroupRows(this.db, principal.accountId, organizationId);
    return this.present(this.db, principal.accountId, rows);
  }

  async get(principal: Principal, id: string): Promise<NotificationGroup> {
    const row = await this.requireGroup(this.db, principal, id);
    return (await this.present(this.db, principal.accountId, [row]))[0] as NotificationGroup;
  }

  async create(
    principal: Principal,
    organizationId: string,
    input: NotificationGroupCreate,
  ): Promise<NotificationGroup> {
    const accountId = principal.accountId;
    const now = nowIso();
    const row: NotificationGroupRow = {
      account_id: accountId,
      id: newId(),
      organization_id: organizationId,
      name: input.name,
      name_key: input.name.toLowerCase(),
      description: input.description ?? null,
      events: JSON.stringify([...new Set(input.events ?? [])]),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        // Live and held: a group is never added to a pointer an organization merge left.
        await lockLiveOrganization(trx, accountId, organizationId);
        await requireInScope(trx, principal.scope, accountId, 'organization', organizationId);
        await repo.insertGroup(trx, row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
    return this.get(principal, row.id);
  }

  async update(
    principal: Principal,
    id: string,
    patch: NotificationGroupUpdate,
  ): Promise<NotificationGroup> {
    const accountId = principal.accountId;
    await this.requireGroup(this.db, principal, id);
    try {
      await repo.updateGroupRow(this.db, accountId, id, {
        ...(patch.name !== undefined
          ? { name: patch.name, name_key: patch.name.toLowerCase() }
          : {}),
        ...(patch.description !== undefined ? { description: patch.description ?? null } : {}),
        ...(patch.events !== undefined
          ? { events: JSON.stringify([...new Set(patch.events)]) }
          : {}),
        updated_at: nowIso(),
      });
    } catch (error) {
      if (isUniqueViolation(error) && patch.name) throw nameTaken(patch.name);
      throw error;
    }
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.requireGroup(trx, principal, id);
      await repo.deleteGroupRow(trx, principal.accountId, id);
    });
  }

  private async insertMember(
    trx: Transaction<Database>,
    principal: Principal,
    groupId: string,
    input: NotificationMemberAdd,
  ): Promise<void> {
    const accountId = principal.accountId;
    const group = await this.requireGroup(trx, principal, groupId);
    const base = {
      account_id: accountId,
      id: newId(),
      group_id: groupId,
      customer_id: null,
      user_id: null,
      email: null,
      created_at: nowIso(),
    };
    let row;
    if (input.customerId) {
      // Under the customer's lock: one merged away is refused (409 naming the survivor), even
      // when its merge commits while this runs.
      await lockUnlessMerged(trx, accountId, input.customerId);
      const customer = (await customersById(trx, accountId, [input.customerId])).get(
        input.customerId,
      );
      // A contact out of the agent's scope (their team serves another location) reads as none.
      if (
        !customer ||
        customer.organizationId !== group.organization_id ||
        (!principal.scope.all &&
          !(await inScope(trx, principal.scope, accountId, 'customer', input.customerId)))
      )
        throw new ValidationError([
          fieldError('customerId', 'not_a_contact', 'not a contact of this organization'),
        ]);
      row = {
        ...base,
        kind: 'customer' as const,
        customer_id: input.customerId,
        member_key: `customer:${input.customerId}`,
      };
    } else if (input.agentId) {
      if (!(await agentsById(trx, accountId, [input.agentId])).has(input.agentId))
        throw new ValidationError([
          fieldError('agentId', 'not_an_agent', 'not an agent of this account'),
        ]);
      row = {
        ...base,
        kind: 'agent' as const,
        user_id: input.agentId,
        member_key: `agent:${input.agentId}`,
      };
    } else {
      const email = (input.email ?? '').trim().toLowerCase();
      row = { ...base, kind: 'email' as const, email, member_key: `email:${email}` };
    }
    await repo.insertMember(trx, row);
  }

  async addMember(
    principal: Principal,
    groupId: string,
    input: NotificationMemberAdd,
  ): Promise<NotificationGroup> {
    try {
      await this.db
        .transaction()
        .execute((trx) => this.insertMember(trx, principal, groupId, input));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Already a member: adding them again changes nothing.
    }
    return this.get(principal, groupId);
  }

  async removeMember(principal: Principal, groupId: string, memberId: string): Promise<void> {
    await this.requireGroup(this.db, principal, groupId);
    if (!(await repo.deleteMember(this.db, principal.accountId, groupId, memberId)))
      throw new NotFoundError('member', memberId);
  }

  /** The addresses that get `event` for the organization now (resolved here, at send time). */
  async recipients(
    db: Conn,
    accountId: string,
    organizationId: string,
    event: NotificationEvent,
  ): Promise<string[]> {
    const rows = (await repo.listGroupRows(db, accountId, organizationId)).filter((g) =>
      (JSON.parse(g.events) as string[]).includes(event),
    );
    if (rows.length === 0) return [];
    const groups = await this.present(db, accountId, rows);
    const addresses = groups.flatMap((g) =>
      g.members.filter((m) => m.active && m.email).map((m) => (m.email as string).toLowerCase()),
    );
    return [...new Set(addresses)];
  }

  /**
   * Queues one outbox mail per member address subscribed to `event`, in the caller's
   * transaction (so the mail goes out exactly when what caused it is committed). Addresses in
   * `except` already got the event's mail another way. Returns how many were queued.
   */
  async deliver(
    db: Conn,
    accountId: string,
    organizationId: string,
    event: NotificationEvent,
    mail: GroupMail & { from: string; domain: string },
    except: string[] = [],
  ): Promise<number> {
    const skip = new Set(except.map((e) => e.toLowerCase()));
    const to = (await this.recipients(db, accountId, organizationId, event)).filter(
      (address) => !skip.has(address),
    );
    for (const address of to) {
      await queueEmail(
        db,
        accountId,
        {
          ticketId: mail.ticketId ?? null,
          to: address,
          from: mail.from,
          subject: mail.subject,
          text: mail.text,
          messageId: `<${newId()}.notify@${mail.domain}>`,
        },
        this.smtpConfigured,
      );
    }
    return to.length;
  }
}

function nameTaken(name: string) {
  return new ConflictError('notification_group_name_taken', `A group named ${name} exists`, {
    errors: [fieldError('name', 'already_used', 'already used by another group')],
  });
}
