// Every page of the console and the Customer Hub in Chromium, in English and Norwegian (issue 16
// items 7–9): the customer list's first load stays under 400 KB of compressed JavaScript and
// fetches no other area's page, and how soon its rows show (target 500 ms warm) is reported; every
// page has no serious or critical axe-core violation and runs no wider than a 1280 or 1920 px
// window, with a screenshot of each under test-artifacts/screenshots/; and a customer is moved to
// an organization and back with the keyboard alone (what dragging a row does). One browser, one
// page per language, so the sweep costs CI one server and two tabs.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../common/settings.ts';
import { findBuiltInRole } from '../server/agents/agent.repository.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import { enableHub, hubCustomer } from '../server/hub/hub-http.testkit.ts';
import { saveHubLogin } from '../server/hub/hub-login.repository.ts';
import type { TestServer } from '../server/test/server.ts';
import {
  ROOT,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';
import {
  axeFindings,
  keepScreenshot,
  overflowFindings,
  tabTo,
  waitForPage,
  type Finding,
} from './page-checks.ts';
import { measureCustomerList } from './page-speed.ts';

const PASSWORD = 'correct horse battery';
const AGENTS: Record<Locale, { email: string; name: string }> = {
  en: { email: 'anne@fjordhjelp.no', name: 'Anne Admin' },
  nb: { email: 'nils@fjordhjelp.no', name: 'Nils Admin' },
};
const HUB_CUSTOMERS: Record<Locale, string> = { en: 'kari@acme.no', nb: 'nora@acme.no' };
const SLUG = 'fjordhjelp';
const WIDTHS = [1280, 1920] as const;
const LOCALES = ['en', 'nb'] as const;
const SWEEP_TIMEOUT = 300_000;

interface PageToCheck {
  name: string;
  url: string;
}

describe('console pages: speed, accessibility, keyboard and width', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let accountId: string;
  const ids = { customer: '', organization: '', contract: '', ticket: '', hubTicket: '' };
  const tabs = {} as Record<Locale, Page>;
  const contexts: BrowserContext[] = [];

  async function newTab(locale: Locale, width = 1280): Promise<Page> {
    const context = await session.browser.newContext({
      locale: locale === 'nb' ? 'nb-NO' : 'en-US',
      baseURL: server.url,
      viewport: { width, height: 900 },
    });
    contexts.push(context);
    // The Hub's public pages follow the language this browser chose there before (it does not
    // read the browser's languages): a Norwegian visitor who picked Norsk once.
    if (locale === 'nb')
      await context.addInitScript(() => localStorage.setItem('kunde.hub.locale', 'nb'));
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function logIn(page: Page, locale: Locale) {
    await page.goto('/login');
    await page.getByRole('textbox', { name: /^(Email|E-post)$/ }).fill(AGENTS[locale].email);
    await page.getByRole('textbox', { name: /^(Password|Passord)$/ }).fill(PASSWORD);
    await page.getByRole('button', { name: /^(Log in|Logg inn)$/ }).click();
    await see(page.getByRole('heading', { name: /^(Active customers|Aktive kunder)$/, level: 1 }));
  }

  /** Checks each page at both widths; axe once (at 1280). Answers every finding, named. */
  async function sweep(page: Page, locale: Locale, pages: PageToCheck[]): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const { name, url } of pages) {
      const label = `${name} (${locale})`;
      try {
        await page.setViewportSize({ width: WIDTHS[0], height: 900 });
        await page.goto(url);
        await waitForPage(page);
        const lang = await page.evaluate(() => document.documentElement.lang);
        if (lang !== locale) findings.push(`${label}: shown in "${lang}", not "${locale}"`);
        findings.push(...(await axeFindings(page, label)));
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(100); // Mantine's media queries re-lay the page out.
          findings.push(...(await overflowFindings(page, `${label} at ${width} px`)));
          await keepScreenshot(page, `${name}-${width}-${locale}`);
        }
      } catch (error) {
        findings.push(
          `${label}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
      }
    }
    return findings;
  }

  beforeAll(async () => {
    session = await startConsole({ width: 1280, height: 900 });
    ({ server } = session);
    // First-run setup is a page too, seen only before the account exists.
    for (const locale of LOCALES) tabs[locale] = await newTab(locale);
    setupFindings = [
      ...(await sweep(tabs.en, 'en', [{ name: 'setup', url: '/setup' }])),
      ...(await sweep(tabs.nb, 'nb', [{ name: 'setup', url: '/setup' }])),
    ];

    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: AGENTS.en.name,
      email: AGENTS.en.email,
      password: PASSWORD,
    }));
    const db = server.services.db.kysely;
    const admin = await findBuiltInRole(db, accountId, 'administrator');
    const nils = await server.services.agents.createUser(accountId, {
      name: AGENTS.nb.name,
      email: AGENTS.nb.email,
      password: PASSWORD,
      roleId: admin?.id,
      locale: 'nb',
    });
    const principal = systemPrincipal(accountId);
    const organization = await server.services.organizations.create(principal, {
      name: 'Acme AS',
    });
    ids.organization = organization.id;
    await server.services.organizations.create(principal, { name: 'Fjordtech AS' });
    for (let n = 1; n <= 30; n++) {
      const customer = await server.services.customers.create(
        principal,
        {
          firstName: `Kunde${n}`,
          lastName: 'Nordmann',
          email: `kunde${n}@example.no`,
          phone: `+479000${String(n).padStart(4, '0')}`,
          organizationId: n <= 5 ? organization.id : undefined,
        },
        'agent',
      );
      if (n === 1) ids.customer = customer.id;
      if (n === 30) movers.en = customer.id;
      if (n === 29) movers.nb = customer.id;
    }
    ids.ticket = (
      await server.services.tickets.create(principal, {
        subject: 'Printer on floor 3 is offline',
        message: 'It shows error E-42 since this morning.',
        requesterId: ids.customer,
      })
    ).id;
    ids.contract = (
      await server.services.contracts.create(principal, organization.id, {
        description: 'Support 2027',
        customerContactId: ids.customer,
        supportContactId: nils.id,
      })
    ).id;
    await enableHub(server, accountId, SLUG, { passwordSignIn: true, selfRegistration: true });
    for (const locale of LOCALES) {
      const id = await hubCustomer(server, accountId, HUB_CUSTOMERS[locale], PASSWORD);
      // Her language as the Hub keeps it once she chose it (PATCH /me); signing in applies it.
      await saveHubLogin(db, accountId, id, { locale }, new Date().toISOString());
      const ticket = await server.services.tickets.create(principal, {
        subject: 'VPN drops every hour',
        message: 'Since Monday the VPN disconnects every hour.',
        requesterId: id,
      });
      if (locale === 'en') ids.hubTicket = ticket.id;
      else nbHubTicket = ticket.id;
    }
    for (const locale of LOCALES) await logIn(tabs[locale], locale);
  }, 240_000);

  let setupFindings: Finding[] = [];
  const movers = { en: '', nb: '' };
  let nbHubTicket = '';

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      for (const locale of LOCALES) await screenshotOnFailure(tabs[locale], `${test.task.name}`);
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await session?.close();
  });

  it('loads the customer list without the other areas, under 400 KB, and reports its row timings', async () => {
    const result = await measureCustomerList(session.browser, server.url, {
      email: AGENTS.en.email,
      password: PASSWORD,
    });
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, 'test-artifacts', 'customer-list-speed.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.info('customer list:', JSON.stringify({ ...result, scripts: undefined }));
    // A figure reported, not asserted: speed targets live in benchmarks, where a busy machine
    // does not fail a build; the JSON above keeps it for comparison.
    console.log(
      `customer list rows visible: cold ${result.coldMs} ms, warm median ${result.warmMedianMs} ms (target 500 ms)`,
    );
    expect(result.otherAreas, 'page chunks of other areas fetched by the customer list').toEqual(
      [],
    );
    expect(result.brotliBytes).toBeLessThan(400 * 1024);
  }, 120_000);

  for (const locale of LOCALES) {
    it(
      `every page has no serious axe violation and fits 1280 and 1920 px (${locale})`,
      async () => {
        const page = tabs[locale];
        const console = [
          ['customers', '/customers'],
          ['customer', `/customers/${ids.customer}`],
          ['import', '/customers/import'],
          ['deleted-customers', '/customers/deleted'],
          ['duplicates', '/customers/duplicates'],
          ['organizations', '/organizations'],
          ['organization', `/organizations/${ids.organization}`],
          ['contract', `/contracts/${ids.contract}`],
          ['tickets', '/tickets'],
          ['ticket', `/tickets/${ids.ticket}`],
          ...[
            'customers',
            'customer-hub',
            'custom-fields',
            'customer-types',
            'detail-panel',
            'agents',
            'roles',
            'teams',
            'outbox',
            'inbound-mail',
            'webhooks',
          ].map((area) => [`admin-${area}`, `/admin/${area}`]),
        ].map(([name, url]) => ({ name: name ?? '', url: url ?? '' }));
        const findings = [...setupFindings.filter((f) => f.includes(`(${locale})`))];
        findings.push(...(await sweep(page, locale, console)));

        // Logged out: the login page, and the Hub's public pages, then the signed-in ones.
        const hub = await newTab(locale);
        findings.push(
          ...(await sweep(hub, locale, [
            { name: 'login', url: '/login' },
            { name: 'hub-sign-in', url: `/hub/${SLUG}` },
            { name: 'hub-forgot-password', url: `/hub/${SLUG}/forgot` },
            { name: 'hub-register', url: `/hub/${SLUG}/register` },
          ])),
        );
        await hub.goto(`/hub/${SLUG}`);
        await hub.getByRole('textbox', { name: /^(Email|E-post)$/ }).fill(HUB_CUSTOMERS[locale]);
        await hub.getByLabel(/^(Password|Passord)$/).fill(PASSWORD);
        await hub.getByRole('button', { name: /^(Sign in|Logg inn)$/ }).click();
        await see(hub.getByRole('heading', { level: 1 }));
        const ticket = locale === 'en' ? ids.hubTicket : nbHubTicket;
        findings.push(
          ...(await sweep(hub, locale, [
            { name: 'hub-tickets', url: `/hub/${SLUG}/tickets` },
            { name: 'hub-ticket', url: `/hub/${SLUG}/tickets/${ticket}` },
            { name: 'hub-new-ticket', url: `/hub/${SLUG}/tickets/new` },
            { name: 'hub-profile', url: `/hub/${SLUG}/profile` },
          ])),
        );
        expect(findings).toEqual([]);
      },
      SWEEP_TIMEOUT,
    );
  }

  for (const locale of LOCALES) {
    it(`moves a customer to an organization and back with the keyboard alone (${locale})`, async () => {
      const page = tabs[locale];
      const nb = locale === 'nb';
      const name = nb ? 'Kunde29 Nordmann' : 'Kunde30 Nordmann';
      const organizationOf = async () =>
        (
          await server.services.db.kysely
            .selectFrom('customers as c')
            .leftJoin('organizations as o', (join) =>
              join
                .onRef('o.account_id', '=', 'c.account_id')
                .onRef('o.id', '=', 'c.organization_id'),
            )
            .select('o.name')
            .where('c.account_id', '=', accountId)
            .where('c.id', '=', movers[locale])
            .executeTakeFirstOrThrow()
        ).name;
      // Seeded with an example.no address, the customer sits in that domain's organization.
      const before = await organizationOf();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`/customers?q=${encodeURIComponent(name.split(' ')[0] ?? '')}`);
      const checkbox = page.getByRole('checkbox', { name: `${nb ? 'Velg' : 'Select'} ${name}` });
      await see(checkbox);
      // What dragging the row onto an organization does: select it, "Move to organization…".
      await tabTo(page, checkbox);
      await page.keyboard.press('Space');
      await expect.poll(() => checkbox.isChecked()).toBe(true);
      const move = page.getByRole('button', {
        name: nb ? 'Flytt til organisasjon …' : 'Move to organization…',
      });
      await tabTo(page, move, { backwards: true });
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await see(dialog);
      await page.keyboard.type('Fjordtech');
      await see(page.getByRole('option', { name: 'Fjordtech AS' }));
      await seeNo(page.getByRole('option', { name: 'Acme AS' })); // The search has answered.
      // Nothing is highlighted until the first arrow key: asked with a short timeout, or each
      // look waits the page's 30 s for an element that is not there.
      const highlighted = page.locator('[data-combobox-selected]');
      const highlightedName = () => highlighted.textContent({ timeout: 300 }).catch(() => '');
      for (let n = 0; n < 5 && (await highlightedName()) !== 'Fjordtech AS'; n++)
        await page.keyboard.press('ArrowDown');
      await expect.poll(highlightedName).toBe('Fjordtech AS');
      await page.keyboard.press('Enter');
      await tabTo(
        page,
        dialog.getByRole('button', { name: nb ? 'Flytt 1 kunde' : 'Move 1 customer' }),
      );
      await page.keyboard.press('Enter');
      await expect.poll(organizationOf).toBe('Fjordtech AS');
      // And Undo, in the notification, is reachable by the keyboard too.
      await tabTo(page, page.getByRole('button', { name: nb ? 'Angre' : 'Undo' }), { limit: 150 });
      await page.keyboard.press('Enter');
      await expect.poll(organizationOf).toBe(before);
    }, 120_000);
  }
});
