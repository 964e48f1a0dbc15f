// Issue 16 point 4 in the browser, in English and Norwegian: Administration → Account saves the
// account's language, support addresses and what a plain Send does to a ticket's status (a reply
// sent with it sets Pending), and makes an SMS webhook secret shown once; the
// profile changes the password (the current one required) and the agent logs in with the new
// one; an API token made on the profile works against the API until it is revoked; "Forgot
// password" mails a link through a real SMTP conversation (smtp-server) that sets a new
// password; and unknown addresses and customers show a not-found page with a way back.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/test/server.ts';
import {
  ensureWebBuild,
  followMenuLink,
  launchChromium,
  screenshotOnFailure,
  see,
  seeNo,
} from './browser.ts';

const ADMIN = { email: 'astrid@example.com', password: 'correct horse battery' };
const KARI = { email: 'kari@example.com', password: 'kari sitt passord' };

describe('web console: account settings, profile, forgot password, not found', () => {
  let server: TestServer;
  let browser: Browser;
  let sink: SMTPServer;
  let accountId: string;
  const received: ParsedMail[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
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
    server = await startTestServer({
      dialect: 'sqlite',
      neighbour: false,
      smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    });
    browser = await launchChromium();
    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: 'Astrid Admin',
      ...ADMIN,
    }));
    await server.services.agents.createUser(accountId, {
      name: 'Kari Nordmann',
      ...KARI,
      locale: 'nb',
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  async function newPage(locale: 'en-US' | 'nb-NO') {
    const context = await browser.newContext({
      locale,
      baseURL: server.url,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    pages.push(page);
    return page;
  }

  async function logIn(page: Page, who: { email: string; password: string }, nb = false) {
    await page.goto('/login');
    await page.getByRole('textbox', { name: nb ? 'E-post' : 'Email' }).fill(who.email);
    await page.getByRole('textbox', { name: nb ? 'Passord' : 'Password' }).fill(who.password);
    await page.getByRole('button', { name: nb ? 'Logg inn' : 'Log in' }).click();
    await see(page.getByRole('heading', { name: nb ? 'Aktive kunder' : 'Active customers' }));
  }

  async function failing(page: Page, name: string, body: () => Promise<void>) {
    try {
      await body();
    } catch (error) {
      await screenshotOnFailure(page, name);
      throw error;
    }
  }

  it('saves the account settings and shows a new SMS webhook secret once (English)', async () => {
    const page = await newPage('en-US');
    await failing(page, 'account settings', async () => {
      await logIn(page, ADMIN);
      await followMenuLink(page, 'Administration', 'Account');
      await see(page.getByRole('heading', { name: 'Account settings', level: 1 }));
      await see(page.getByText('Phone numbers without a country code are read as Norway (NO).'));

      await page.getByRole('combobox', { name: 'Account language' }).click();
      await page.getByRole('option', { name: 'Norsk bokmål' }).click();
      const addresses = page.getByLabel('Support addresses').first();
      await addresses.fill('hjelp@fjordhjelp.no');
      await addresses.press('Enter');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await see(page.getByText('Changes saved'));
      const settings = await server.services.settings.get(accountId);
      expect(settings.defaultLocale).toBe('nb');
      expect(settings.supportAddresses).toEqual(['hjelp@fjordhjelp.no']);
      await page.reload();
      await see(page.getByText('hjelp@fjordhjelp.no'));

      const sms = page.locator('[data-webhook-secret="sms-webhook"]');
      await see(sms.getByText('No secret yet'));
      await sms.getByRole('button', { name: 'Create secret for SMS webhook' }).click();
      const secret = await page.getByTestId('shown-once-secret').textContent();
      expect(secret).toMatch(/^.+\..+$/);
      await page.getByRole('dialog').getByRole('button', { name: 'I have copied it' }).click();
      await see(sms.getByText(/^Created /));
      // The secret is what the SMS webhook takes: a wrong one is refused, this one is not.
      const post = (value: string) =>
        fetch(`${server.url}/api/v1/inbound/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${value}` },
          body: JSON.stringify({ from: '+4798765432', body: 'Hei fra SMS' }),
        });
      expect((await post('wrong.secret')).status).toBe(401);
      const received = await post(secret ?? '');
      expect(received.status).toBe(201);
      const { ticketId } = (await received.json()) as { ticketId: string };

      // What a plain Send does to the status: set here, done by the reply box's Send.
      await page.getByRole('combobox', { name: "What Send does to the ticket's status" }).click();
      await page.getByRole('option', { name: 'Set it to Pending' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await see(page.getByText('Changes saved'));
      expect((await server.services.settings.get(accountId)).replyStatus).toBe('pending');
      await page.goto(`/tickets/${ticketId}`);
      await page.getByRole('textbox', { name: 'Reply to the customer' }).fill('Vi ringer deg.');
      await page.getByRole('button', { name: 'Send and set to Pending', exact: true }).click();
      await see(page.getByText(/; status set to Pending$/));
      const ticket = await page.request.get(`/api/v1/tickets/${ticketId}`);
      expect(((await ticket.json()) as { status: string }).status).toBe('pending');
    });
  }, 120_000);

  it('changes the password on the profile and logs in with it; a token works until revoked (English)', async () => {
    const page = await newPage('en-US');
    await failing(page, 'profile', async () => {
      await logIn(page, ADMIN);
      await page.getByRole('button', { name: 'Astrid Admin' }).click();
      await page.getByRole('menuitem', { name: 'Your profile' }).click();
      await see(page.getByRole('heading', { name: 'Your profile', level: 1 }));

      const form = page.getByRole('form', { name: 'Password' });
      await form.getByLabel('Current password').fill('not the password');
      await form.getByLabel('New password', { exact: true }).fill('a much newer password');
      await form.getByLabel('Repeat the new password').fill('a much newer password');
      await form.getByRole('button', { name: 'Change password' }).click();
      await see(form.getByText('Not your current password'));
      await form.getByLabel('Current password').fill(ADMIN.password);
      await form.getByRole('button', { name: 'Change password' }).click();
      await see(page.getByText('Your password is changed.'));

      await page.getByRole('textbox', { name: 'Name' }).fill('Nightly sync');
      await page.getByRole('button', { name: 'Create token' }).click();
      const token = (await page.getByTestId('shown-once-secret').textContent()) ?? '';
      await page.getByRole('dialog').getByRole('button', { name: 'I have copied it' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Nightly sync' });
      await see(row.getByText('Never'));
      const use = () =>
        fetch(`${server.url}/api/v1/customers`, { headers: { authorization: `Bearer ${token}` } });
      expect((await use()).status).toBe(200);
      await page.reload();
      await seeNo(row.getByText('Never'));

      await row.getByRole('button', { name: 'Revoke Nightly sync' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await see(page.getByText('You have no API tokens.'));
      server.services.agents.forgetAccount(accountId);
      expect((await use()).status).toBe(401);

      await page.getByRole('button', { name: 'Astrid Admin' }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      await see(page.getByRole('heading', { name: 'Log in to Kunde' }));
      await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await see(page.getByText('Wrong email or password'));
      // The new password logs in (and the console goes back to the page it was logged out of).
      ADMIN.password = 'a much newer password';
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await see(page.getByRole('button', { name: 'Astrid Admin' }));
    });
  }, 120_000);

  it('sends a forgotten password link by email and sets a new password with it (Norwegian)', async () => {
    const page = await newPage('nb-NO');
    await failing(page, 'forgot password', async () => {
      await page.goto('/login');
      await page.getByRole('link', { name: 'Glemt passordet?' }).click();
      await see(page.getByRole('heading', { name: 'Glemt passordet?', level: 1 }));
      // An unknown address gets the same answer as a real one.
      await page.getByRole('textbox', { name: 'E-post' }).fill('ingen@example.com');
      await page.getByRole('button', { name: 'Send meg en lenke' }).click();
      await see(page.getByText(/^Hvis ingen@example.com tilhører en agent/));
      await page.getByRole('link', { name: 'Tilbake til innlogging' }).click();
      await page.getByRole('link', { name: 'Glemt passordet?' }).click();
      await page.getByRole('textbox', { name: 'E-post' }).fill(KARI.email);
      await page.getByRole('button', { name: 'Send meg en lenke' }).click();
      await see(page.getByText(/^Hvis kari@example.com tilhører en agent/));

      await server.services.worker.drain();
      const mails = received.filter(
        (m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === KARI.email,
      );
      expect(mails).toHaveLength(1);
      expect(received.some((m) => JSON.stringify(m.to).includes('ingen@example.com'))).toBe(false);
      expect(mails[0]?.subject).toBe('Velg et nytt Kunde-passord for Fjordhjelp');
      const link = /(http\S+\/set-password#\S+)/.exec(mails[0]?.text ?? '')?.[1] ?? '';
      const path = link.replace(/^https?:\/\/[^/]+/, '');
      expect(path).toMatch(/^\/set-password#/);

      await page.goto(path);
      await page.getByLabel('Nytt passord').fill('kari sitt nye passord');
      await page.getByLabel('Gjenta passordet').fill('kari sitt nye passord');
      await page.getByRole('button', { name: 'Lagre passord' }).click();
      await see(page.getByText('Passordet er lagret. Logg inn med det nå.'));
      // Once: the same link again is refused.
      await page.goto('/customers');
      await page.goto(path);
      await see(page.getByText(/Denne lenken er allerede brukt/));
      KARI.password = 'kari sitt nye passord';
      await logIn(page, KARI, true);
    });
  }, 120_000);

  it('shows a Norwegian agent a token made and revoked on the profile (Norwegian)', async () => {
    const page = await newPage('nb-NO');
    await failing(page, 'profile nb', async () => {
      await logIn(page, KARI, true);
      await page.goto('/profile');
      await see(page.getByRole('heading', { name: 'Profilen din', level: 1 }));
      await page.getByRole('textbox', { name: 'Navn' }).fill('Rapport');
      await page.getByRole('button', { name: 'Lag nøkkel' }).click();
      await see(page.getByText('Kopier den nå'));
      const token = (await page.getByTestId('shown-once-secret').textContent()) ?? '';
      await page.getByRole('dialog').getByRole('button', { name: 'Jeg har kopiert den' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Rapport' });
      await see(row.getByText('Aldri'));
      const use = () =>
        fetch(`${server.url}/api/v1/customers`, { headers: { authorization: `Bearer ${token}` } });
      expect((await use()).status).toBe(200);
      await row.getByRole('button', { name: 'Trekk tilbake Rapport' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Trekk tilbake' }).click();
      await see(page.getByText('Du har ingen API-nøkler.'));
      server.services.agents.forgetAccount(accountId);
      expect((await use()).status).toBe(401);
    });
  }, 120_000);

  it('shows a not-found page for an unknown address and a customer that does not exist', async () => {
    const nb = await newPage('nb-NO');
    await failing(nb, 'not found nb', async () => {
      await logIn(nb, KARI, true);
      await nb.goto('/customers/not-an-id');
      await see(nb.getByRole('heading', { name: 'Denne kunden finnes ikke', level: 1 }));
      await seeNo(nb.getByText('not a valid id'));
      await nb.getByRole('link', { name: 'Tilbake til kunder' }).click();
      await see(nb.getByRole('heading', { name: 'Aktive kunder' }));
      await nb.goto('/finnes-ikke');
      await see(nb.getByRole('heading', { name: 'Denne siden finnes ikke', level: 1 }));
    });
    const en = await newPage('en-US');
    await failing(en, 'not found en', async () => {
      await logIn(en, ADMIN);
      await en.goto('/customers/0b7f4a9e-5c1d-4e2a-9f3b-8d6c5a4b3e21');
      await see(en.getByRole('heading', { name: 'This customer does not exist', level: 1 }));
      await en.goto('/tickets/nonsense');
      await see(en.getByRole('heading', { name: 'This ticket does not exist', level: 1 }));
      await en.goto('/no/such/page');
      await see(en.getByRole('heading', { name: 'This page does not exist', level: 1 }));
      await en.getByRole('link', { name: 'Go to customers' }).click();
      await see(en.getByRole('heading', { name: 'Active customers' }));
    });
    // The API keeps its answers: 404 for no such customer, a refusal naming the id for a bad one.
    const { token } = await server.services.agents.createTokenForEmail(ADMIN.email, 'check');
    const get = (id: string) =>
      fetch(`${server.url}/api/v1/customers/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await get('0b7f4a9e-5c1d-4e2a-9f3b-8d6c5a4b3e21')).status).toBe(404);
    expect([400, 422]).toContain((await get('not-an-id')).status);
  }, 120_000);
});
