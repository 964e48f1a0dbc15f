// Honest delivery in a real browser (issue 16 point 3), against a real server whose outbound mail
// goes to a real SMTP server in the test (which refuses one mailbox with a 550): a reply shows
// "queued" and the toast says so, then "sent" once the mail server took it, without a reload;
// plain Send keeps the ticket open; a refused reply shows the server's reason; the Outbox
// releases a held email (it is then sent), and discards one only after asking. The Send button
// is not covered by the requester bar at 1280×720 and 1440×900 (elementFromPoint at its
// centre). Then the same in Norwegian.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TicketWithMessages } from '../common/ticket.ts';
import { queueEmail } from '../server/mail/outbox.ts';
import {
  followMenuLink,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

/** Whether the element under the centre of `name`'s button is that button (or inside it). */
async function clickableAtCentre(page: Page, name: string | RegExp): Promise<boolean> {
  const button = page.getByRole('button', { name, exact: true });
  return button.evaluate((element) => {
    // As an agent scrolls: just until the button's foot shows at the screen's foot, where the
    // requester bar is (scrollIntoViewIfNeeded would centre it and hide the fault).
    element.scrollIntoView({ block: 'end' });
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && element.contains(hit);
  });
}

describe('web console: honest delivery', () => {
  let session: ConsoleSession;
  let page: Page;
  let sink: SMTPServer;
  let token: string;
  let accountId: string;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody'))
          callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
        else callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      },
    });
    sink.listen(0, '127.0.0.1');
    await once(sink.server, 'listening');
    const port = (sink.server.address() as AddressInfo).port;
    session = await startConsole(
      { width: 1280, height: 720 },
      { smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` },
    );
    page = session.page;
    const api = session.context.request;
    const setup = await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } });
    expect(setup.status()).toBe(201);
    accountId = ((await setup.json()) as { account: { id: string } }).account.id;
    const created = await api.post('/api/v1/tokens', { data: { name: 'mail webhook' } });
    token = ((await created.json()) as { token: string }).token;
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  async function receiveEmail(from: string, subject: string): Promise<string> {
    const raw = [
      `From: ${from}`,
      'To: support@acme.example',
      `Subject: ${subject}`,
      `Message-ID: <${Math.random().toString(36).slice(2)}@mail.firma.no>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hei, hjelp meg.',
      '',
    ].join('\r\n');
    const response = await fetch(`${session.server.url}/api/v1/inbound/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` },
      body: raw,
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { ticketId: string }).ticketId;
  }
  const ticket = async (id: string) =>
    (await (
      await session.context.request.get(`/api/v1/tickets/${id}`)
    ).json()) as TicketWithMessages;
  const reply = (text: string) =>
    page
      .getByRole('article', { name: /^(Reply from|Svar fra) Kari Agent$/ })
      .filter({ hasText: text });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });

  async function sendReply(label: string, text: string, send: string) {
    await page.getByRole('textbox', { name: label }).fill(text);
    expect(await clickableAtCentre(page, send)).toBe(true);
    await page.getByRole('button', { name: send, exact: true }).click();
    await see(reply(text));
  }

  it('shows a reply queued, then sent; keeps the status; the Send button is never covered', async () => {
    const id = await receiveEmail('"Nordmann, Ola" <ola@firma.no>', 'Faktura mangler');
    await page.goto(`/tickets/${id}`);
    await see(page.getByRole('heading', { name: 'Faktura mangler', level: 1 }));
    await see(page.getByText('Emailed to ola@firma.no'));
    // Not covered by the requester bar, at both sizes, with the reply box at the screen's foot.
    await page.getByRole('textbox', { name: 'Reply to the customer' }).fill('x\n'.repeat(12));
    expect(await clickableAtCentre(page, 'Send')).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await clickableAtCentre(page, 'Send')).toBe(true);
    await page.setViewportSize({ width: 1280, height: 720 });

    await sendReply('Reply to the customer', 'Vi sender fakturaen på nytt.', 'Send');
    await see(page.getByText('Reply queued for sending', { exact: true }));
    const sentReply = reply('Vi sender fakturaen på nytt.');
    await see(sentReply.getByRole('status', { name: 'Delivery: Queued for sending' }));
    // Plain Send keeps the status (it used to set Pending behind the agent's back).
    expect((await ticket(id)).status).toBe('open');

    await session.server.services.worker.drain();
    // The page polls while a reply is queued: "Sent" shows without a reload.
    await see(sentReply.getByRole('status', { name: /^Delivery: Sent / }));
    expect(received.some((m) => m.text?.includes('Vi sender fakturaen på nytt.'))).toBe(true);

    // Sending and setting a status is the agent's explicit choice.
    await page.getByRole('textbox', { name: 'Reply to the customer' }).fill('Venter på deg.');
    await page.getByRole('button', { name: 'More ways to send' }).click();
    await page.getByRole('menuitem', { name: 'Send and set to Pending' }).click();
    await see(page.getByText('Reply queued for sending; status set to Pending', { exact: true }));
    expect((await ticket(id)).status).toBe('pending');
  });

  it('shows the mail server’s refusal on the reply, and the Outbox retries or discards it after asking', async () => {
    const id = await receiveEmail('Nobody <nobody@firma.no>', 'Ukjent mottaker');
    await page.goto(`/tickets/${id}`);
    await sendReply('Reply to the customer', 'Kommer dette fram?', 'Send');
    await session.server.services.worker.drain();
    await see(
      reply('Kommer dette fram?').getByRole('status', {
        name: /^Delivery: Not delivered: .*550.*No such mailbox/,
      }),
    );

    await followMenuLink(page, 'Administration', 'Outbox');
    const email = row('nobody@firma.no');
    await see(email.getByText('Failed', { exact: true }));
    await email.getByRole('button', { name: 'Retry' }).click();
    await see(page.getByText('Email queued for a new attempt'));
    await see(email.getByText('Retried by Kari Agent', { exact: false }));
    await see(email.getByText('Queued', { exact: true }));
    await session.server.services.worker.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await see(email.getByText('Failed', { exact: true }));

    await email.getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this email?' });
    await see(dialog.getByText('will never be sent', { exact: false }));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await seeNo(dialog);
    await see(email.getByText('Failed', { exact: true }));
    await email.getByRole('button', { name: 'Discard' }).click();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await see(page.getByText('Email discarded: it will not be sent'));
    await see(email.getByText('Discarded', { exact: true }));
    await see(email.getByText('Discarded by Kari Agent', { exact: false }));
    expect((await ticket(id)).messages.at(-1)?.delivery?.status).toBe('discarded');
  });

  it('releases an email held before SMTP_URL was set, and it is sent', async () => {
    const id = await receiveEmail('Per Hansen <per@firma.no>', 'Holdt e-post');
    // Written by a node that had no SMTP_URL: held, with its reason.
    const heldId = await queueEmail(
      session.server.services.db.kysely,
      accountId,
      {
        ticketId: id,
        to: 'per@firma.no',
        from: 'support@acme.example',
        subject: 'Re: Holdt e-post',
        text: 'Dette ble holdt tilbake.',
        messageId: `<held-${Date.now()}@acme.example>`,
      },
      false,
    );
    await page.goto('/admin/outbox');
    const email = page.locator(`tr[data-outbox="${heldId}"]`);
    await see(email.getByText('Held', { exact: true }));
    await see(email.getByText('Held: no outgoing mail server (SMTP_URL) is configured'));
    await email.getByRole('button', { name: 'Release' }).click();
    await see(page.getByText('Email released: queued for sending'));
    await see(email.getByText('Released by Kari Agent', { exact: false }));
    await session.server.services.worker.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await see(email.getByText('Sent', { exact: true }));
    expect(received.some((m) => m.text?.includes('Dette ble holdt tilbake.'))).toBe(true);
  });

  it('says it all in Norwegian', async () => {
    await session.context.request.patch('/api/v1/me', { data: { locale: 'nb' } });
    await page.evaluate(() => localStorage.setItem('kunde.locale', 'nb'));
    const id = await receiveEmail('Siri Dahl <siri@firma.no>', 'Strømbrudd');
    await page.goto(`/tickets/${id}`);
    await see(page.getByRole('heading', { name: 'Strømbrudd', level: 1 }));
    await sendReply('Svar kunden', 'Vi ser på strømbruddet.', 'Send');
    await see(page.getByText('Svaret ligger i kø for sending', { exact: true }));
    const sent = reply('Vi ser på strømbruddet.');
    await see(sent.getByRole('status', { name: 'Levering: I kø for sending' }));
    await session.server.services.worker.drain();
    await see(sent.getByRole('status', { name: /^Levering: Sendt / }));
    expect((await ticket(id)).status).toBe('open');

    const heldId = await queueEmail(
      session.server.services.db.kysely,
      accountId,
      {
        ticketId: id,
        to: 'siri@firma.no',
        from: 'support@acme.example',
        subject: 'Re: Strømbrudd',
        text: 'Holdt tilbake på norsk.',
        messageId: `<held-nb-${Date.now()}@acme.example>`,
      },
      false,
    );
    await followMenuLink(page, 'Administrasjon', 'Utboks');
    await see(page.getByRole('heading', { name: 'Utboks', level: 1 }));
    const email = page.locator(`tr[data-outbox="${heldId}"]`);
    await see(email.getByText('Holdt tilbake', { exact: true }));
    await see(
      email.getByText('Holdt tilbake: ingen server for utgående e-post (SMTP_URL) er satt opp'),
    );
    await see(email.getByRole('button', { name: 'Frigi' }));
    await email.getByRole('button', { name: 'Forkast' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forkaste denne e-posten?' });
    await see(dialog.getByText('blir aldri sendt', { exact: false }));
    await dialog.getByRole('button', { name: 'Forkast' }).click();
    await see(page.getByText('E-posten er forkastet og blir ikke sendt'));
    await see(email.getByText('Forkastet', { exact: true }));
    await see(email.getByText('Forkastet av Kari Agent', { exact: false }));
  });
});
