// Delete (erasure) in the console: a customer with an open ticket is refused with the ticket's
// number; one without is deleted after the dialog shows what goes, and then appears on
// Customers → Deleted Customers with the redacted email and nothing else of theirs. The retention
// settings change how long export archives are kept. The same dialog and setting in Norwegian
// Bokmål.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../server/agents/principal.ts';
import { screenshotOnFailure, see, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { email: 'erna@example.com', password: 'correct horse battery' };

describe('web console: deleting a customer', () => {
  let session: ConsoleSession;
  let page: Page;
  let admin: Principal;

  beforeAll(async () => {
    session = await startConsole();
    page = session.page;
    const { accountId, userId } = await session.server.services.agents.createAccount({
      accountName: 'Erasure',
      name: 'Erna Admin',
      ...ADMIN,
    });
    admin = (await session.server.services.agents.startSessionFor(accountId, userId)).principal;
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page.getByRole('heading', { name: 'Active customers', level: 1 }));
  });

  afterAll(async () => {
    await session?.close();
  });

  it('refuses while a ticket is open, naming it', async () => {
    try {
      const ticket = await session.server.services.tickets.create(admin, {
        subject: 'Still waiting',
        message: 'Hello?',
        requester: { email: 'open.olsen@example.com', name: 'Open Olsen' },
      });
      await page.goto(`/customers/${ticket.requesterId}`);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await see(dialog.getByText('This customer cannot be deleted yet'));
      await see(dialog.getByText(`#${ticket.number}`, { exact: false }));
      expect(await dialog.getByRole('button', { name: 'Delete customer' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } catch (error) {
      await screenshotOnFailure(page, 'erasure refused');
      throw error;
    }
  });

  it('deletes after showing what goes, then lists the customer on Deleted Customers', async () => {
    try {
      const customer = await session.server.services.customers.create(
        admin,
        { firstName: 'Gone', lastName: 'Gundersen', email: 'gone.gundersen@example.com' },
        'agent',
      );
      await page.goto(`/customers/${customer.id}`);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await see(dialog.getByText('0 tickets they requested'));
      await dialog.getByRole('button', { name: 'Delete customer' }).click();
      await see(page.getByRole('heading', { name: 'Deleted Customers', level: 1 }));
      await session.server.services.worker.drain();
      await page.reload();
      const row = page.getByRole('row').filter({ hasText: 'g***n@e***e.com' });
      await see(row);
      await see(row.getByText(String(customer.number), { exact: true }));
      await see(row.getByText('Agent request'));
      await see(row.getByText('Erna Admin'));
      expect(await page.getByText('gone.gundersen').count()).toBe(0);
      expect(await page.getByText('Gundersen').count()).toBe(0);
    } catch (error) {
      await screenshotOnFailure(page, 'erasure deleted');
      throw error;
    }
  });

  it('keeps export archives for as many days as the retention settings say', async () => {
    try {
      await page.goto('/admin/customers');
      const form = page.getByRole('form', { name: 'Retention' });
      const days = form.getByRole('textbox', { name: 'Keep export archives for (days)' });
      await see(days);
      expect(await days.inputValue()).toBe('7');
      await days.fill('14');
      await form.getByRole('button', { name: 'Save retention settings', exact: true }).click();
      await see(page.getByText('Changes saved', { exact: true }).first());
      const settings = await session.server.services.customers.settings(admin.accountId);
      expect(settings.exportRetentionDays).toBe(14);
      // An archive made now can be downloaded for 14 days.
      const customer = await session.server.services.customers.create(
        admin,
        { firstName: 'Arkiv', lastName: 'Andersen', email: 'arkiv.andersen@example.com' },
        'agent',
      );
      await session.server.services.exports.request(admin, customer.id);
      await session.server.services.worker.drain();
      const [archive] = await session.server.services.exports.list(admin, customer.id);
      const kept = Date.parse(archive?.expiresAt ?? '') - Date.parse(archive?.readyAt ?? '');
      expect(kept).toBe(14 * 86_400_000);
    } catch (error) {
      await screenshotOnFailure(page, 'export retention');
      throw error;
    }
  });

  it('shows the refusal in Norwegian Bokmål', async () => {
    try {
      const ticket = await session.server.services.tickets.create(admin, {
        subject: 'Venter',
        message: 'Hei?',
        requester: { email: 'nora.nordmann@example.com', name: 'Nora Nordmann' },
      });
      await page.goto(`/customers/${ticket.requesterId}`);
      const setLocale = (locale: string) =>
        page.evaluate(async (value) => {
          await fetch('/api/v1/me', {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ locale: value }),
          });
        }, locale);
      await setLocale('nb');
      await page.reload();
      await page.getByRole('button', { name: 'Slett', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await see(dialog.getByText('Denne kunden kan ikke slettes ennå'));
      await see(
        dialog.getByText(`De har en uløst sak (åpen, venter eller feil): #${ticket.number}`, {
          exact: false,
        }),
      );
      await page.goto('/admin/customers');
      const days = page
        .getByRole('form', { name: 'Oppbevaring' })
        .getByRole('textbox', { name: 'Behold eksportarkiver i (dager)' });
      await see(days);
      expect(await days.inputValue()).toBe('14');
      await setLocale('en');
    } catch (error) {
      await screenshotOnFailure(page, 'erasure nb');
      throw error;
    }
  });
});
