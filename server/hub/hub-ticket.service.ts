// Tickets in the Customer Hub (issue 14, item 4): what a signed-in customer may list, read, raise,
// answer and resolve. Their reach is their own tickets plus those of the organizations an agent
// granted them, read afresh on every call (hub-grants.ts); a ticket out of reach is answered
// exactly like a missing one. Writes go through the one ticket service every channel uses
// (channel 'hub': routing rules, contracts, the customer's last activity, attachments).
import { customerDisplayName } from '../../common/customer.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import type {
  HubMessage,
  HubTicket,
  HubTicketCreate,
  HubTicketListQuery,
  HubTicketStatus,
  HubTicketWithMessages,
} from '../../common/hub.ts';
import type { Page } from '../../common/paging.ts';
import type { Database, TicketMessageRow } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { findCustomer } from '../customers/customer.repository.ts';
import type { IncomingAttachment, TicketService } from '../tickets/ticket.service.ts';
import type { Kysely } from 'kysely';
import type { HubPrincipal } from './hub-principal.ts';
import { grantedOrganizationIds } from './hub-grants.ts';
import * as repo from './hub-ticket.repository.ts';

export const HUB_ORGANIZATION_NOT_GRANTED =
  'not an organization you may raise tickets for: choose your own or one you were granted';
export const HUB_ORGANIZATION_ONLY_WITH_VIEW = 'only with view=organization';
export const HUB_REQUESTER_ONLY = 'only the customer who raised the ticket can mark it resolved';
export const HUB_TICKET_CLOSED = 'the ticket is closed: raise a new ticket instead';

function hubStatus(status: string): HubTicketStatus {
  // A ticket in error waits on the support team like an open one: the customer sees it open.
  return status === 'error' ? 'open' : (status as HubTicketStatus);
}

