// The console offers an agent only what their role allows: an Agent (no customers.delete) can
// edit customers and organizations but is not offered Deactivate or Delete; an Administrator is.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../server/agents/principal.ts';
import type { TestServer } from '../server/test/server.ts';
import { see, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { email: 'anne@example.com', password: 'correct horse battery' };
const AGENT = { email: 'ola.agent@example.com', password: 'another horse battery' };

describe('web console: buttons follow permissions', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let browser: Browser;
  let customerId: string;
  let organizationId: string;

  beforeAll(async () => {
    session = await startConsole();
    ({ server, browser } = session);
    const { accountId, userId } = await server.services.agents.createAccount({
      accountName: 'Permissions',
      name: 'Anne Admin',
      ...ADMIN,
    });
    await server.services.agents.createUser(accountId, { name: 'Ola Agent', ...AGENT });
    const admin: Principal = (await server.services.agents.startSessionFor(accountId, userId))
      .principal;
    customerId = (
      await server.services.customers.create(
        admin,
        { firstName: 'Kari', lastName: 'Kunde', email: 'kari.kunde@example.com' },
        'agent',
      )
    ).id;
    organizationId = (await server.services.organizations.create(admin, { name: 'Fjord AS' })).id;
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

  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  it('does not offer Deactivate or Delete to an Agent, who can still edit', async () => {
    const page = await loggedIn(AGENT);
    try {
      await see(page.getByRole('row').filter({ hasText: 'Kari Kunde' }));
      await button(page, 'Actions for Kari Kunde').click();
      await see(page.getByRole('menuitem', { name: 'Open' }));
      expect(await page.getByRole('menuitem', { name: 'Deactivate' }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.goto(`/customers/${customerId}`);
      await see(button(page, 'Edit'));
      expect(await button(page, 'Deactivate').count()).toBe(0);
      expect(await button(page, 'Reactivate').count()).toBe(0);
      await page.goto(`/organizations/${organizationId}`);
      await see(page.getByRole('heading', { name: 'Fjord AS', level: 1 }));
      await see(button(page, 'Edit'));
      expect(await button(page, 'Delete').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('offers both to an Administrator', async () => {
    const page = await loggedIn(ADMIN);
    try {
      await see(page.getByRole('row').filter({ hasText: 'Kari Kunde' }));
      await button(page, 'Actions for Kari Kunde').click();
      await see(page.getByRole('menuitem', { name: 'Deactivate' }));
      await page.keyboard.press('Escape');
      await page.goto(`/customers/${customerId}`);
      await see(button(page, 'Deactivate'));
      await page.goto(`/organizations/${organizationId}`);
      await see(button(page, 'Delete'));
    } finally {
      await page.context().close();
    }
  });
});
