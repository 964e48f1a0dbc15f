// Merging duplicates in the console, in a real browser against a real server (issue 15): an
// agent merges two customers from the customer page with the preview (keeping the duplicate's
// first name), sees the survivor hold both email addresses and both customers' tickets, opens
// the merged-away customer's old link and lands on the survivor, undoes the merge and sees both
// again; the same in Norwegian Bokmål; and Customers → Possible duplicates lists a suspected pair
// with its reason, counted on the menu, until it is dismissed.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import type { Principal } from '../server/agents/principal.ts';
import type { TestServer } from '../server/test/server.ts';
import {
  followMenuLink,
  menu,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { email: 'mari@example.com', password: 'correct horse battery' };

describe('web console: merging duplicate customers', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let page: Page;
  let admin: Principal;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, page } = session);
    const { accountId, userId } = await server.services.agents.createAccount({
      accountName: 'Fjordhjelp',
      name: 'Mari Admin',
      ...ADMIN,
    });
    admin = (await server.services.agents.startSessionFor(accountId, userId)).principal;
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page.getByRole('heading', { name: 'Active customers', level: 1 }));
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  /** A customer with tickets (requested by their email address), as the API presents them. */
  async function customerWithTickets(
    values: { firstName: string; lastName: string; email: string },
    subjects: string[],
  ): Promise<Customer> {
    const customer = await server.services.customers.create(admin, values, 'agent');
    for (const subject of subjects) {
      await server.services.tickets.create(admin, {
        subject,
        message: `${subject}, please`,
        requesterId: customer.id,
      });
    }
    return customer;
  }

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const ticketsSection = () => page.getByRole('region', { name: /^(Tickets|Saker)$/ });
  const setLocale = (locale: string) =>
    page.evaluate(async (value) => {
      await fetch('/api/v1/me', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ locale: value }),
      });
    }, locale);

  /** Picks the duplicate in the merge dialog by searching for its email address. */
  async function pickDuplicate(dialog: Locator, search: string, other: Customer, choose: string) {
    await dialog.getByRole('textbox', { name: search }).fill(other.email ?? '');
    await dialog
      .getByRole('button', { name: new RegExp(`^${choose} .*\\(#${other.number}\\)$`) })
      .click();
  }

  it('merges with the preview, keeping the duplicate’s first name, and undoes it', async () => {
    const kari = await customerWithTickets(
      { firstName: 'Kari', lastName: 'Nordmann', email: 'kari@fjord.no' },
      ['Invoice question'],
    );
    const karianne = await customerWithTickets(
      { firstName: 'Karianne', lastName: 'Nordmann', email: 'karianne.privat@example.com' },
      ['Broken charger', 'Address change'],
    );
    await page.goto(`/customers/${kari.id}`);
    await see(heading('Kari Nordmann'));
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog');
    await pickDuplicate(dialog, 'Find a customer', karianne, 'Choose');

    // The preview: both side by side, the first name to choose, every address kept, the counts.
    const preview = dialog.getByRole('table', { name: 'What the merge does, field by field' });
    const firstName = preview.locator('[data-merge-field="firstName"]');
    await see(firstName.getByRole('radio', { name: 'First name: Kari', exact: true }));
    expect(await firstName.locator('[data-merge-result]').textContent()).toBe('Kari');
    const addresses = dialog.getByRole('list', { name: 'Email addresses and phone numbers' });
    await see(addresses.getByText('kari@fjord.no'));
    await see(addresses.getByText('karianne.privat@example.com'));
    const moves = dialog.getByRole('list', { name: /^What moves to/ });
    await see(moves.getByText('2 tickets', { exact: true }));

    // Choosing the duplicate's first name previews again with it.
    await firstName.getByRole('radio', { name: 'First name: Karianne' }).check();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-merge-field="firstName"] [data-merge-result]')
          ?.textContent === 'Karianne',
    );
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();

    // The survivor: the chosen name, both addresses, every ticket, the undo banner.
    await see(heading('Karianne Nordmann'));
    expect(new URL(page.url()).pathname).toBe(`/customers/${kari.id}`);
    for (const subject of ['Invoice question', 'Broken charger', 'Address change']) {
      await see(ticketsSection().getByText(subject));
    }
    const survivor = await server.services.customers.get(admin, kari.id);
    expect([survivor.email, ...survivor.additionalEmails].sort()).toEqual([
      'kari@fjord.no',
      'karianne.privat@example.com',
    ]);
    await see(page.getByText(`Merged from #${karianne.number}`));
    await see(page.getByRole('cell', { name: 'Merged with another customer' }));

    // The merged-away customer's old link shows the survivor, saying so.
    await page.goto(`/customers/${karianne.id}`);
    await see(page.getByText(`#${karianne.number} was merged into this customer.`));
    await see(heading('Karianne Nordmann'));
    expect(new URL(page.url()).pathname).toBe(`/customers/${kari.id}`);

    // Undo: both are back as they were, each with its own tickets.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await see(page.getByText(`The merge was undone: #${karianne.number} is a separate customer`));
    await see(heading('Kari Nordmann'));
    await see(ticketsSection().getByText('Invoice question'));
    await seeNo(ticketsSection().getByText('Broken charger'));
    await page.getByRole('link', { name: `Open #${karianne.number}` }).click();
    await see(heading('Karianne Nordmann'));
    await see(ticketsSection().getByText('Broken charger'));
    await see(ticketsSection().getByText('Address change'));
    await seeNo(ticketsSection().getByText('Invoice question'));
    const restored = await server.services.customers.get(admin, karianne.id);
    expect(restored.status).toBe('active');
    expect(restored.email).toBe('karianne.privat@example.com');
  });

  it('merges and undoes in Norwegian Bokmål', async () => {
    const per = await customerWithTickets(
      { firstName: 'Per', lastName: 'Hansen', email: 'per@fjord.no' },
      ['Faktura'],
    );
    const peder = await customerWithTickets(
      { firstName: 'Peder', lastName: 'Hansen', email: 'peder.hansen@example.com' },
      ['Lader'],
    );
    await setLocale('nb');
    try {
      await page.goto(`/customers/${per.id}`);
      await see(heading('Per Hansen'));
      await page.getByRole('button', { name: 'Slå sammen …' }).click();
      const dialog = page.getByRole('dialog');
      await pickDuplicate(dialog, 'Finn en kunde', peder, 'Velg');
      const preview = dialog.getByRole('table', { name: 'Hva sammenslåingen gjør, felt for felt' });
      await see(preview.getByRole('radio', { name: 'Fornavn: Peder' }));
      await see(dialog.getByText('1 sak', { exact: true }));
      await preview.getByRole('radio', { name: 'Fornavn: Peder' }).check();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-merge-field="firstName"] [data-merge-result]')
            ?.textContent === 'Peder',
      );
      await dialog.getByRole('button', { name: 'Slå sammen', exact: true }).click();
      await see(heading('Peder Hansen'));
      await see(ticketsSection().getByText('Lader'));
      await see(page.getByText(`Slått sammen fra #${peder.number}`));
      await page.getByRole('button', { name: 'Angre', exact: true }).click();
      await see(page.getByText(`Sammenslåingen ble angret: #${peder.number}`));
      await see(heading('Per Hansen'));
      await see(page.getByRole('cell', { name: 'Sammenslåing angret' }).first());
    } finally {
      await setLocale('en');
    }
  });

  it('lists a possible duplicate with its reason and the count, until it is dismissed', async () => {
    const ola = await server.services.customers.create(
      admin,
      { firstName: 'Ola', lastName: 'Dunk', email: 'ola@dunk.no' },
      'agent',
    );
    const support = await server.services.customers.create(
      admin,
      { firstName: 'Ola', lastName: 'Support', email: 'ola+support@dunk.no' },
      'agent',
    );
    await page.goto('/customers');
    await followMenuLink(page, 'Customers', 'Possible duplicates');
    await see(heading('Possible duplicates'));
    const pair = page.getByRole('article').filter({ hasText: `#${support.number}` });
    await see(pair.getByText(`#${ola.number}`, { exact: false }));
    await see(pair.getByText(/The same email address, one with a \+tag/));
    await see(pair.getByText(/ola\+support@dunk\.no/).first());
    const link = menu(page).getByRole('link', { name: 'Possible duplicates', exact: true });
    await expect.poll(() => link.textContent()).toMatch(/\d/);
    const counted = Number((await link.textContent())?.replace(/\D/g, ''));
    expect(counted).toBeGreaterThan(0);

    await pair.getByRole('button', { name: 'Dismiss' }).click();
    await see(page.getByText('The pair was dismissed and will not be suggested again.'));
    await seeNo(page.getByRole('article').filter({ hasText: `#${support.number}` }));
    await page.reload();
    await see(heading('Possible duplicates'));
    await seeNo(page.getByRole('article').filter({ hasText: `#${support.number}` }));
    const count = await server.services.db.kysely
      .selectFrom('duplicate_suggestions')
      .select('dismissed_at')
      .where('account_id', '=', admin.accountId)
      .execute();
    expect(count.some((row) => row.dismissed_at !== null)).toBe(true);
    await expect
      .poll(async () => Number(((await link.textContent()) ?? '').replace(/\D/g, '') || 0))
      .toBe(counted - 1);
  });
});
