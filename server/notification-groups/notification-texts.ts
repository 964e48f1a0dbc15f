// What a notification group member reads about a ticket event, in English and Norwegian Bokmål
// (the account's language). Contract events have their texts in contracts/contract-texts.ts.
import type { NotificationEvent } from '../../common/notification-group.ts';

export type MailLocale = 'en' | 'nb';

export function mailLocale(locale: string): MailLocale {
  return locale === 'nb' ? 'nb' : 'en';
}

export interface TicketFacts {
  number: number;
  subject: string;
  status: string;
  organization: string;
  requester: string;
  /** The reply's text, for agent_reply. */
  text?: string;
}

const STATUS_NB: Record<string, string> = {
  open: 'åpen',
  pending: 'venter',
  error: 'feil',
  resolved: 'løst',
  closed: 'lukket',
};

export function ticketEventMail(
  locale: MailLocale,
  event: Exclude<NotificationEvent, 'contract_threshold' | 'contract_exceeded'>,
  t: TicketFacts,
): { subject: string; text: string } {
  const ref = `#${t.number} ${t.subject}`;
  if (locale === 'nb') {
    const status = STATUS_NB[t.status] ?? t.status;
    if (event === 'ticket_created')
      return {
        subject: `Ny sak ${ref}`,
        text: `Hei,\n\n${t.requester} i ${t.organization} har meldt inn en ny sak:\n\n${ref}\n\nHilsen Kunde\n`,
      };
    if (event === 'agent_reply')
      return {
        subject: `Svar på sak ${ref}`,
        text: `Hei,\n\nSupport har svart på sak ${ref} for ${t.organization}:\n\n${t.text ?? ''}\n\nHilsen Kunde\n`,
      };
    return {
      subject: `Sak ${ref} er ${status}`,
      text: `Hei,\n\nSak ${ref} for ${t.organization} er ${status}.\n\nHilsen Kunde\n`,
    };
  }
  if (event === 'ticket_created')
    return {
      subject: `New ticket ${ref}`,
      text: `Hello,\n\n${t.requester} at ${t.organization} raised a new ticket:\n\n${ref}\n\nKunde\n`,
    };
  if (event === 'agent_reply')
    return {
      subject: `Reply on ticket ${ref}`,
      text: `Hello,\n\nSupport replied on ticket ${ref} for ${t.organization}:\n\n${t.text ?? ''}\n\nKunde\n`,
    };
  return {
    subject: `Ticket ${ref} is ${t.status}`,
    text: `Hello,\n\nTicket ${ref} for ${t.organization} is ${t.status}.\n\nKunde\n`,
  };
}
