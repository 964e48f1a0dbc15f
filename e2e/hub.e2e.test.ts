// The Customer Hub in Chromium (issue 14, item 7): a person registers and confirms their address
// from the emailed link, sets a password, raises a ticket with an attachment and sees the agent's
// reply (posted through the agent API); signs in again with the password and with an emailed
// link; sees their organization's tickets once an agent grants them; switches to Norwegian, which
// follows them to another browser; and, with their access switched off, sees only the support
// department's contact details. At phone width (375 × 740) no page runs wider than the screen.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ATTACHMENT_MAX_BYTES } from '../common/hub.ts';
import { startTestServer, type TestServer } from '../server/test/server.ts';
import {
  ensureWebBuild,
  launchChromium,
  ROOT,
  screenshotOnFailure,
  see,
  seeNo,
} from './browser.ts';

const ADMIN = { email: 'anne@fjordhjelp.no', password: 'correct horse battery' };
const KARI = { name: 'Kari Nordmann', email: 'kari@acme.no', password: 'karis own hub password' };
const SLUG = 'fjordhjelp';
/** Each step drives several pages on a 2-core CI machine shared with the server tests. */
const TEST_TIMEOUT = 120_000;
const SUPPORT = {
  message: {
    en: 'Your access is paused. Call us and we will sort it out.',
    nb: 'Tilgangen din er satt på pause. Ring oss, så ordner vi det.',
  },
  email: 'support@fjordhjelp.no',
  phone: '+47 22 33 44 55',
};

