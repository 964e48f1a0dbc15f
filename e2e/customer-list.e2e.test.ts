// The customer list as an agent's daily tool (issue 16 point 1), in Chromium on each database, in
// English and Norwegian: it fits a 1280 and a 1920 px window with the Type column and custom
// attributes showing (no horizontal scrollbar, no column cut off inside the table; screenshots
// under test-artifacts/screenshots/), has no serious or critical axe finding, sorts by a header
// and keeps the sort over a reload, shows 50 rows and "1–50 of 130" at 50 per page, returns to
// page 2 with Back, keeps a hidden column hidden after a reload, and deactivates every customer
// matching a filter (not just the page) after a confirmation naming the count, which Undo puts
// back. One server per database, seeded with one CSV import.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../common/settings.ts';
import { findBuiltInRole } from '../server/agents/agent.repository.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import { runImport } from '../server/imports/import.testkit.ts';
import { testDialects } from '../server/test/databases.ts';
import { startTestServer, type TestServer } from '../server/test/server.ts';
import { ensureWebBuild, launchChromium, screenshotOnFailure, see, seeNo } from './browser.ts';
import { axeFindings, keepScreenshot, overflowFindings, waitForPage } from './page-checks.ts';

const PASSWORD = 'correct horse battery';
const AGENTS: Record<Locale, { email: string; name: string }> = {
  en: { email: 'anne@listehjelp.no', name: 'Anne Admin' },
  nb: { email: 'nils@listehjelp.no', name: 'Nils Admin' },
};
const LONG_ORGANIZATION =
  'Nordvestlandet Interkommunale Helse- og Omsorgstjenester Avdeling for Digitale Fellestjenester AS';
const TOTAL = 130;
const IN_FJELL = 60;
const TICKETS = 30;

/** What the agent reads, per language. */
const WORDS = {
  en: {
    heading: 'Active customers',
    name: 'Name',
    email: 'Email',
    type: 'Type',
    columns: 'Columns',
    lastActivity: 'Last activity',
    pageSize: 'Rows per page',
    perPage: (n: number) => `${n} per page`,
    range: (from: number, to: number, total: number) => `${from}–${to} of ${total}`,
    next: 'Next',
    selectPage: 'Select all customers on this page',
    selectAll: (n: number) => `Select all ${n} matching customers`,
    selected: (n: number) => `${n} customers selected`,
    deactivate: 'Deactivate',
    confirm: (n: number) => `Deactivate ${n} customers?`,
    deactivated: (n: number) => `${n} customers deactivated`,
    undo: 'Undo',
    exportCsv: 'Export CSV',
    undone: (n: number) => `Undone: ${n} customers are as before`,
    empty: 'No customers match these filters.',
    actionsFor: (name: string) => `Actions for ${name}`,
  },
  nb: {
    heading: 'Aktive kunder',
    name: 'Navn',
    email: 'E-post',
    type: 'Type',
    columns: 'Kolonner',
    lastActivity: 'Siste aktivitet',
    pageSize: 'Rader per side',
    perPage: (n: number) => `${n} per side`,
    range: (from: number, to: number, total: number) => `${from}–${to} av ${total}`,
    next: 'Neste',
    selectPage: 'Velg alle kundene på denne siden',
    selectAll: (n: number) => `Velg alle ${n} kundene som samsvarer`,
    selected: (n: number) => `${n} kunder valgt`,
    deactivate: 'Deaktiver',
    confirm: (n: number) => `Deaktivere ${n} kunder?`,
    deactivated: (n: number) => `${n} kunder er deaktivert`,
    undo: 'Angre',
    exportCsv: 'Eksporter CSV',
    undone: (n: number) => `Angret: ${n} kunder er som før`,
    empty: 'Ingen kunder samsvarer med disse filtrene.',
    actionsFor: (name: string) => `Handlinger for ${name}`,
  },
} as const;

/**
 * 130 customers: 60 in Fjell AS, 20 (the newest, so on the first page) in the long-named
 * organization, the rest on a free-mail domain (never grouped); types and attributes.
 */
