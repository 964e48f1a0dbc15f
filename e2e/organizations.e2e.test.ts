// Organizations in a real browser against a real server: create one, add a domain and move the
// domain's existing customers in, new customers joining by domain, drag and drop between
// organizations (and the Move dialog), the auto-create setting off, a required custom field's
// error under its input, and the customer page following the configured detail panel.
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import type { Organization } from '../common/organization.ts';
import type { Page as ListPage } from '../common/paging.ts';
import {
  descriptionOf,
  followMenuLink,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

async function json<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

describe('web console: organizations', () => {
  let session: ConsoleSession;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ context, page } = session);
    // Set-up through the API logs this browser context in (the request shares its cookies).
    api = context.request;
    const setup = await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } });
    expect(setup.status()).toBe(201);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const nav = (name: string) =>
    page
      .getByRole('navigation', { name: /^(Main navigation|Hovedmeny)$/ })
      .getByRole('link', { name, exact: true });
  const adminNav = (name: string) => followMenuLink(page, 'Administration', name);
  const dropTarget = (name: string) => page.locator(`[data-drop-target="${name}"]`);
  const customerByEmail = async (email: string) =>
    (await json<ListPage<Customer>>(api, `/api/v1/customers?q=${encodeURIComponent(email)}`))
      .items[0];
  const organizationNamed = async (name: string) =>
    (
      await json<ListPage<Organization>>(api, `/api/v1/organizations?q=${encodeURIComponent(name)}`)
    ).items.find((o) => o.name === name);

  async function createCustomer(fields: { firstName: string; email: string }) {
    await nav('Active').click();
    await page.getByRole('button', { name: 'New Customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Customer' });
    await dialog.getByRole('textbox', { name: 'First name' }).fill(fields.firstName);
    await dialog.getByRole('textbox', { name: 'Email' }).fill(fields.email);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);
  }

  it('creates an organization with a domain', async () => {
    await page.goto('/customers');
    await nav('Organizations').click();
    await see(heading('Organizations'));
    await see(page.getByText('No organizations yet.'));

    await page.getByRole('button', { name: 'New organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'New organization' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Fjordkraft AS');
    await dialog.getByRole('combobox', { name: 'Domains' }).fill('fjordkraft.no');
    await dialog.getByRole('combobox', { name: 'Domains' }).press('Enter');
    await dialog.getByRole('textbox', { name: 'Notes' }).fill('Energy, key account');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await seeNo(dialog);

    await see(heading('Fjordkraft AS'));
    const domains = page.getByRole('region', { name: 'Domains' });
    await see(domains.getByText('fjordkraft.no'));
    await see(page.getByText('Energy, key account'));
  });

  it('adds a domain and moves that domain’s existing customers in when asked', async () => {
    // Two customers of nordlys.no who were put outside any organization.
    for (const email of ['a@nordlys.no', 'b@nordlys.no']) {
      const created = await api.post('/api/v1/customers', {
        data: { email, organizationId: null },
      });
      expect(created.status()).toBe(201);
    }
    const domains = page.getByRole('region', { name: 'Domains' });
    await domains.getByRole('textbox', { name: 'New domain' }).fill('nordlys.no');
    await domains.getByRole('button', { name: 'Add domain' }).click();
    await see(domains.getByText('nordlys.no', { exact: true }));

    const moveExisting = domains.getByRole('button', {
      name: 'Move 2 existing customers into Fjordkraft AS',
    });
    await moveExisting.click();
    await seeNo(moveExisting);
    const members = page.getByRole('region', { name: 'Customers' });
    await see(members.getByText('a@nordlys.no'));
    await see(members.getByText('b@nordlys.no'));
    const fjordkraft = await organizationNamed('Fjordkraft AS');
    expect((await customerByEmail('a@nordlys.no'))?.organizationId).toBe(fjordkraft?.id);

    // A public mail domain is refused with the server's reason under the input.
    await domains.getByRole('textbox', { name: 'New domain' }).fill('gmail.com');
    await domains.getByRole('button', { name: 'Add domain' }).click();
    await see(domains.getByText('public mail', { exact: false }));
  });

  it('puts a new customer with the domain’s email into the organization automatically', async () => {
    await createCustomer({ firstName: 'Siri', email: 'siri@nordlys.no' });
    await see(row('siri@nordlys.no').getByRole('link', { name: 'Fjordkraft AS' }));
    const fjordkraft = await organizationNamed('Fjordkraft AS');
    expect((await customerByEmail('siri@nordlys.no'))?.organizationId).toBe(fjordkraft?.id);
  });

  it('moves customers by drag and drop onto an organization, and with the Move dialog', async () => {
    const created = await api.post('/api/v1/organizations', { data: { name: 'Equinor ASA' } });
    expect(created.status()).toBe(201);
    const equinor = (await created.json()) as Organization;
    await page.reload();

    // One row, dragged alone onto Equinor ASA in the list beside the customers.
    await see(dropTarget('Equinor ASA'));
    await row('siri@nordlys.no').dragTo(dropTarget('Equinor ASA'));
    await see(page.getByText('Siri moved to Equinor ASA'));
    await see(row('siri@nordlys.no').getByRole('link', { name: 'Equinor ASA' }));
    expect((await customerByEmail('siri@nordlys.no'))?.organizationId).toBe(equinor.id);

    // Undo puts her back where she was; the drag again moves her for good.
    await page.getByRole('button', { name: 'Undo' }).click();
    await see(row('siri@nordlys.no').getByRole('link', { name: 'Fjordkraft AS' }));
    expect((await customerByEmail('siri@nordlys.no'))?.organizationId).not.toBe(equinor.id);
    await row('siri@nordlys.no').dragTo(dropTarget('Equinor ASA'));
    await see(row('siri@nordlys.no').getByRole('link', { name: 'Equinor ASA' }));
    expect((await customerByEmail('siri@nordlys.no'))?.organizationId).toBe(equinor.id);

    // Two selected rows travel together when one of them is dragged, here to "No organization".
    await page.getByRole('checkbox', { name: 'Select a@nordlys.no' }).check();
    await page.getByRole('checkbox', { name: 'Select b@nordlys.no' }).check();
    await see(page.getByText('2 customers selected'));
    await row('a@nordlys.no').dragTo(dropTarget('No organization'));
    await see(page.getByText('2 customers moved to No organization'));
    await see(row('b@nordlys.no').getByText('No organization'));
    expect((await customerByEmail('a@nordlys.no'))?.organizationId).toBeNull();
    expect((await customerByEmail('b@nordlys.no'))?.organizationId).toBeNull();

    // The same with the dialog, for any number of selected customers.
    await page.getByRole('checkbox', { name: 'Select a@nordlys.no' }).check();
    await page.getByRole('button', { name: 'Move to organization…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 1 customer' });
    await dialog.getByRole('combobox', { name: 'Organization' }).fill('Equin');
    await page.getByRole('option', { name: 'Equinor ASA' }).click();
    await dialog.getByRole('button', { name: 'Move 1 customer' }).click();
    await seeNo(dialog);
    await see(row('a@nordlys.no').getByRole('link', { name: 'Equinor ASA' }));
    expect((await customerByEmail('a@nordlys.no'))?.organizationId).toBe(equinor.id);

    // Clicking an organization beside the list filters the list to its customers.
    await dropTarget('Equinor ASA').click();
    await see(page.getByText('2 customers', { exact: true }));
    await seeNo(row('b@nordlys.no'));
    expect(new URL(page.url()).searchParams.get('organizationId')).toBe(equinor.id);
  });

  it('with automatic organizations off, a customer of an unknown domain lands in No organization', async () => {
    await adminNav('Customers');
    await see(heading('Customers'));
    const toggle = page.getByRole('switch', { name: 'Automatically create customer organization' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck({ force: true });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await see(page.getByText('Changes saved'));
    const settings = await json<{ autoCreateOrganizations: boolean }>(api, '/api/v1/settings');
    expect(settings.autoCreateOrganizations).toBe(false);

    await createCustomer({ firstName: 'Nora', email: 'nora@ukjent-firma.no' });
    await see(row('nora@ukjent-firma.no').getByText('No organization'));
    expect((await customerByEmail('nora@ukjent-firma.no'))?.organizationId).toBeNull();
    expect(await organizationNamed('ukjent-firma.no')).toBeUndefined();
  });

  it('shows a required dropdown field’s error under the field, and saves its value', async () => {
    await adminNav('Custom fields');
    await see(heading('Custom fields'));
    await page.getByRole('button', { name: 'New field' }).click();
    const fieldDialog = page.getByRole('dialog', { name: 'New custom field' });
    await fieldDialog.getByRole('textbox', { name: 'Label', exact: true }).fill('Tier');
    await fieldDialog.getByRole('textbox', { name: 'Norwegian label' }).fill('Nivå');
    expect(await fieldDialog.getByRole('textbox', { name: 'Key' }).inputValue()).toBe('tier');
    await fieldDialog.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'Dropdown' }).click();
    for (const option of ['Gold', 'Silver']) {
      await fieldDialog.getByRole('textbox', { name: 'New option' }).fill(option);
      await fieldDialog.getByRole('textbox', { name: 'New option' }).press('Enter');
    }
    await fieldDialog.getByRole('switch', { name: 'Required' }).check({ force: true });
    await fieldDialog.getByRole('button', { name: 'Create field' }).click();
    await seeNo(fieldDialog);
    await see(row('tier').getByText('Gold, Silver'));

    await nav('Active').click();
    await page.getByRole('button', { name: 'New Customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Customer' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill('vip@fjordkraft.no');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const tier = dialog.getByRole('combobox', { name: 'Tier' });
    await see(dialog.getByText('Tier is required'));
    expect(await tier.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(tier)).toContain('Tier is required');

    await tier.click();
    await page.getByRole('option', { name: 'Gold' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await seeNo(dialog);
    expect((await customerByEmail('vip@fjordkraft.no'))?.customAttributes).toEqual({
      tier: 'Gold',
    });
  });

  it('shows the customer page’s details in the order the detail panel says', async () => {
    await adminNav('Detail panel');
    await see(heading('Detail panel'));
    await page.getByRole('combobox', { name: 'Add to the panel' }).click();
    await page.getByRole('option', { name: 'Tier' }).click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // Tier to the top, and no reference number.
    for (let i = 0; i < 8; i++) await page.getByRole('button', { name: 'Move Tier up' }).click();
    await page.getByRole('button', { name: 'Remove Reference number' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await see(page.getByText('Detail panel saved'));

    const customer = await customerByEmail('vip@fjordkraft.no');
    await page.goto(`/customers/${customer?.id ?? ''}`);
    const details = page.getByRole('region', { name: 'Details' });
    await see(details.getByText('Gold'));
    const order = await details
      .locator('[data-panel-item]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-panel-item')));
    expect(order).toEqual([
      'field:tier',
      'property:email',
      'property:phone',
      'property:organization',
      'property:type',
      'property:customAttributes',
      'property:createdVia',
      'property:createdAt',
    ]);
    await see(details.getByRole('link', { name: 'Fjordkraft AS' }));

    // With "show customer type" off the type leaves the panel.
    await api.patch('/api/v1/settings', { data: { showCustomerType: false } });
    await page.reload();
    await see(details.getByText('Gold'));
    await seeNo(details.locator('[data-panel-item="property:type"]'));
  });

  it('speaks Norwegian: organizations, No organization and the domain button', async () => {
    await api.patch('/api/v1/me', { data: { locale: 'nb' } });
    await page.evaluate(() => localStorage.setItem('kunde.locale', 'nb'));
    for (const email of ['x@havbris.no', 'y@havbris.no']) {
      const data = { email, organizationId: null, customAttributes: { tier: 'Silver' } };
      expect((await api.post('/api/v1/customers', { data })).status()).toBe(201);
    }
    const equinor = await organizationNamed('Equinor ASA');
    await page.goto(`/organizations/${equinor?.id ?? ''}`);
    const domains = page.getByRole('region', { name: 'Domener' });
    await domains.getByRole('textbox', { name: 'Nytt domene' }).fill('havbris.no');
    await domains.getByRole('button', { name: 'Legg til domene' }).click();
    await see(
      domains.getByRole('button', { name: 'Flytt 2 eksisterende kunder inn i Equinor ASA' }),
    );
    await nav('Aktive').click();
    await see(page.getByRole('columnheader', { name: 'Organisasjon' }));
    await see(row('nora@ukjent-firma.no').getByText('Ingen organisasjon'));
    await see(page.getByRole('navigation', { name: 'Hovedmeny' }).getByText('Organisasjoner'));
  });
});
