// Tickets: created from email, SMS, the API, the console and the Hub for the customer who sent
// them; routed by the requester's organization; agent replies go out through the outbox,
// threaded. Every ticket and message moves the customer's last activity.
import { fieldError } from '../../common/field-error-codes.ts';
import { hostname } from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { Page } from '../../common/paging.ts';
import type {
  Ticket,
  TicketCreate,
  TicketListQuery,
  TicketUpdate,
  TicketWithMessages,
} from '../../common/ticket.ts';
import type { Principal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { reserveNumbers } from '../db/counters.ts';
import type { Database, TicketRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { inScope } from '../access/scope.ts';
import { placeNames } from '../locations/location.repository.ts';
import { defaultPlacement, resolvePlacement } from '../locations/placement.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { queueEmail } from '../mail/outbox.ts';
import { outboxOfTicket } from '../mail/outbox.repository.ts';
import type { MessageDelivery } from '../../common/outbox.ts';
import { firstRoutingRule } from '../organizations/routing-rule.repository.ts';
import { checkAssignees } from '../organizations/routing-rule.service.ts';
import * as repo from './ticket.repository.ts';
import { findCustomer, lockCustomerFollowingMerges } from '../customers/customer.repository.ts';

import type { Conn } from '../db/transaction.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
type Channel = Ticket['channel'];

export interface IncomingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface IncomingMessage {
  customerId: string;
  authorName: string;
  channel: Channel;
  text: string;
  html?: string | null;
  emailMessageId?: string | null;
  attachments?: IncomingAttachment[];
}

export type TicketEvent = 'created' | 'agent_reply' | 'resolved' | 'closed';

/**
 * What other features do when tickets change (contracts/, notification-groups/), wired in
 * services.ts; each runs in the ticket's transaction.
 */
export interface TicketHooks {
  /** The contract a new ticket of the organization starts on (its one active contract). */
  defaultContractId(
    db: Conn,
    accountId: string,
    organizationId: string | null,
  ): Promise<string | null>;
  /** Checks and assigns the ticket's contract, moving its logged time with it. */
  assignContract(
    trx: Transaction<Database>,
    accountId: string,
    ticket: TicketRow,
    contractId: string | null,
  ): Promise<void>;
  ticketEvent(
    db: Conn,
    accountId: string,
    ticket: TicketRow,
    event: TicketEvent,
    text?: string,
  ): Promise<void>;
}

export interface TicketDeps {
  db: Kysely<Database>;
  customers: CustomerService;
  /** Stores in the ticket's transaction (the database file store writes in it). */
  storeAttachment: (accountId: string, id: string, content: Buffer, trx: Conn) => Promise<string>;
  smtpConfigured: boolean;
  hooks?: TicketHooks;
}

export const TICKET_OUT_OF_SCOPE =
  'the ticket would be outside what your teams serve: pick a requester of an organization they serve';

/** The From of every email the account sends: its first support address, else one on this host. */
export function outboundFromAddress(settings: { supportAddresses: string[] }): string {
  return settings.supportAddresses[0] ?? `support@${hostname()}`;
}

export class TicketService {
  constructor(private readonly deps: TicketDeps) {}

  private get db() {
    return this.deps.db;
  }

  private async present(
    accountId: string,
    rows: TicketRow[],
    db: Conn = this.db,
  ): Promise<Ticket[]> {
    const present = (ids: (string | null)[]) => [
      ...new Set(ids.filter((id): id is string => id !== null)),
    ];
    const [names, places] = await Promise.all([
      repo.customerNames(db, accountId, present(rows.map((r) => r.requester_id))),
      placeNames(
        db,
        accountId,
        present(rows.map((r) => r.location_id)),
        present(rows.map((r) => r.area_id)),
      ),
    ]);
    return rows.map((r) => repo.ticketRowToTicket(r, names.get(r.requester_id) ?? '', places));
  }

  /** A new ticket with its first message from the customer; routed by their organization. */
  async openTicket(
    trx: Conn,
    accountId: string,
    subject: string,
    message: IncomingMessage,
    status: Ticket['status'] = 'open',
    place: {
      locationId?: string | null;
      areaId?: string | null;
      /**
       * Raised for another organization than the requester's own (the Hub, for one the customer
       * was granted; the caller checks the grant): routed and placed as that organization's.
       */
      organizationId?: string | null;
    } = {},
  ): Promise<TicketRow> {
    const now = nowIso();
    // Held, and followed to the survivor if the sender was merged away meanwhile (issue 15).
    const customer = await lockCustomerFollowingMerges(trx, accountId, message.customerId);
    if (!customer) throw new NotFoundError('customer', message.customerId);
    message = { ...message, customerId: customer.id };
    const organizationId =
      place.organizationId === undefined ? customer.organization_id : place.organizationId;
    const ownOrganization = organizationId === customer.organization_id;
    // Nothing asked: the requester's default location, when they have one (of their own
    // organization: another organization's ticket starts without a place).
    const placement =
      place.locationId !== undefined || place.areaId !== undefined
        ? await resolvePlacement(trx, accountId, organizationId, place)
        : ownOrganization
          ? await defaultPlacement(trx, accountId, customer)
          : { location_id: null, area_id: null };
    const rule = organizationId
      ? await firstRoutingRule(trx, accountId, organizationId)
      : undefined;
    const row: TicketRow = {
      account_id: accountId,
      id: newId(),
      number: await reserveNumbers(trx, accountId, 'ticket'),
      subject: subject.slice(0, 500) || '(no subject)',
      status,
      channel: message.channel,
      requester_id: message.customerId,
      organization_id: organizationId,
      assignee_id: rule?.assignee_id ?? null,
      team_id: rule?.team_id ?? null,
      ...placement,
      contract_id:
        (await this.deps.hooks?.defaultContractId(trx, accountId, organizationId)) ?? null,
      message_count: 0,
      last_message_at: now,
      created_at: now,
      updated_at: now,
    };
    await repo.insertTicket(trx, row);
    await this.insertCustomerMessage(trx, accountId, row, message);
    await this.deps.hooks?.ticketEvent(trx, accountId, row, 'created', message.text);
    await this.webhookEvent(trx, accountId, 'ticket.created', row);
    return { ...row, message_count: 1 };
  }

  /** Appends a customer's message; a resolved ticket opens again. */
  async addCustomerMessage(
    trx: Conn,
    accountId: string,
    ticket: TicketRow,
    message: IncomingMessage,
  ): Promise<string> {
    const id = await this.insertCustomerMessage(trx, accountId, ticket, message);
    await this.webhookEvent(trx, accountId, 'ticket.updated', ticket);
    return id;
  }

  /**
   * ticket.created / ticket.updated for integrations (webhooks), in the change's transaction:
   * the ticket as the API shows it, read as the change left it, built only if someone listens.
   */
  private async webhookEvent(
    trx: Conn,
    accountId: string,
    type: 'ticket.created' | 'ticket.updated',
    ticket: TicketRow,
  ): Promise<void> {
    const data = async () => {
      const row = (await repo.findTicket(trx, accountId, ticket.id)) ?? ticket;
      return { ticket: (await this.present(accountId, [row], trx))[0] };
    };
    await recordWebhookEvent(
      trx,
      accountId,
      { type, data, customerId: ticket.requester_id },
      nowIso(),
    );
  }

  private async insertCustomerMessage(
    trx: Conn,
    accountId: string,
    ticket: TicketRow,
    message: IncomingMessage,
  ): Promise<string> {
    const now = nowIso();
    const id = newId();
    const author = await lockCustomerFollowingMerges(trx, accountId, message.customerId);
    if (author) message = { ...message, customerId: author.id };
    await repo.insertMessage(trx, {
      account_id: accountId,
      id,
      ticket_id: ticket.id,
      author_type: 'customer',
      customer_id: message.customerId,
      user_id: null,
      author_name: message.authorName,
      channel: message.channel,
      body_text: message.text,
      body_html: message.html ?? null,
      email_message_id: message.emailMessageId ?? null,
      internal: 0,
      hub_seen_at: null,
      created_at: now,
    });
    for (const attachment of message.attachments ?? []) {
      const attachmentId = newId();
      const fileKey = await this.deps.storeAttachment(
        accountId,
        attachmentId,
        attachment.content,
        trx,
      );
      await repo.insertAttachment(trx, {
        account_id: accountId,
        id: attachmentId,
        ticket_id: ticket.id,
        message_id: id,
        filename: attachment.filename.slice(0, 255) || 'attachment',
        content_type: attachment.contentType.slice(0, 255),
        size_bytes: attachment.content.length,
        file_key: fileKey,
        created_at: now,
      });
    }
    await trx
      .updateTable('tickets')
      .set((eb) => ({
        message_count: eb('message_count', '+', 1),
        last_message_at: now,
        updated_at: now,
        status:
          ticket.status === 'resolved' || ticket.status === 'pending' ? 'open' : ticket.status,
      }))
      .where('account_id', '=', accountId)
      .where('id', '=', ticket.id)
      .execute();
    await this.deps.customers.touchActivity(trx, accountId, message.customerId, now);
    return id;
  }

  /**
   * POST /tickets: the requester is a contact picked by id, or found or created by email or
   * phone; with the location and area checked against their organization; one transaction.
   */
  async create(principal: Principal, input: TicketCreate): Promise<Ticket> {
    const channel: Channel = principal.type === 'token' ? 'api' : 'agent';
    const row = await this.db.transaction().execute(async (trx) => {
      const customer = input.requesterId
        ? await this.requesterById(principal, input.requesterId, trx)
        : (
            await this.deps.customers.findOrCreateBySender(
              principal,
              input.requester ?? {},
              channel,
              trx,
            )
          ).customer;
      const opened = await this.openTicket(
        trx,
        principal.accountId,
        input.subject,
        {
          customerId: customer.id,
          authorName:
            [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
            customer.email ||
            customer.phone ||
            '',
          channel,
          text: input.message,
        },
        input.status,
        { locationId: input.locationId, areaId: input.areaId },
      );
      // The ticket as routed (organization, place, a rule's team or agent) must be one the agent
      // sees afterwards; otherwise nothing of it is kept, the requester included.
      if (!(await inScope(trx, principal.scope, principal.accountId, 'ticket', opened.id)))
        throw new ValidationError([
          {
            field: input.requesterId ? 'requesterId' : 'requester',
            code: 'ticket_out_of_scope',
            message: TICKET_OUT_OF_SCOPE,
          },
        ]);
      return opened;
    });
    return (await this.present(principal.accountId, [row]))[0] as Ticket;
  }

  /** A requester picked by id (a contact): unknown or being erased is the field's error, 422. */
  private async requesterById(principal: Principal, id: string, trx: Conn) {
    try {
      const picked = await this.deps.customers.get(principal, id, trx);
      // A merged-away id (an old link) means its survivor (issue 15).
      const customer = picked.mergedInto
        ? await this.deps.customers.followMerges(principal, picked.mergedInto, trx)
        : picked;
      if (customer.status !== 'active')
        throw new ValidationError([
          fieldError('requesterId', 'deactivated', 'the customer is deactivated'),
        ]);
      return customer;
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new ValidationError([
          fieldError('requesterId', 'unknown_reference', 'no such customer'),
        ]);
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<TicketWithMessages> {
    const row = await repo.findTicket(this.db, principal.accountId, id, principal.scope);
    if (!row) throw new NotFoundError('ticket', id);
    const [ticket] = await this.present(principal.accountId, [row]);
    const [messages, attachments, mail] = await Promise.all([
      repo.listMessages(this.db, principal.accountId, id),
      repo.attachmentsOf(this.db, principal.accountId, id),
      outboxOfTicket(this.db, principal.accountId, id),
    ]);
    // A reply's email is the outbox row with its Message-ID (reply() writes both).
    const deliveries = new Map(mail.map((m) => [m.message_id, m]));
    const deliveryOf = (m: (typeof messages)[number]): MessageDelivery | null => {
      const email =
        m.author_type === 'agent' && m.email_message_id
          ? deliveries.get(m.email_message_id)
          : undefined;
      if (!email) return null;
      return {
        outboxId: email.id,
        status: email.status,
        holdReason: email.status === 'held' ? (email.hold_reason ?? 'smtp_not_configured') : null,
        attempts: Number(email.attempts),
        lastError: email.last_error,
        sentAt: email.sent_at,
      };
    };
    return {
      ...(ticket as Ticket),
      messages: messages.map((m) =>
        repo.messageRowToMessage(
          m,
          attachments
            .filter((a) => a.message_id === m.id)
            .map((a) => ({
              id: a.id,
              filename: a.filename,
              contentType: a.content_type,
              sizeBytes: Number(a.size_bytes),
              url: `/api/v1/attachments/${a.id}`,
            })),
          deliveryOf(m),
        ),
      ),
    };
  }

  async list(principal: Principal, query: TicketListQuery): Promise<Page<Ticket>> {
    const before = query.cursor
      ? decodeCursor(query.cursor, (v): v is { n: number } => typeof v.n === 'number').n
      : undefined;
    const [rows, total] = await Promise.all([
      repo.listTicketRows(
        this.db,
        principal.accountId,
        { ...query, scope: principal.scope },
        before,
        query.limit + 1,
      ),
      repo.countTickets(this.db, principal.accountId, { ...query, scope: principal.scope }),
    ]);
    const items = await this.present(principal.accountId, rows.slice(0, query.limit));
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ n: last.number }) }
        : {}),
    };
  }

  async update(principal: Principal, id: string, patch: TicketUpdate): Promise<Ticket> {
    const accountId = principal.accountId;
    await checkAssignees(this.db, accountId, patch);
    const updated = await this.db.transaction().execute(async (trx) => {
      // Out of scope is not found; a change that moves the ticket out of scope is allowed and
      // answered with the ticket, which the agent then no longer sees.
      const row = await repo.findTicket(trx, accountId, id, principal.scope);
      if (!row) throw new NotFoundError('ticket', id);
      const set: Partial<TicketRow> = { updated_at: nowIso() };
      if (patch.subject !== undefined) set.subject = patch.subject;
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.assigneeId !== undefined) set.assignee_id = patch.assigneeId;
      if (patch.teamId !== undefined) set.team_id = patch.teamId;
      if (patch.locationId !== undefined || patch.areaId !== undefined)
        Object.assign(
          set,
          await resolvePlacement(
            trx,
            accountId,
            row.organization_id,
            { locationId: patch.locationId, areaId: patch.areaId },
            { location_id: row.location_id, area_id: row.area_id },
          ),
        );
      if (patch.contractId !== undefined && this.deps.hooks) {
        await this.deps.hooks.assignContract(trx, accountId, row, patch.contractId);
        set.contract_id = patch.contractId;
      }
      await repo.updateTicketRow(trx, accountId, id, set);
      const next = { ...row, ...set };
      await this.statusEvent(trx, accountId, row.status, next);
      await this.webhookEvent(trx, accountId, 'ticket.updated', next);
      return next;
    });
    return (await this.present(accountId, [updated]))[0] as Ticket;
  }

  /**
   * The requester marks their own ticket resolved (the Customer Hub; the caller checks who they
   * are): the hooks hear it as any resolve, and it is the customer's activity.
   */
  async resolveForRequester(trx: Conn, accountId: string, ticket: TicketRow): Promise<TicketRow> {
    if (ticket.status === 'resolved') return ticket;
    const now = nowIso();
    const set = { status: 'resolved', updated_at: now };
    await repo.updateTicketRow(trx, accountId, ticket.id, set);
    const next = { ...ticket, ...set };
    await this.statusEvent(trx, accountId, ticket.status, next);
    await this.webhookEvent(trx, accountId, 'ticket.updated', next);
    await this.deps.customers.touchActivity(trx, accountId, ticket.requester_id, now);
    return next;
  }

  /** A ticket that has just become resolved or closed tells the hooks so. */
  private async statusEvent(db: Conn, accountId: string, before: string, ticket: TicketRow) {
    if (ticket.status === before) return;
    if (ticket.status === 'resolved' || ticket.status === 'closed')
      await this.deps.hooks?.ticketEvent(db, accountId, ticket, ticket.status);
  }

  /**
   * An agent's reply: stored, and emailed to the requester threaded under their last email. An
   * internal note (internal) is stored only: never emailed, never shown in the Hub, no
   * notification; it leaves the status alone unless one is asked for, and it is not part of the
   * conversation with the customer, so the message count and last activity stay as they were
   * (the Hub shows both, and they must not give a note away). Without a `status` a reply
   * does what the account's replyStatus says (by default: keeps the status).
   */
  async reply(
    principal: Principal,
    id: string,
    text: string,
    status?: Ticket['status'],
    internal = false,
  ): Promise<TicketWithMessages> {
    const accountId = principal.accountId;
    const settings = await this.deps.customers.settings(accountId);
    await this.db.transaction().execute(async (trx) => {
      const ticket = await repo.findTicket(trx, accountId, id, principal.scope);
      if (!ticket) throw new NotFoundError('ticket', id);
      const requester = await findCustomer(trx, accountId, ticket.requester_id);
      if (!requester) throw new NotFoundError('customer', ticket.requester_id);
      const now = nowIso();
      const from = outboundFromAddress(settings);
      const messageId = `<${newId()}.${ticket.number}@${from.slice(from.indexOf('@') + 1)}>`;
      const emailed = !internal && Boolean(requester.email);
      const thread = await repo.emailIdsOfTicket(trx, accountId, id);
      await repo.insertMessage(trx, {
        account_id: accountId,
        id: newId(),
        ticket_id: id,
        author_type: 'agent',
        customer_id: null,
        user_id: principal.userId,
        author_name: principal.name,
        channel: 'agent',
        body_text: text,
        body_html: null,
        email_message_id: emailed ? messageId : null,
        internal: internal ? 1 : 0,
        hub_seen_at: null,
        created_at: now,
      });
      const set = internal
        ? { updated_at: now, status: status ?? ticket.status }
        : {
            message_count: Number(ticket.message_count) + 1,
            last_message_at: now,
            updated_at: now,
            // The agent's choice, else the account's (issue 16: plain Send keeps the status).
            status:
              status ?? (settings.replyStatus === 'keep' ? ticket.status : settings.replyStatus),
          };
      await repo.updateTicketRow(trx, accountId, id, set);
      if (!internal)
        await this.deps.hooks?.ticketEvent(
          trx,
          accountId,
          { ...ticket, ...set },
          'agent_reply',
          text,
        );
      await this.statusEvent(trx, accountId, ticket.status, { ...ticket, ...set });
      await this.webhookEvent(trx, accountId, 'ticket.updated', ticket);
      if (internal) return;
      await this.deps.customers.touchActivity(trx, accountId, ticket.requester_id, now);
      if (emailed && requester.email) {
        await queueEmail(
          trx,
          accountId,
          {
            ticketId: id,
            to: requester.email,
            from,
            subject: `Re: ${ticket.subject.replace(/^(re|sv|aw):\s*/i, '')} [#${ticket.number}]`,
            text,
            messageId,
            inReplyTo: thread[thread.length - 1] ?? null,
            references: thread.slice(-20),
          },
          this.deps.smtpConfigured,
        );
      }
    });
    return this.get(principal, id);
  }

  listForCustomer(principal: Principal, customerId: string, limit: number, cursor?: string) {
    return this.list(principal, { customerId, limit, cursor });
  }

  async attachment(principal: Principal, id: string) {
    const row = await repo.findAttachment(this.db, principal.accountId, id);
    // An attachment of a ticket out of scope is one that does not exist.
    if (
      !row ||
      !(await inScope(this.db, principal.scope, principal.accountId, 'ticket', row.ticket_id))
    )
      throw new NotFoundError('attachment', id);
    return row;
  }
}
