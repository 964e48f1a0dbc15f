// Tickets in a real browser against a real server: an email posted to the inbound webhook becomes
// a ticket; open it from the list, see the message, open the requester's initials widget and
// follow the name to the customer page; reply (shown in the conversation as held, and held in
// Administration → Outbox), change the status; teams; a routing rule on the organization page
// assigning the next emailed ticket; a new ticket by phone; the pages in Norwegian.
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../common/auth.ts';
import type { TicketWithMessages } from '../common/ticket.ts';
import type { TestServer } from '../server/test/server.ts';
import {
  followMenuLink,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };
const PER = { name: 'Per Hansen', email: 'per@example.com', password: 'correct horse battery' };

function rawEmail(from: string, subject: string, body: string): string {
  return [
    `From: ${from}`,
    'To: support@acme.example',
    `Subject: ${subject}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@mail.firma.no>`,
    'Date: Mon, 2 Mar 2026 09:14:00 +0100',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

describe('web console: tickets', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;
  let token: string;
  let per: User;
  let olaTicketId: string;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, context, page } = session);
    api = context.request;
    expect(
      (await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } })).status(),
    ).toBe(201);
    const created = await api.post('/api/v1/users', { data: PER });
    expect(created.status()).toBe(201);
    per = (await created.json()) as User;
    const tokenResponse = await api.post('/api/v1/tokens', { data: { name: 'mail webhook' } });
    token = ((await tokenResponse.json()) as { token: string }).token;
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  /** Posts a raw RFC 822 message the way a mail provider's webhook does; answers the ticket id. */
  async function receiveEmail(from: string, subject: string, body: string): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/inbound/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` },
      body: rawEmail(from, subject, body),
    });
    expect(response.status).toBe(202);
    const result = (await response.json()) as { ticketId: string | null };
    expect(result.ticketId).toBeTruthy();
    return result.ticketId ?? '';
  }
  const ticket = async (id: string) =>
    (await (await api.get(`/api/v1/tickets/${id}`)).json()) as TicketWithMessages;

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const nav = (name: string) =>
    page
      .getByRole('navigation', { name: /^(Main navigation|Hovedmeny)$/ })
      .getByRole('link', { name, exact: true });
  const adminNav = (name: string) => followMenuLink(page, 'Administration', name);

  it('opens an emailed ticket from the list, and the initials widget leads to the customer', async () => {
    olaTicketId = await receiveEmail(
      '"Nordmann, Ola" <ola@firma.no>',
      'Faktura mangler',
      'Hei, jeg har ikke mottatt fakturaen for mars.\r\n\r\nMvh Ola',
    );
    await page.goto('/customers');
    await nav('Unresolved').click();
    await see(heading('Tickets'));
    const listed = row('Faktura mangler');
    await see(listed.getByText('Ola Nordmann'));
    await see(listed.getByText('Open', { exact: true }));
    await see(listed.getByText('Email', { exact: true }));
    await listed.getByRole('link', { name: 'Faktura mangler' }).click();

    await see(heading('Faktura mangler'));
    const message = page.getByRole('article', { name: 'Message from Nordmann, Ola' });
    await see(message.getByText('Hei, jeg har ikke mottatt fakturaen for mars.'));

    // The round button at the bottom carries the initials and opens the customer widget.
    const initials = page.getByRole('button', { name: /^ON Ola Nordmann .*: show customer$/ });
    expect(await initials.locator('.mantine-Avatar-root').innerText()).toBe('ON');
    await initials.click();
    // Mantine names the popover by its button (aria-labelledby), whose name starts with the
    // initials, name and contact line it shows.
    const widget = page.getByRole('dialog', { name: /^ON Ola Nordmann .*: show customer$/ });
    await see(widget.getByRole('link', { name: 'ola@firma.no' }));
    await see(widget.getByRole('link', { name: 'firma.no', exact: true }));
    await see(widget.getByText('1 ticket', { exact: true }));
    await see(widget.getByText('Faktura mangler'));
    await widget.getByRole('link', { name: 'Ola Nordmann' }).click();

    await see(heading('Ola Nordmann'));
    expect(new URL(page.url()).pathname).toMatch(/^\/customers\/[0-9a-f-]{36}$/);
    const tickets = page.getByRole('region', { name: 'Tickets' });
    await see(tickets.getByRole('link', { name: 'Faktura mangler' }));
  });

  it('replies from the ticket, shows the held email in the Outbox, and changes the status', async () => {
    await page
      .getByRole('region', { name: 'Tickets' })
      .getByRole('link', { name: 'Faktura mangler' })
      .click();
    await see(heading('Faktura mangler'));
    await see(page.getByText('Emailed to ola@firma.no'));
    await page
      .getByRole('textbox', { name: 'Reply to the customer' })
      .fill('Hei Ola,\n\nVi sender fakturaen på nytt i dag.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.getByRole('article', { name: 'Reply from Kari Agent' });
    await see(reply.getByText('Vi sender fakturaen på nytt i dag.'));
    // No SMTP_URL: the toast says the reply is held, not sent, and plain Send keeps the status.
    await see(
      page.getByText('Reply held in the outbox: no outgoing mail server (SMTP_URL) is configured'),
    );
    await see(reply.getByRole('status', { name: /^Delivery: Held in the outbox/ }));
    expect((await ticket(olaTicketId)).status).toBe('open');

    // An internal note: yellow and labelled, for agents only; never emailed (the Outbox below
    // holds the one reply), and the status stays as it was.
    await page.getByRole('switch', { name: 'Internal note' }).check();
    await page
      .getByRole('textbox', { name: 'Internal note for agents' })
      .fill('Ola ringte også, se faktura 1042.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await see(page.getByText('Internal note saved'));
    const note = page.getByRole('article', { name: 'Reply from Kari Agent' }).filter({
      hasText: 'se faktura 1042',
    });
    await see(note.getByText('Internal note', { exact: true }));
    const saved = await ticket(olaTicketId);
    expect(saved.status).toBe('open');
    expect(saved.messages.filter((m) => m.internal).map((m) => m.text)).toEqual([
      'Ola ringte også, se faktura 1042.',
    ]);

    await adminNav('Outbox');
    await see(heading('Outbox'));
    await see(page.getByText('Email is being held'));
    const email = row('ola@firma.no');
    await see(email.getByText('Held', { exact: true }));
    await see(email.getByRole('link', { name: 'Re: Faktura mangler [#1]' }));

    await email.getByRole('link', { name: 'Re: Faktura mangler [#1]' }).click();
    await see(heading('Faktura mangler'));
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await see(page.getByText('Status set to Resolved'));
    expect((await ticket(olaTicketId)).status).toBe('resolved');

    // Resolved tickets leave the Unresolved list and show under All.
    await nav('Unresolved').click();
    await see(page.getByText('No unresolved tickets. Well done!'));
    await nav('All').click();
    await see(row('Faktura mangler').getByText('Resolved', { exact: true }));
  });

  it('creates a team and routes an organization’s new tickets to an agent', async () => {
    await adminNav('Teams');
    await see(heading('Teams'));
    await page.getByRole('textbox', { name: 'Name' }).fill('Billing');
    await page.getByRole('combobox', { name: 'Members' }).click();
    await page.getByRole('option', { name: 'Per Hansen' }).click();
    await page.getByRole('button', { name: 'Create team' }).click();
    await see(row('Billing').getByText('Per Hansen'));

    const organizations = await api.get('/api/v1/organizations?q=firma.no');
    const firma = ((await organizations.json()) as { items: { id: string }[] }).items[0];
    await page.goto(`/organizations/${firma?.id ?? ''}`);
    await see(heading('firma.no'));
    const routing = page.getByRole('region', { name: 'Routing' });
    await see(routing.getByText('No routing rules.', { exact: false }));
    await routing.getByRole('combobox', { name: 'Route tickets to' }).click();
    await page.getByRole('option', { name: 'Per Hansen' }).click();
    await routing.getByRole('button', { name: 'Add rule' }).click();
    await see(routing.getByText('Assign to agent Per Hansen'));

    const routedId = await receiveEmail(
      'Kari Berg <kari.berg@firma.no>',
      'Ny adresse',
      'Vi har flyttet. Ny adresse: Storgata 1, 0155 Oslo.',
    );
    expect((await ticket(routedId)).assigneeId).toBe(per.id);
    await nav('Unresolved').click();
    await see(row('Ny adresse').getByText('Per Hansen'));

    // The ticket page shows the assignee, and the team can be set beside it.
    await row('Ny adresse').getByRole('link', { name: 'Ny adresse' }).click();
    await see(heading('Ny adresse'));
    expect(await page.getByRole('combobox', { name: 'Assignee' }).inputValue()).toBe('Per Hansen');
    await page.getByRole('combobox', { name: 'Team' }).click();
    await page.getByRole('option', { name: 'Billing' }).click();
    await see(page.getByText('Ticket updated'));
    const teams = (await (await api.get('/api/v1/teams')).json()) as { items: { id: string }[] };
    expect((await ticket(routedId)).teamId).toBe(teams.items[0]?.id);
  });

  it('creates a ticket for a new requester known only by a mobile number', async () => {
    await nav('Unresolved').click();
    await page.getByRole('button', { name: 'New ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByRole('button', { name: 'Create ticket' }).click();
    await see(dialog.getByText('Enter an email address or a mobile number'));
    await dialog.getByRole('textbox', { name: 'Mobile number' }).fill('912 34 567');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Siri Dahl');
    await dialog.getByRole('textbox', { name: 'Subject' }).fill('Ringte om strømbrudd');
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Kunden ringte om strømbrudd.');
    await dialog.getByRole('button', { name: 'Create ticket' }).click();
    await seeNo(dialog);
    await see(heading('Ringte om strømbrudd'));
    await see(page.getByText('This customer has no email address', { exact: false }));
    const initials = page.getByRole('button', { name: /^SD Siri Dahl .*: show customer$/ });
    expect(await initials.locator('.mantine-Avatar-root').innerText()).toBe('SD');
    // The widget shows the number as written in Norway, and dials E.164.
    await initials.click();
    const phone = page.getByRole('dialog').getByRole('link', { name: '912 34 567' });
    expect(await phone.getAttribute('href')).toBe('tel:+4791234567');
    await page.keyboard.press('Escape');
  });

  it('speaks Norwegian: Saker, Ny sak, statuses and the Utboks', async () => {
    await api.patch('/api/v1/me', { data: { locale: 'nb' } });
    await page.evaluate(() => localStorage.setItem('kunde.locale', 'nb'));
    await page.goto('/tickets?status=all');
    await see(heading('Alle saker'));
    await see(page.getByRole('button', { name: 'Ny sak' }));
    await see(row('Faktura mangler').getByText('Løst', { exact: true }));
    await see(row('Ny adresse').getByText('Åpen', { exact: true }));
    await see(page.getByRole('tab', { name: 'Venter' }));
    await followMenuLink(page, 'Administrasjon', 'Utboks');
    await see(heading('Utboks'));
    await see(row('ola@firma.no').getByText('Holdt tilbake'));
  });
});