// On the embedded default, like every browser test: the Hub's queries on both engines are the
// HTTP tests' (server/hub/*.http.test.ts, the access matrix); a second browser pass cost CI
// minutes and found nothing they do not.
describe.each(['sqlite' as const])('Customer Hub in the browser (%s)', (dialect) => {
  // Her password changes on the way (a reset link); each engine starts from the first one.
  const kari = { ...KARI };
  let server: TestServer;
  let browser: Browser;
  let accountId: string;
  let token: string;
  let acmeId: string;
  let kariId: string;
  let ticketId: string;
  const contexts: BrowserContext[] = [];

  async function agentApi<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * The newest Hub link of this kind mailed to `to` (waits for the outbox row), on this test's
   * server. Every mail since `after` is searched, not only the newest: an earlier step's mail (the
   * agent's reply, a notification) can be queued after this step asked for its link.
   */
  async function mailedLink(to: string, kind: 'link' | 'password', after: string) {
    const deadline = Date.now() + 30_000;
    const pattern = new RegExp(`https?://\\S+/hub/${SLUG}/${kind}\\?token=[^\\s>)]+`);
    for (;;) {
      const mails = await server.services.db.kysely
        .selectFrom('outbox')
        .select(['body_text', 'created_at'])
        .where('account_id', '=', accountId)
        .where('to_address', '=', to)
        .where('created_at', '>', after)
        .orderBy('created_at', 'desc')
        .execute();
      const link = mails.map((mail) => pattern.exec(mail.body_text)?.[0]).find(Boolean);
      if (link) return link.replace(/^https?:\/\/[^/]+/, server.url);
      if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} after ${after}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function newPage(viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', baseURL: server.url, viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function signInWithPassword(page: Page, email: string, password: string) {
    await page.goto(`/hub/${SLUG}`);
    await page.getByRole('textbox', { name: /^(Email|E-post)$/ }).fill(email);
    await page.getByLabel(/^(Password|Passord)$/).fill(password);
    await page.getByRole('button', { name: /^(Sign in|Logg inn)$/ }).click();
  }

  const now = () => new Date(Date.now() - 1000).toISOString();

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startTestServer({ dialect });
    browser = await launchChromium();
    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: 'Anne Admin',
      ...ADMIN,
    }));
    ({ token } = await server.services.agents.createTokenForEmail(ADMIN.email, 'hub e2e'));
    await agentApi('PATCH', '/api/v1/settings/hub', {
      enabled: true,
      slug: SLUG,
      passwordSignIn: true,
      linkSignIn: true,
      selfRegistration: true,
      registrationDomains: [],
      supportContact: SUPPORT,
    });
    ({ id: acmeId } = await agentApi<{ id: string }>('POST', '/api/v1/organizations', {
      name: 'Acme AS',
      domains: ['acme.no'],
    }));
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.services.worker.stop();
    await server?.close();
  }, TEST_TIMEOUT);

  it(
    'registers, confirms from the email, sets a password and lands on My tickets',
    async () => {
      const page = await newPage();
      try {
        const since = now();
        // Plain /hub is the installation's one Hub.
        await page.goto('/hub');
        await page.waitForURL(`**/hub/${SLUG}`);
        await see(page.getByText('Fjordhjelp').first());
        await page.getByRole('link', { name: 'Register' }).click();
        await page.getByRole('textbox', { name: 'Your name' }).fill(kari.name);
        await page.getByRole('textbox', { name: 'Email' }).fill(kari.email);
        await page.getByRole('button', { name: 'Register' }).click();
        await see(page.getByText(`we sent a link to ${kari.email}`));

        // Nothing exists until the address is confirmed.
        const before = await agentApi<{ items: unknown[] }>(
          'GET',
          `/api/v1/customers?q=${kari.email}`,
        );
        expect(before.items).toHaveLength(0);

        await page.goto(await mailedLink(kari.email, 'link', since));
        await see(page.getByText(`Welcome, ${kari.name}. You are signed in.`));
        await page.getByLabel('New password').fill(kari.password);
        await page.getByLabel('Repeat the password').fill(kari.password);
        await page.getByRole('button', { name: 'Set password' }).click();
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await see(page.getByText('No tickets here yet.'));

        const after = await agentApi<{
          items: { id: string; createdVia: string; organizationId: string | null }[];
        }>('GET', `/api/v1/customers?q=${kari.email}`);
        expect(after.items).toHaveLength(1);
        expect(after.items[0]).toMatchObject({ createdVia: 'hub', organizationId: acmeId });
        kariId = after.items[0]!.id;
      } catch (error) {
        await screenshotOnFailure(page, 'hub register');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'raises a ticket with an attachment and sees the agent reply',
    async () => {
      const page = await newPage();
      try {
        await signInWithPassword(page, kari.email, kari.password);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await page.getByRole('link', { name: 'New ticket' }).first().click();
        await see(page.getByText('Up to 5 files, 10 MB each.'));
        await page.getByRole('textbox', { name: 'Subject' }).fill('The printer in room 4 jams');
        await page.getByRole('textbox', { name: 'Message' }).fill('It jams on every second page.');

        // Over the size limit: refused here, naming the file, before anything is sent.
        const fileInput = page.locator('input[type="file"]');
        await fileInput.setInputFiles({
          name: 'huge-scan.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.alloc(HUB_ATTACHMENT_MAX_BYTES + 1, 1),
        });
        await page.getByRole('button', { name: 'Send' }).click();
        await see(page.getByText('huge-scan.pdf is larger than 10 MB.'));
        expect(page.url()).toMatch(/\/tickets\/new$/);

        await fileInput.setInputFiles({
          name: 'jam-photo.png',
          mimeType: 'image/png',
          buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
        });
        await page.getByRole('button', { name: 'Send' }).click();
        await see(page.getByRole('heading', { name: 'The printer in room 4 jams', level: 1 }));
        await see(page.getByRole('link', { name: 'jam-photo.png' }));
        ticketId = /\/tickets\/([^/?#]+)$/.exec(page.url())?.[1] ?? '';
        expect(ticketId).not.toBe('');

        // A follow-up with a file of its own.
        await page.getByRole('textbox', { name: 'Your reply' }).fill('It also smells of toner.');
        await page.locator('input[type="file"]').setInputFiles({
          name: 'toner-note.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('Toner is everywhere.\n'),
        });
        await page.getByRole('button', { name: 'Send reply' }).click();
        await see(page.getByText('Your reply is sent.'));
        const followUp = page
          .getByRole('article', { name: 'You' })
          .filter({ hasText: 'It also smells of toner.' });
        await see(followUp.getByRole('link', { name: 'toner-note.txt' }));
        // What was sent is what comes back.
        const href = await followUp
          .getByRole('link', { name: 'toner-note.txt' })
          .getAttribute('href');
        const download = await page.request.get(href ?? '');
        expect(await download.text()).toBe('Toner is everywhere.\n');

        const since = now();
        await agentApi('POST', `/api/v1/tickets/${ticketId}/messages`, {
          text: 'We have ordered a new roller. Anne',
          status: 'pending',
        });
        await page.reload();
        const reply = page.getByRole('article', { name: 'Anne Admin' });
        await see(reply.getByText('We have ordered a new roller. Anne'));
        await see(reply.getByText('Support'));
        // The reply is emailed as well, as for every ticket.
        const mailed = await server.services.db.kysely
          .selectFrom('outbox')
          .select('body_text')
          .where('account_id', '=', accountId)
          .where('to_address', '=', kari.email)
          .where('created_at', '>', since)
          .execute();
        expect(mailed.some((mail) => mail.body_text.includes('ordered a new roller'))).toBe(true);

        // The list shows it (the agent's reply set it pending); the customer marks it resolved.
        await page.getByRole('link', { name: 'My tickets' }).click();
        const row = page.getByRole('row').filter({ hasText: 'The printer in room 4 jams' });
        await see(row.getByText('Pending'));
        await row.getByRole('link').click();
        await page.getByRole('button', { name: 'Mark as resolved' }).click();
        await see(page.getByText('Resolved', { exact: true }).first());
        await seeNo(page.getByRole('button', { name: 'Mark as resolved' }));
      } catch (error) {
        await screenshotOnFailure(page, 'hub ticket');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'signs in with an emailed link, signs out, and sets a new password from a reset link',
    async () => {
      const page = await newPage();
      try {
        const since = now();
        await page.goto(`/hub/${SLUG}`);
        await page.getByRole('textbox', { name: 'Email' }).fill(kari.email);
        await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
        await see(page.getByText(`If ${kari.email} belongs to a customer of Fjordhjelp`));
        const link = await mailedLink(kari.email, 'link', since);
        await page.goto(link);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await see(page.getByRole('link', { name: 'The printer in room 4 jams' }));

        await page.getByRole('button', { name: 'Sign out' }).click();
        await see(page.getByRole('heading', { name: 'Sign in', level: 1 }));
        await page.goto(`/hub/${SLUG}/tickets`);
        await see(page.getByRole('heading', { name: 'Sign in', level: 1 }));
        // The link worked once.
        await page.goto(link);
        await see(page.getByText('This link is not valid any more'));

        // Forgot password: a set-password link by email, and signed in with the new password.
        const resetSince = now();
        await page.goto(`/hub/${SLUG}`);
        await page.getByRole('link', { name: 'Forgot password?' }).click();
        // The sign-in page has an Email field too: fill the one on the page the link opened
        // (filled before it rendered, the request went out empty: a CI failure under load).
        await see(page.getByRole('heading', { name: 'Forgot your password?', level: 1 }));
        await page.getByRole('textbox', { name: 'Email' }).fill(kari.email);
        await page.getByRole('button', { name: 'Email me a link' }).click();
        await see(page.getByText(`If ${kari.email} belongs to a customer of Fjordhjelp`));
        await page.goto(await mailedLink(kari.email, 'password', resetSince));
        await see(page.getByRole('heading', { name: 'Set a password', level: 1 }));
        await page.getByLabel('New password').fill('short');
        await page.getByLabel('Repeat the password').fill('short');
        await page.getByRole('button', { name: 'Set password' }).click();
        await see(page.getByText('Too short: at least 12 characters.'));
        expect(page.url()).toMatch(/\/password\?token=/);
        kari.password = 'karis second hub password';
        await page.getByLabel('New password').fill(kari.password);
        await page.getByLabel('Repeat the password').fill(kari.password);
        await page.getByRole('button', { name: 'Set password' }).click();
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
      } catch (error) {
        await screenshotOnFailure(page, 'hub link');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "shows the organization's tickets once an agent grants them",
    async () => {
      const page = await newPage();
      try {
        await agentApi('POST', '/api/v1/tickets', {
          subject: 'Invoice 2291 is wrong',
          message: 'The VAT line is doubled.',
          requester: { email: 'ola@acme.no', name: 'Ola Hansen' },
        });
        await signInWithPassword(page, kari.email, kari.password);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await seeNo(page.getByRole('tab', { name: 'Organization tickets' }));
        await seeNo(page.getByText('Invoice 2291 is wrong'));

        await agentApi('PUT', `/api/v1/customers/${kariId}/hub/organizations`, {
          organizationIds: [acmeId],
        });
        await page.reload();
        await page.getByRole('tab', { name: 'Organization tickets' }).click();
        const row = page.getByRole('row').filter({ hasText: 'Invoice 2291 is wrong' });
        await see(row.getByText('Ola Hansen'));
        await see(row.getByText('Open'));
        // Search and status filter narrow the list.
        await page.getByRole('searchbox', { name: 'Search' }).fill('printer');
        await see(page.getByRole('row').filter({ hasText: 'The printer in room 4 jams' }));
        await seeNo(row);
        await page.getByRole('searchbox', { name: 'Search' }).fill('');
        await see(row);
        await page.getByRole('combobox', { name: 'Status' }).click();
        await page.getByRole('option', { name: 'Resolved' }).click();
        await seeNo(row);
        await see(page.getByRole('row').filter({ hasText: 'The printer in room 4 jams' }));

        // Raising a ticket on the organization's behalf offers the organization.
        await page.getByRole('link', { name: 'New ticket' }).first().click();
        await page.getByRole('combobox', { name: 'On behalf of' }).click();
        await see(page.getByRole('option', { name: 'Acme AS' }));
        await page.keyboard.press('Escape');

        // A grant removed takes effect at once.
        await agentApi('PUT', `/api/v1/customers/${kariId}/hub/organizations`, {
          organizationIds: [],
        });
        await page.goto(`/hub/${SLUG}/tickets`);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await seeNo(page.getByRole('tab', { name: 'Organization tickets' }));
      } catch (error) {
        await screenshotOnFailure(page, 'hub organization');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'stays usable at phone width: nothing runs wider than 375 px',
    async () => {
      const page = await newPage({ width: 375, height: 740 });
      const dir = path.join(ROOT, '.tmp');
      fs.mkdirSync(dir, { recursive: true });
      const widths: Record<string, number> = {};
      async function measure(name: string) {
        await page.waitForLoadState('networkidle');
        widths[name] = await page.evaluate(() => document.documentElement.scrollWidth);
        await page.screenshot({
          path: path.join(dir, `hub-phone-${dialect}-${name}.png`),
          fullPage: true,
        });
      }
      try {
        await page.goto(`/hub/${SLUG}`);
        await see(page.getByRole('heading', { name: 'Sign in', level: 1 }));
        await measure('sign-in');
        await page.goto(`/hub/${SLUG}/register`);
        await see(page.getByRole('heading', { name: 'Register', level: 1 }));
        await measure('register');
        await signInWithPassword(page, kari.email, kari.password);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        // Cards instead of a table on a phone.
        await see(page.getByRole('listitem').filter({ hasText: 'The printer in room 4 jams' }));
        await measure('tickets');
        await page.goto(`/hub/${SLUG}/tickets/${ticketId}`);
        await see(page.getByRole('heading', { name: 'The printer in room 4 jams', level: 1 }));
        await measure('ticket');
        await page.goto(`/hub/${SLUG}/tickets/new`);
        await see(page.getByRole('heading', { name: 'New ticket', level: 1 }));
        await measure('new-ticket');
        await page.goto(`/hub/${SLUG}/profile`);
        await see(page.getByRole('heading', { name: 'Profile', level: 1 }));
        await measure('profile');
        // Sign-out is in the header on a phone too.
        await see(page.getByRole('button', { name: 'Sign out' }));
        expect(Object.entries(widths).filter(([, width]) => width > 375)).toEqual([]);
      } catch (error) {
        await screenshotOnFailure(page, 'hub phone');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'switches to Norwegian, which follows the customer to another browser',
    async () => {
      const page = await newPage();
      try {
        await signInWithPassword(page, kari.email, kari.password);
        await see(page.getByRole('heading', { name: 'Tickets', level: 1 }));
        await page.getByRole('button', { name: 'Language: English' }).click();
        await page.getByRole('menuitem', { name: 'Norsk bokmål' }).click();
        await see(page.getByRole('heading', { name: 'Saker', level: 1 }));
        await see(page.getByRole('link', { name: 'Mine saker' }));
        await see(page.getByRole('link', { name: 'Ny sak' }).first());
        await see(page.getByRole('button', { name: 'Logg ut' }));
        await see(page.getByRole('row').getByText('Løst', { exact: true }));
        await see(page.getByText('Kundeportal', { exact: false }).first());

        // Another browser, nothing remembered in it: English until the customer signs in.
        const other = await newPage();
        await other.goto(`/hub/${SLUG}`);
        await see(other.getByRole('heading', { name: 'Sign in', level: 1 }));
        await signInWithPassword(other, kari.email, kari.password);
        await see(other.getByRole('heading', { name: 'Saker', level: 1 }));
        // Dates as Norwegians write them (1. des. 2026, 23:15).
        const date = await other.locator('time').first().textContent();
        expect(date).toMatch(/^\d{1,2}\. [a-zæøå]+\.? \d{4},? (kl\. )?\d{2}[:.]\d{2}$/);
      } catch (error) {
        await screenshotOnFailure(page, 'hub language');
        throw error;
      }
    },
    TEST_TIMEOUT,
  );

  it('shows only the support contact details once access is switched off', async () => {
    const page = await newPage();
    try {
      await signInWithPassword(page, kari.email, kari.password);
      await see(page.getByRole('heading', { name: 'Saker', level: 1 }));
      await agentApi('PATCH', `/api/v1/customers/${kariId}`, { hubAccess: false });
      // The open session ends at the next request.
      await page.reload();
      await see(page.getByRole('heading', { name: 'Logg inn', level: 1 }));

      // A wrong password still gets the ordinary refusal: nothing is revealed before a credential.
      await signInWithPassword(page, kari.email, 'not the right password');
      await see(page.getByText('E-postadressen eller passordet er feil.'));
      await signInWithPassword(page, kari.email, kari.password);
      await see(page.getByRole('heading', { name: 'Kontakt kundestøtte', level: 1 }));
      await see(page.getByText(SUPPORT.message.nb));
      await see(page.getByRole('link', { name: SUPPORT.email }));
      expect(await page.locator('a[href^="mailto:"]').getAttribute('href')).toBe(
        `mailto:${SUPPORT.email}`,
      );
      // The phone as the console saved it (perhaps normalized), dialled without spaces.
      expect(await page.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:+4722334455');
      // Shown in the account's national format, the number as stored on hover (issue 16).
      const supportPhone = page.getByRole('link', { name: '22 33 44 55', exact: true });
      await see(supportPhone);
      expect(await supportPhone.getAttribute('title')).toBe('+4722334455');
      await seeNo(page.getByRole('link', { name: 'Mine saker' }));
      await seeNo(page.getByRole('button', { name: 'Logg ut' }));
      await page.goto(`/hub/${SLUG}/tickets`);
      await see(page.getByRole('heading', { name: 'Logg inn', level: 1 }));

      // In English, the English message.
      await page.getByRole('button', { name: 'Språk: Norsk bokmål' }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await signInWithPassword(page, kari.email, kari.password);
      await see(page.getByText(SUPPORT.message.en));
    } catch (error) {
      await screenshotOnFailure(page, 'hub access off');
      throw error;
    }
  });
});
