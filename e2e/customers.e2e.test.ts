// The console in a real browser against a real server: first-run setup, login, create, search
// (diacritics-insensitive), edit with the audit trail (a phone change in the national format), a
// second email address on the form and the page, deactivate on the customer page after a
// confirmation with Undo (checked through the API), reactivate, validation errors under the right
// field, and the Norwegian Bokmål language switch (a phone-only customer named by the number).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import {
  descriptionOf,
  startConsole,
  type ConsoleSession,
  screenshotOnFailure,
  see,
  seeNo,
} from './browser.ts';
import { axeFindings } from './page-checks.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

describe('web console: customers', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startConsole();
    ({ server, browser, context, page } = session);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const customersNav = (name: string) =>
    page.getByRole('navigation').getByRole('link', { name, exact: true });

  it('runs first-run setup on an empty database and lands on the customer list', async () => {
    await page.goto('/');
    await see(heading('Set up Kunde'));
    await page.getByRole('textbox', { name: 'Account name' }).fill('Acme Support');
    await page.getByRole('textbox', { name: 'Your name' }).fill(ADMIN.name);
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await see(heading('Active customers'));
    expect(new URL(page.url()).pathname).toBe('/customers');
    await see(page.getByText('0 customers'));
    await see(page.getByRole('button', { name: ADMIN.name }));
  });

  it('logs out, refuses a wrong password, and logs in again', async () => {
    await page.getByRole('button', { name: ADMIN.name }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await see(heading('Log in to Kunde'));

    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page.getByRole('alert').filter({ hasText: 'Wrong email or password' }));

    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(heading('Active customers'));
  });

  it('creates customers with custom attributes', async () => {
    await page.getByRole('button', { name: 'New Customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Customer' });
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Åse');
    await dialog.getByRole('textbox', { name: 'Last name' }).fill('Bákken');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('Ase.Bakken@Example.NO');
    await dialog.getByRole('textbox', { name: 'Mobile number' }).fill('987 65 432');
    await dialog.getByRole('button', { name: 'Add attribute' }).click();
    await dialog.getByRole('textbox', { name: 'Attribute 1' }).fill('organization');
    await dialog.getByRole('textbox', { name: 'Value 1' }).fill('Fjordkraft AS');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);

    const ase = row('Åse Bákken');
    await see(ase);
    await see(ase.getByText('ase.bakken@example.no'));
    // The account's country (Norway) reads the number nationally; E.164 on hover and to dial.
    const phone = ase.getByRole('link', { name: '987 65 432', exact: true });
    await see(phone);
    expect(await phone.getAttribute('title')).toBe('+4798765432');
    expect(await phone.getAttribute('href')).toBe('tel:+4798765432');
    await see(ase.getByText('organization: Fjordkraft AS'));
    await see(page.getByText('1 customer', { exact: true }));

    await page.getByRole('button', { name: 'New Customer' }).click();
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Ola');
    await dialog.getByRole('textbox', { name: 'Last name' }).fill('Nordmann');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('ola@example.com');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);
    await see(row('Ola Nordmann'));
    await see(page.getByText('2 customers'));
  });

  it('shows the server’s validation error under the email field, and a duplicate’s owner', async () => {
    await page.getByRole('button', { name: 'New Customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Customer' });
    const email = dialog.getByRole('textbox', { name: 'Email' });
    await email.fill('not-an-email');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await see(dialog.getByText('not an email address'));
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(email)).toContain('not an email address');

    // Another case of an existing address is the same customer: 409 with a link to it.
    await email.fill('ASE.BAKKEN@example.no');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await see(dialog.getByText('A customer with this email address already exists.'));
    expect(await descriptionOf(email)).toContain('already exists');
    await dialog.getByRole('link', { name: 'Open the existing customer' }).click();
    await see(heading('Åse Bákken'));
    await customersNav('Active').click();
    await see(heading('Active customers'));
  });

  it('finds a customer by name without diacritics and keeps the search in the URL', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('bakken');
    await see(page.getByText('1 customer', { exact: true }));
    await see(row('Åse Bákken'));
    await seeNo(row('Ola Nordmann'));
    expect(new URL(page.url()).searchParams.get('q')).toBe('bakken');

    await page.reload();
    await see(row('Åse Bákken'));
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('bakken');
    await seeNo(row('Ola Nordmann'));
  });

  it('edits a customer and shows the change in its audit trail', async () => {
    await row('Åse Bákken').getByRole('link', { name: 'Åse Bákken', exact: true }).click();
    await see(heading('Åse Bákken'));
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit customer' });
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Åse Marie');
    await dialog.getByRole('textbox', { name: 'Value 1' }).fill('Fjordkraft ASA');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);
    await see(heading('Åse Marie Bákken'));

    const audit = page.getByRole('region', { name: 'Audit trail' });
    const updated = audit.getByRole('row').filter({ hasText: 'Updated' });
    await see(updated);
    await see(updated.getByText(ADMIN.name));
    await see(updated.getByText(/First name:\s*Åse\s*→\s*Åse Marie/));
    await see(updated.getByText(/organization:\s*Fjordkraft AS\s*→\s*Fjordkraft ASA/));
    await see(audit.getByRole('row').filter({ hasText: 'Created' }));
  });

  it('refuses a stale edit and shows what the other agent saved', async () => {
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit customer' });
    await dialog.getByRole('textbox', { name: 'Last name' }).fill('Bákken-Berg');

    // Someone else saves first (same agent, another tab: the API with this browser's cookie).
    const other = await context.request.patch(`/api/v1/customers/${id}`, {
      data: { phone: '+47 912 34 567' },
    });
    expect(other.status()).toBe(200);

    await dialog.getByRole('button', { name: 'Save' }).click();
    await see(
      page.getByText('Someone else changed this customer while you were editing.', {
        exact: false,
      }),
    );
    await seeNo(dialog);
    await see(page.getByText('912 34 567', { exact: true }));
    await see(heading('Åse Marie Bákken'));
  });

  it('adds a second email address on the form and lists it on the page as additional', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit customer' });
    // The stale-edit notice of the step before still lies over the Save button for a while.
    const save = () => dialog.getByRole('button', { name: 'Save' }).press('Enter');
    const more = dialog.getByRole('combobox', { name: 'More email addresses' });
    await more.fill('ase@fjordkraft.no');
    await more.press('Enter');
    // The primary again is refused on its item.
    await more.fill('ase.bakken@example.no');
    await more.press('Enter');
    await save();
    await see(dialog.getByText('already the primary email address', { exact: false }));
    expect(await descriptionOf(more)).toContain('already the primary');

    // Another customer's address is a 409 on its item, with the way to that customer.
    await more.press('Backspace');
    await more.fill('ola@example.com');
    await more.press('Enter');
    await save();
    await see(dialog.getByText('A customer with this email address already exists.'));
    expect(await descriptionOf(more)).toContain('ola@example.com: A customer with this email');
    await see(dialog.getByRole('link', { name: 'Open the existing customer' }));

    await more.press('Backspace');
    await save();
    await seeNo(dialog);
    const emails = page.locator('[data-panel-item="property:email"]');
    await see(emails.getByRole('link', { name: 'ase.bakken@example.no' }));
    await see(emails.getByRole('link', { name: 'ase@fjordkraft.no' }));
    await see(emails.getByText('additional', { exact: true }));
  });

  it('shows a phone change in the audit trail in the national format, E.164 as its title', async () => {
    // The stale-edit step changed her number through the API: +4798765432 → +4791234567.
    const changed = page
      .getByRole('region', { name: 'Audit trail' })
      .getByRole('row')
      .filter({ hasText: /Mobile number:\s*987 65 432\s*→\s*912 34 567/ });
    await see(changed);
    expect(await changed.getByText('987 65 432', { exact: true }).getAttribute('title')).toBe(
      '+4798765432',
    );
    expect(await changed.getByText('912 34 567', { exact: true }).getAttribute('title')).toBe(
      '+4791234567',
    );
    await seeNo(changed.getByText('+4791234567'));
  });

  it('asks before deactivating on the customer page; Cancel keeps her, Undo brings her back', async () => {
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const status = async () =>
      ((await (await context.request.get(`/api/v1/customers/${id}`)).json()) as { status: string })
        .status;
    const dialog = page.getByRole('dialog', { name: 'Deactivate Åse Marie Bákken?' });
    await page.getByRole('main').getByRole('button', { name: 'Deactivate' }).click();
    await see(dialog.getByText('Their tickets and history stay.', { exact: false }));
    expect(await axeFindings(page, 'deactivate confirmation (en)')).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await seeNo(dialog);
    expect(await status()).toBe('active');

    await page.getByRole('main').getByRole('button', { name: 'Deactivate' }).click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await seeNo(dialog);
    await see(page.getByText('Åse Marie Bákken was deactivated', { exact: true }));
    await see(page.getByText('This customer is deactivated', { exact: false }));
    expect(await status()).toBe('deactivated');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await see(page.getByText('Åse Marie Bákken is active again', { exact: true }));
    await seeNo(page.getByText('This customer is deactivated', { exact: false }));
    expect(await status()).toBe('active');
  });

  it('deactivates a customer, who moves to Deactivated, and reactivates them', async () => {
    await page.getByRole('main').getByRole('button', { name: 'Deactivate' }).click();
    await page
      .getByRole('dialog', { name: 'Deactivate Åse Marie Bákken?' })
      .getByRole('button', { name: 'Deactivate' })
      .click();
    await see(page.getByText('This customer is deactivated', { exact: false }));
    await see(
      page
        .getByRole('region', { name: 'Audit trail' })
        .getByRole('row')
        .filter({ hasText: 'Deactivated' }),
    );

    await customersNav('Active').click();
    await see(heading('Active customers'));
    await see(row('Ola Nordmann'));
    await seeNo(row('Åse Marie Bákken'));

    await customersNav('Deactivated').click();
    await see(heading('Deactivated customers'));
    const ase = row('Åse Marie Bákken');
    await see(ase);
    await seeNo(row('Ola Nordmann'));
    // The row's actions menu, then a confirmation naming her (issue 16).
    await ase.getByRole('button', { name: 'Actions for Åse Marie Bákken' }).click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await page
      .getByRole('dialog', { name: 'Reactivate Åse Marie Bákken?' })
      .getByRole('button', { name: 'Reactivate' })
      .click();
    await seeNo(ase);
    await see(page.getByText('No deactivated customers.'));

    await customersNav('Active').click();
    await see(row('Åse Marie Bákken'));
    await see(page.getByText('2 customers'));
  });

  it('switches to Norsk bokmål, remembers it for the agent, and formats for the locale', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Norsk bokmål' }).click();

    await see(heading('Aktive kunder'));
    await see(customersNav('Aktive'));
    await see(customersNav('Deaktiverte'));
    await see(page.getByRole('button', { name: 'Ny kunde' }));
    await see(page.getByRole('columnheader', { name: 'Navn' }));
    await see(page.getByRole('columnheader', { name: 'Attributter' }));
    await see(page.getByText('2 kunder'));
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');

    // Remembered on the server: a fresh browser logs in and gets Norwegian.
    const other = await browser.newContext({ locale: 'en-US', baseURL: server.url });
    try {
      const second = await other.newPage();
      second.setDefaultTimeout(10_000);
      await second.goto('/login');
      await second.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
      await second.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await second.getByRole('button', { name: 'Log in' }).click();
      await see(second.getByRole('heading', { name: 'Aktive kunder', level: 1 }));
    } finally {
      await other.close();
    }

    await row('Åse Marie Bákken')
      .getByRole('link', { name: 'Åse Marie Bákken', exact: true })
      .click();
    await see(page.getByRole('region', { name: 'Endringslogg' }));
    await see(page.getByRole('button', { name: 'Rediger' }));
    await see(page.getByRole('columnheader', { name: 'Tidspunkt' }));
    // Dates in Norwegian: "24. nov. 2026, 23:28".
    const firstTime = await page
      .getByRole('region', { name: 'Endringslogg' })
      .locator('time')
      .first()
      .textContent();
    expect(firstTime).toMatch(/^\d{1,2}\. \p{L}+\.? \d{4}/u);

    // A customer known only by phone is named by the number as Norwegians write it.
    const created = await context.request.post('/api/v1/customers', {
      data: { phone: '+4741234567' },
    });
    expect(created.status()).toBe(201);
    const phoneOnly = ((await created.json()) as { id: string }).id;
    const status = async () =>
      (
        (await (await context.request.get(`/api/v1/customers/${phoneOnly}`)).json()) as {
          status: string;
        }
      ).status;
    await page.goto(`/customers/${phoneOnly}`);
    await see(page.getByRole('heading', { name: '412 34 567', level: 1 }));
    const dialog = page.getByRole('dialog', { name: 'Deaktivere 412 34 567?' });
    await page.getByRole('main').getByRole('button', { name: 'Deaktiver' }).click();
    await see(dialog.getByText('Sakene og historikken blir værende.', { exact: false }));
    expect(await axeFindings(page, 'deactivate confirmation (nb)')).toEqual([]);
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await seeNo(dialog);
    expect(await status()).toBe('active');
    await page.getByRole('main').getByRole('button', { name: 'Deaktiver' }).click();
    await dialog.getByRole('button', { name: 'Deaktiver' }).click();
    await see(page.getByText('412 34 567 er deaktivert', { exact: true }));
    expect(await status()).toBe('deactivated');
    await page.getByRole('button', { name: 'Angre', exact: true }).click();
    await see(page.getByText('412 34 567 er aktiv igjen', { exact: true }));
    expect(await status()).toBe('active');

    await page.getByRole('button', { name: ADMIN.name }).click();
    await page.getByRole('menuitem', { name: 'Logg ut' }).click();
    await see(page.getByRole('heading', { name: 'Logg inn i Kunde', level: 1 }));
    await see(page.getByRole('textbox', { name: 'Passord' }));
  });
});