function hubTicketOf(row: repo.HubTicketListRow, customerId: string): HubTicket {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: hubStatus(row.status),
    requesterName: customerDisplayName({
      firstName: row.requester_first_name,
      lastName: row.requester_last_name,
      email: row.requester_email,
      phone: row.requester_phone,
    }),
    mine: row.requester_id === customerId,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    messageCount: Number(row.message_count),
    lastMessageAt: row.last_message_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isPosition(value: Record<string, unknown>): value is { t: string; id: string } {
  return typeof value.t === 'string' && typeof value.id === 'string';
}

/** Words of a search, each to appear in the subject; at most 10 of them. */
function searchWords(q: string | undefined): string[] {
  return (q ?? '').split(/\s+/).filter(Boolean).slice(0, 10);
}

export class HubTicketService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketService,
  ) {}

  private async reach(hub: HubPrincipal, db: Conn = this.db): Promise<repo.HubReach> {
    return {
      customerId: hub.customerId,
      organizationIds: await grantedOrganizationIds(db, hub.accountId, hub.customerId),
    };
  }

  async list(hub: HubPrincipal, query: HubTicketListQuery): Promise<Page<HubTicket>> {
    const { organizationIds } = await this.reach(hub);
    let filter: repo.HubTicketFilter;
    if (query.view === 'mine') {
      if (query.organizationId)
        throw new ValidationError([
          fieldError('organizationId', 'invalid', HUB_ORGANIZATION_ONLY_WITH_VIEW),
        ]);
      filter = { requesterId: hub.customerId };
    } else {
      // An organization not granted is one that does not exist, as far as the customer knows.
      if (query.organizationId && !organizationIds.includes(query.organizationId))
        throw new NotFoundError('organization', query.organizationId);
      const ids = query.organizationId ? [query.organizationId] : organizationIds;
      if (ids.length === 0) return { items: [], total: 0 };
      filter = { organizationIds: ids };
    }
    filter = { ...filter, status: query.status, words: searchWords(query.q) };
    const after = query.cursor ? decodeCursor(query.cursor, isPosition) : undefined;
    const [rows, total] = await Promise.all([
      repo.listHubTicketRows(this.db, hub.accountId, filter, after, query.limit + 1),
      repo.countHubTickets(this.db, hub.accountId, filter),
    ]);
    const items = rows.slice(0, query.limit).map((r) => hubTicketOf(r, hub.customerId));
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ t: last.lastMessageAt, id: last.id }) }
        : {}),
    };
  }

  /** The ticket and its conversation; the requester opening it has seen the agents' messages. */
  async get(hub: HubPrincipal, id: string): Promise<HubTicketWithMessages> {
    const row = await repo.findReachableTicket(this.db, hub.accountId, id, await this.reach(hub));
    if (!row) throw new NotFoundError('ticket', id);
    // Only the requester: a colleague reading an organization ticket is not who was answered.
    if (row.requester_id === hub.customerId)
      await repo.markAgentMessagesSeen(this.db, hub.accountId, id, nowIso());
    const [messages, attachments] = await Promise.all([
      repo.visibleMessages(this.db, hub.accountId, id),
      repo.visibleAttachments(this.db, hub.accountId, id),
    ]);
    return {
      ...hubTicketOf(row, hub.customerId),
      messages: messages.map((m) =>
        this.hubMessageOf(
          m,
          hub.customerId,
          attachments.filter((a) => a.message_id === m.id),
        ),
      ),
    };
  }

  private hubMessageOf(
    m: TicketMessageRow,
    customerId: string,
    attachments: Database['ticket_attachments'][],
  ): HubMessage {
    return {
      id: m.id,
      author:
        m.author_type === 'customer' ? (m.customer_id === customerId ? 'me' : 'customer') : 'agent',
      authorName: m.author_name,
      text: m.body_text,
      html: m.body_html,
      attachments: attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.content_type,
        sizeBytes: Number(a.size_bytes),
        url: `/api/hub/v1/attachments/${a.id}`,
      })),
      createdAt: m.created_at,
    };
  }

  /** A new ticket from the customer, for their own organization or one granted them. */
  async create(
    hub: HubPrincipal,
    input: HubTicketCreate,
    attachments: IncomingAttachment[],
  ): Promise<HubTicket> {
    const id = await this.db.transaction().execute(async (trx) => {
      const customer = await findCustomer(trx, hub.accountId, hub.customerId);
      if (!customer) throw new NotFoundError('customer', hub.customerId);
      const wanted = input.organizationId ?? undefined;
      if (wanted !== undefined && wanted !== customer.organization_id) {
        const { organizationIds } = await this.reach(hub, trx);
        if (!organizationIds.includes(wanted))
          throw new ValidationError([
            fieldError('organizationId', 'unknown_reference', HUB_ORGANIZATION_NOT_GRANTED),
          ]);
      }
      const opened = await this.tickets.openTicket(
        trx,
        hub.accountId,
        input.subject,
        {
          customerId: hub.customerId,
          authorName: hub.name,
          channel: 'hub',
          text: input.message,
          attachments,
        },
        'open',
        wanted === undefined ? {} : { organizationId: wanted },
      );
      return opened.id;
    });
    return this.presentOne(hub, id);
  }

  private async presentOne(hub: HubPrincipal, id: string): Promise<HubTicket> {
    const row = await repo.findReachableTicket(this.db, hub.accountId, id, await this.reach(hub));
    if (!row) throw new NotFoundError('ticket', id);
    return hubTicketOf(row, hub.customerId);
  }

  /** The customer answers; a resolved or pending ticket opens again, as by email. */
  async reply(
    hub: HubPrincipal,
    id: string,
    text: string,
    attachments: IncomingAttachment[],
  ): Promise<HubMessage> {
    const messageId = await this.db.transaction().execute(async (trx) => {
      const row = await repo.findReachableTicket(
        trx,
        hub.accountId,
        id,
        await this.reach(hub, trx),
      );
      if (!row) throw new NotFoundError('ticket', id);
      // Email to a closed ticket starts a new one (intake/email-intake.ts); here the customer is
      // told so, and the closed conversation stays as it was.
      if (row.status === 'closed') throw new ConflictError('ticket_closed', HUB_TICKET_CLOSED);
      return this.tickets.addCustomerMessage(trx, hub.accountId, row, {
        customerId: hub.customerId,
        authorName: hub.name,
        channel: 'hub',
        text,
        attachments,
      });
    });
    const [messages, files] = await Promise.all([
      repo.visibleMessages(this.db, hub.accountId, id),
      repo.visibleAttachments(this.db, hub.accountId, id),
    ]);
    const message = messages.find((m) => m.id === messageId);
    if (!message) throw new NotFoundError('message', messageId);
    return this.hubMessageOf(
      message,
      hub.customerId,
      files.filter((a) => a.message_id === messageId),
    );
  }

  /** The requester marks their own ticket resolved; a colleague of the organization may not. */
  async resolve(hub: HubPrincipal, id: string): Promise<HubTicket> {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findReachableTicket(
        trx,
        hub.accountId,
        id,
        await this.reach(hub, trx),
      );
      if (!row) throw new NotFoundError('ticket', id);
      if (row.requester_id !== hub.customerId)
        throw new AppError(403, 'requester_only', 'Forbidden', HUB_REQUESTER_ONLY);
      if (row.status === 'closed') throw new ConflictError('ticket_closed', HUB_TICKET_CLOSED);
      await this.tickets.resolveForRequester(trx, hub.accountId, row);
    });
    return this.presentOne(hub, id);
  }

  /** An attachment of a message the customer may read; anything else is not found. */
  async attachment(hub: HubPrincipal, id: string) {
    const row = await repo.findReachableAttachment(
      this.db,
      hub.accountId,
      id,
      await this.reach(hub),
    );
    if (!row) throw new NotFoundError('attachment', id);
    return row;
  }
}
