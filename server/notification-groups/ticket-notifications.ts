// Ticket events mailed to an organization's notification groups: a new ticket, an agent's reply,
// a ticket resolved or closed. Runs in the transaction of what happened, so the mail is queued
// exactly when that is committed.
import type { AccountSettings } from '../../common/settings.ts';
import { customersById } from '../contracts/contract.repository.ts';
import type { TicketRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { outboundFromAddress, type TicketEvent } from '../tickets/ticket.service.ts';
import type { NotificationGroupService } from './notification-group.service.ts';
import { mailLocale, ticketEventMail } from './notification-texts.ts';

const EVENT = {
  created: 'ticket_created',
  agent_reply: 'agent_reply',
  resolved: 'ticket_resolved',
  closed: 'ticket_resolved',
} as const;

export function ticketNotifier(
  groups: NotificationGroupService,
  settingsOf: (accountId: string, db: Conn) => Promise<AccountSettings>,
) {
  return async (
    db: Conn,
    accountId: string,
    ticket: TicketRow,
    event: TicketEvent,
    text?: string,
  ): Promise<void> => {
    if (!ticket.organization_id) return;
    const kind = EVENT[event];
    // Most organizations have no group for most events: find that out before anything else.
    if ((await groups.recipients(db, accountId, ticket.organization_id, kind)).length === 0) return;
    const [settings, organization, requester] = await Promise.all([
      settingsOf(accountId, db),
      findOrganization(db, accountId, ticket.organization_id),
      customersById(db, accountId, [ticket.requester_id]),
    ]);
    const mail = ticketEventMail(mailLocale(settings.defaultLocale), kind, {
      number: Number(ticket.number),
      subject: ticket.subject,
      status: ticket.status,
      organization: organization?.name ?? '',
      requester: requester.get(ticket.requester_id)?.name ?? '',
      text,
    });
    const from = outboundFromAddress(settings);
    await groups.deliver(db, accountId, ticket.organization_id, kind, {
      ...mail,
      ticketId: ticket.id,
      from,
      domain: from.slice(from.indexOf('@') + 1),
    });
  };
}
