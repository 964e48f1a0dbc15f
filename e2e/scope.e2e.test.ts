// Who sees what in a real browser (issue 13): an agent whose team serves one organization logs
// in and finds only its customers in the list, with a total that says so, and a search for a
// customer of another organization finds nothing; the administrator sees the team's access on
// Administration → Teams and changes it there, which the agent's next page load follows.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import { createScopedAgent, type ScopedAgent } from '../server/test/scope-fixtures.ts';
import { see, seeNo, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { email: 'sara@example.com', password: 'correct horse battery' };

describe('web console: a scoped agent', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let browser: Browser;
  let agent: ScopedAgent;

  beforeAll(async () => {
    session = await startConsole();
    ({ server, browser } = session);
    const { accountId, userId } = await server.services.agents.createAccount({
      accountName: 'Scope AS',
      name: 'Sara Admin',
      ...ADMIN,
    });
    const admin = (await server.services.agents.startSessionFor(accountId, userId)).principal;
    const fjord = await server.services.organizations.create(admin, { name: 'Fjord AS' });
    const berg = await server.services.organizations.create(admin, { name: 'Berg AS' });
    for (const [firstName, lastName, organizationId] of [
      ['Frida', 'Fjordheim', fjord.id],
      ['Finn', 'Fjordvik', fjord.id],
      ['Bente', 'Berggren', berg.id],
    ] as const)
      await server.services.customers.create(
        admin,
        { firstName, lastName, email: `${firstName.toLowerCase()}@example.org`, organizationId },
        'agent',
      );
    agent = await createScopedAgent(server.services, accountId, [fjord.id]);
  });

  afterAll(async () => {
    await session?.close();
  });

  async function loggedIn(who: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', baseURL: server.url });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page.getByRole('heading', { name: 'Active customers', level: 1 }));
    return page;
  }
  const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

  it("lists and counts only the customers of the team's organization; search finds no other", async () => {
    const page = await loggedIn(agent);
    try {
      await see(row(page, 'Frida Fjordheim'));
      await see(row(page, 'Finn Fjordvik'));
      await see(page.getByText('2 customers'));
      await seeNo(row(page, 'Bente Berggren'));
      await page.getByRole('searchbox', { name: 'Search' }).fill('Berggren');
      await see(page.getByText('0 customers'));
      await seeNo(row(page, 'Bente Berggren'));
      await page.getByRole('searchbox', { name: 'Search' }).fill('Fjordvik');
      await see(row(page, 'Finn Fjordvik'));
      await see(page.getByText('1 customer', { exact: true }));
    } finally {
      await page.context().close();
    }
  });

  it("shows the team's access to the administrator, who widens it; the agent follows", async () => {
    const page = await loggedIn(ADMIN);
    try {
      await page.goto('/admin/teams');
      const team = row(page, 'Scoped team');
      await see(team.getByText('Fjord AS'));
      await team.getByRole('button', { name: /Edit the ticket access/ }).click();
      const dialog = page.getByRole('dialog');
      await see(dialog.getByText('Fjord AS'));
      await dialog.getByRole('combobox', { name: 'Add an organization' }).fill('Berg');
      await page.getByRole('option', { name: 'Berg AS' }).click();
      await dialog.getByRole('button', { name: 'Save access' }).click();
      await see(team.getByText('Fjord AS, Berg AS'));
    } finally {
      await page.context().close();
    }
    const agentPage = await loggedIn(agent);
    try {
      await see(row(agentPage, 'Bente Berggren'));
      await see(agentPage.getByText('3 customers'));
      expect(await row(agentPage, 'Frida Fjordheim').count()).toBe(1);
    } finally {
      await agentPage.context().close();
    }
  });
});