function seedCsv(): Buffer {
  const lines = ['email,first_name,last_name,organization,type,attribute:Avdeling,attribute:Rolle'];
  for (let n = 1; n <= TOTAL; n++) {
    const [organization, domain] =
      n <= IN_FJELL
        ? ['Fjell AS', 'fjell-eksempel.no']
        : n > TOTAL - 20
          ? [LONG_ORGANIZATION, 'nordvest-eksempel.no']
          : ['', 'gmail.com'];
    const type = n % 3 === 0 ? 'Premium kundeforhold' : n % 3 === 1 ? 'Standard' : '';
    // One name sorts first; the rest are numbered.
    const [first, last] = n === 70 ? ['Aase', 'Aaberg'] : [`Kunde${n}`, 'Nordmannsen-Bakkerud'];
    lines.push(
      `kunde${n}.liste@${domain},${first},${last},"${organization}",${type},` +
        `Kundeservice og drift ${n},Innkjøpsansvarlig`,
    );
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe.each(testDialects())('the customer list in Chromium on %s', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const tabs = {} as Record<Locale, Page>;
  let fjellId = '';
  let accountId = '';

  beforeAll(async () => {
    await ensureWebBuild();
    server = await startTestServer({ dialect, neighbour: false });
    browser = await launchChromium();
    ({ accountId } = await server.services.agents.createAccount({
      accountName: 'Listehjelp',
      name: AGENTS.en.name,
      email: AGENTS.en.email,
      password: PASSWORD,
    }));
    const role = await findBuiltInRole(server.services.db.kysely, accountId, 'administrator');
    await server.services.agents.createUser(accountId, {
      name: AGENTS.nb.name,
      email: AGENTS.nb.email,
      password: PASSWORD,
      roleId: role?.id,
      locale: 'nb',
    });
    const principal = systemPrincipal(accountId);
    fjellId = (await server.services.organizations.create(principal, { name: 'Fjell AS' })).id;
    await server.services.organizations.create(principal, { name: LONG_ORGANIZATION });
    await server.services.customerTypes.create(accountId, { name: 'Premium kundeforhold' });
    await server.services.customerTypes.create(accountId, { name: 'Standard' });
    const imported = await runImport(server.services, principal, seedCsv());
    expect(imported.created, JSON.stringify(imported)).toBe(TOTAL);
    // The organizations and tickets lists page with the same footer: 32 organizations, 30 tickets.
    for (let n = 1; n <= 30; n++)
      await server.services.organizations.create(principal, {
        name: `Firma ${String(n).padStart(2, '0')} AS`,
      });
    const requester = await server.services.customers.list(principal, {
      status: 'active',
      limit: 1,
    });
    for (let n = 1; n <= TICKETS; n++)
      await server.services.tickets.create(principal, {
        subject: `Sak nummer ${n}`,
        message: 'Skriveren virker ikke.',
        requesterId: requester.items[0]!.id,
      });
    for (const locale of ['en', 'nb'] as const) {
      const context = await browser.newContext({
        locale: locale === 'nb' ? 'nb-NO' : 'en-US',
        baseURL: server.url,
        viewport: { width: 1280, height: 900 },
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/login');
      await page.getByRole('textbox', { name: /^(Email|E-post)$/ }).fill(AGENTS[locale].email);
      await page.getByRole('textbox', { name: /^(Password|Passord)$/ }).fill(PASSWORD);
      await page.getByRole('button', { name: /^(Log in|Logg inn)$/ }).click();
      await see(page.getByRole('heading', { name: WORDS[locale].heading, level: 1 }));
      tabs[locale] = page;
    }
  }, 120_000);

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      for (const locale of ['en', 'nb'] as const)
        await screenshotOnFailure(tabs[locale], `${dialect}-${test.task.name}-${locale}`);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const rows = (page: Page) => page.locator('[data-testid="customer-table"] tbody tr');
  const range = (page: Page) => page.locator('[data-list-range]');
  const header = (page: Page, name: string) =>
    page.getByRole('columnheader', { name, exact: true });

  describe.each(['en', 'nb'] as const)('in %s', (locale) => {
    const words = WORDS[locale];

    it('fits 1280 and 1920 px with Type and attributes, and has no serious axe finding', async () => {
      const page = tabs[locale];
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto('/customers');
      await waitForPage(page, rows(page));
      await see(header(page, words.type));
      // Each row shows one attribute (which comes first is the database's order) and "+1".
      await see(
        page.getByText(/^(Avdeling: Kundeservice og drift|Rolle: Innkjøpsansvarlig)/).first(),
      );
      await see(page.getByRole('link', { name: LONG_ORGANIZATION }).first());
      const findings = await axeFindings(page, `customer list (${locale}, ${dialect})`);
      for (const width of [1280, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(150);
        const label = `customer list (${locale}) at ${width} px`;
        findings.push(...(await overflowFindings(page, label)));
        // Inside the table too: nothing cut off by its frame, every row's actions button in view.
        const cut = await page.evaluate(() => {
          const table = document.querySelector('[data-testid="customer-table"]');
          const frame = table?.parentElement;
          if (!table || !frame) return 'no table';
          if (table.scrollWidth > frame.clientWidth + 1)
            return `table ${table.scrollWidth} px in a ${frame.clientWidth} px frame`;
          const buttons = [...table.querySelectorAll('tbody tr td:last-child button')];
          const outside = buttons.filter(
            (b) => b.getBoundingClientRect().right > frame.getBoundingClientRect().right,
          );
          return buttons.length === 0 ? 'no actions buttons' : outside.length ? 'actions cut' : '';
        });
        if (cut) findings.push(`${label}: ${cut}`);
        // Names stay on one line.
        const wrapped = await page.evaluate(() => {
          const links = [...document.querySelectorAll('[data-testid="customer-table"] tbody a')];
          return links.filter((a) => a.getClientRects().length > 1).length;
        });
        if (wrapped) findings.push(`${label}: ${wrapped} names or organizations wrap`);
        await keepScreenshot(page, `customer-list-${dialect}-${width}-${locale}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(findings).toEqual([]);
    });

    it('sorts by name from the header, and keeps the sort over a reload', async () => {
      const page = tabs[locale];
      await page.goto('/customers');
      await see(rows(page).first());
      await expect.poll(() => rows(page).first().textContent()).not.toContain('Aase Aaberg');
      await header(page, words.name).getByRole('button').click();
      await expect.poll(() => header(page, words.name).getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(() => rows(page).first().textContent()).toContain('Aase Aaberg');
      expect(page.url()).toContain('sort=name');
      await page.reload();
      await see(rows(page).first());
      expect(await header(page, words.name).getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(() => rows(page).first().textContent()).toContain('Aase Aaberg');
      // Again: the other way round.
      await header(page, words.name).getByRole('button').click();
      await expect
        .poll(() => header(page, words.name).getAttribute('aria-sort'))
        .toBe('descending');
      await expect.poll(() => rows(page).first().textContent()).not.toContain('Aase Aaberg');
    });

    it('shows 50 rows and the total at 50 per page, and Back returns to page 2', async () => {
      const page = tabs[locale];
      await page.goto('/customers');
      await see(rows(page).first());
      await expect.poll(() => range(page).textContent()).toBe(words.range(1, 25, TOTAL));
      await page.getByRole('combobox', { name: words.pageSize }).click();
      await page.getByRole('option', { name: words.perPage(50) }).click();
      await expect.poll(() => rows(page).count()).toBe(50);
      await expect.poll(() => range(page).textContent()).toBe(words.range(1, 50, TOTAL));
      await page.getByRole('button', { name: words.next, exact: true }).click();
      await expect.poll(() => range(page).textContent()).toBe(words.range(51, 100, TOTAL));
      const second = await rows(page).first().textContent();
      await page.getByRole('button', { name: words.next, exact: true }).click();
      await expect.poll(() => range(page).textContent()).toBe(words.range(101, TOTAL, TOTAL));
      await expect.poll(() => rows(page).count()).toBe(TOTAL - 100);
      await page.goBack();
      await expect.poll(() => range(page).textContent()).toBe(words.range(51, 100, TOTAL));
      await expect.poll(() => rows(page).first().textContent()).toBe(second);
      // A reload stays on page 2.
      await page.reload();
      await expect.poll(() => range(page).textContent()).toBe(words.range(51, 100, TOTAL));
      await expect.poll(() => rows(page).count()).toBe(50);
    });

    it('hides a column from the column chooser, and it stays hidden after a reload', async () => {
      const page = tabs[locale];
      await page.goto('/customers');
      await see(header(page, words.email));
      await page.getByRole('button', { name: words.columns }).click();
      await page.getByRole('checkbox', { name: words.email, exact: true }).uncheck();
      await seeNo(header(page, words.email));
      await page.keyboard.press('Escape');
      await page.reload();
      await see(rows(page).first());
      await seeNo(header(page, words.email));
      await see(header(page, words.name));
      await page.getByRole('button', { name: words.columns }).click();
      await page.getByRole('checkbox', { name: words.email, exact: true }).check();
      await see(header(page, words.email));
      // Last activity is off by default; shown, it sorts like the others.
      await seeNo(header(page, words.lastActivity));
      await page.getByRole('checkbox', { name: words.lastActivity, exact: true }).check();
      await page.keyboard.press('Escape');
      await header(page, words.lastActivity).getByRole('button').click();
      await expect.poll(() => page.url()).toContain('sort=lastActivity');
      await expect
        .poll(() => header(page, words.lastActivity).getAttribute('aria-sort'))
        .toMatch(/ascending|descending/);
      await page.getByRole('button', { name: words.columns }).click();
      await page.getByRole('checkbox', { name: words.lastActivity, exact: true }).uncheck();
      await page.keyboard.press('Escape');
      await seeNo(header(page, words.lastActivity));
    });

    it('deactivates all matching a filter after a confirmation, and Undo restores them', async () => {
      const page = tabs[locale];
      await page.goto(`/customers?organizationId=${fjellId}`);
      await expect.poll(() => range(page).textContent()).toContain(`${IN_FJELL}`);
      await page.getByRole('checkbox', { name: words.selectPage }).check();
      await page.getByRole('button', { name: words.selectAll(IN_FJELL) }).click();
      const bar = page.getByRole('region', {
        name: locale === 'nb' ? 'Valgte kunder' : 'Selected customers',
      });
      await see(bar.getByText(words.selected(IN_FJELL), { exact: true }));
      // Export takes the same set: the list's CSV export of this filter.
      expect(await bar.getByRole('link', { name: words.exportCsv }).getAttribute('href')).toContain(
        `organizationId=${fjellId}`,
      );
      await bar.getByRole('button', { name: words.deactivate, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: words.confirm(IN_FJELL) });
      await see(dialog);
      await dialog.getByRole('button', { name: words.deactivate, exact: true }).click();
      await see(page.getByText(words.deactivated(IN_FJELL)));
      await see(page.getByText(words.empty));
      await page.getByRole('button', { name: words.undo, exact: true }).click();
      await see(page.getByText(words.undone(IN_FJELL)));
      // The page size chosen earlier is remembered for this agent: 25 or 50 of them show.
      await expect
        .poll(() => range(page).textContent())
        .toMatch(new RegExp(`^1–(25|50) ${locale === 'nb' ? 'av' : 'of'} ${IN_FJELL}$`));
      const active = await server.services.customers.list(systemPrincipal(accountId), {
        status: 'active',
        organizationId: fjellId,
        limit: 1,
      });
      expect(active.total).toBe(IN_FJELL);
    });

    it('exports the selected customers, and only them, as CSV', async () => {
      const page = tabs[locale];
      await page.goto('/customers?sort=name&order=asc');
      await see(rows(page).first());
      for (const name of ['Aase Aaberg', 'Kunde1 Nordmannsen-Bakkerud'])
        await page
          .getByRole('checkbox', { name: `${locale === 'nb' ? 'Velg' : 'Select'} ${name}` })
          .check();
      const bar = page.getByRole('region', {
        name: locale === 'nb' ? 'Valgte kunder' : 'Selected customers',
      });
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        bar.getByRole('button', { name: words.exportCsv }).click(),
      ]);
      expect(file.suggestedFilename()).toMatch(/^customers-.*\.csv$/);
      const text = fs.readFileSync(await file.path(), 'utf8');
      const lines = text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(3);
      expect(text).toContain('kunde70.liste@gmail.com');
      expect(text).toContain('kunde1.liste@fjell-eksempel.no');
      // The agent's language lays it out: Norwegian headers and semicolons in Norwegian.
      expect(lines[0]).toContain(locale === 'nb' ? 'E-post;' : 'Email,');
    });

    it('pages organizations and tickets with the position in the URL', async () => {
      const page = tabs[locale];
      for (const [url, total] of [
        ['/organizations', 32],
        ['/tickets?status=all', TICKETS],
      ] as const) {
        await page.goto(url);
        await expect.poll(() => range(page).textContent()).toBe(words.range(1, 25, total));
        await page.getByRole('button', { name: words.next, exact: true }).click();
        await expect.poll(() => range(page).textContent()).toBe(words.range(26, total, total));
        await page.reload();
        await expect.poll(() => range(page).textContent()).toBe(words.range(26, total, total));
        await page.goBack();
        await expect.poll(() => range(page).textContent()).toBe(words.range(1, 25, total));
      }
    });

    it('deactivates one customer from its row menu after a confirmation, with Undo', async () => {
      const page = tabs[locale];
      await page.goto('/customers?sort=name&order=asc');
      await see(rows(page).first());
      await page.getByRole('button', { name: words.actionsFor('Aase Aaberg') }).click();
      await page.getByRole('menuitem', { name: words.deactivate }).click();
      const dialog = page.getByRole('dialog', {
        name: locale === 'nb' ? 'Deaktivere Aase Aaberg?' : 'Deactivate Aase Aaberg?',
      });
      await dialog.getByRole('button', { name: words.deactivate, exact: true }).click();
      await expect.poll(() => rows(page).first().textContent()).not.toContain('Aase Aaberg');
      await page.getByRole('button', { name: words.undo, exact: true }).click();
      await expect.poll(() => rows(page).first().textContent()).toContain('Aase Aaberg');
    });
  });
});
