// Customer contacts, locations and areas in a real browser against a real server (issue 12):
// add a contact from the Contacts tab's inline row, edit a field inline, link an existing
// customer by email after the confirmation, Deactivate Contact; then a new ticket: pick the
// organization, add a contact with the New Customer Contact modal, choose location and area;
// and a location with an area on the Locations tab.
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import type { Location } from '../common/location.ts';
import type { Organization } from '../common/organization.ts';
import type { Page as ListPage } from '../common/paging.ts';
import type { Ticket } from '../common/ticket.ts';
import { screenshotOnFailure, see, seeNo, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

describe('web console: customer contacts, locations and areas', () => {
  let session: ConsoleSession;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;
  let organization: Organization;
  let location: Location;

  async function json<T>(path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }
  async function post<T>(path: string, data: unknown): Promise<T> {
    const response = await api.post(path, { data });
    expect(response.status(), path).toBe(201);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ context, page } = session);
    api = context.request;
    expect(
      (await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } })).status(),
    ).toBe(201);
    organization = await post<Organization>('/api/v1/organizations', { name: 'Fjord AS' });
    location = await post<Location>(`/api/v1/organizations/${organization.id}/locations`, {
      name: 'Head office',
      addressLine1: 'Strandgaten 1',
      postalCode: '5013',
      city: 'Bergen',
    });
    await post(`/api/v1/organizations/${organization.id}/locations/${location.id}/areas`, {
      name: 'Floor 3',
    });
    // Someone Kunde knows already, outside the organization.
    await post('/api/v1/customers', {
      firstName: 'Per',
      lastName: 'Olsen',
      email: 'per@gmail.com',
    });
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const contactsTable = () => page.getByRole('table', { name: 'Customer Contacts' });
  const row = (text: string) => contactsTable().getByRole('row').filter({ hasText: text });
  const contacts = () =>
    json<ListPage<Customer>>(`/api/v1/organizations/${organization.id}/contacts`);

  it('adds a contact inline, edits a field inline, links an existing customer and deactivates', async () => {
    await page.goto(`/organizations/${organization.id}`);
    await see(heading('Fjord AS'));
    await page.getByRole('tab', { name: 'Customer Contacts' }).click();
    await see(page.getByText('No active contacts yet.', { exact: false }));

    const addRow = contactsTable().getByRole('row', { name: 'Add New Contact' });
    await addRow.getByRole('button', { name: 'Save' }).click();
    await see(addRow.getByText('Required'));
    await addRow.getByRole('textbox', { name: "New contact's first name" }).fill('Kari');
    await addRow.getByRole('textbox', { name: "New contact's last name" }).fill('Hansen');
    await addRow.getByRole('textbox', { name: "New contact's email" }).fill('kari@fjord.no');
    await addRow.getByRole('button', { name: 'Save' }).click();
    await see(row('kari@fjord.no').getByRole('link', { name: 'Kari' }));
    expect(await addRow.getByRole('textbox', { name: "New contact's email" }).inputValue()).toBe(
      '',
    );
    expect((await contacts()).items).toMatchObject([
      { firstName: 'Kari', lastName: 'Hansen', email: 'kari@fjord.no' },
    ]);

    // The edit icon beside a field turns it into an input with Save.
    await row('kari@fjord.no')
      .getByRole('button', { name: 'Edit Last name of Kari Hansen' })
      .click();
    const input = row('kari@fjord.no').getByRole('textbox', { name: 'Last name' });
    await input.fill('Hansen-Berg');
    await row('kari@fjord.no').getByRole('button', { name: 'Save' }).click();
    await see(row('kari@fjord.no').getByText('Hansen-Berg'));
    expect((await contacts()).items[0]?.lastName).toBe('Hansen-Berg');

    // An address Kunde knows already: the agent is asked, and the existing customer moves in.
    await addRow.getByRole('textbox', { name: "New contact's first name" }).fill('Peder');
    await addRow.getByRole('textbox', { name: "New contact's email" }).fill('PER@gmail.com');
    await addRow.getByRole('button', { name: 'Save' }).click();
    const ask = page.getByRole('dialog', { name: 'per@gmail.com already belongs to a customer' });
    await see(ask.getByText('Per Olsen (per@gmail.com) is an existing customer', { exact: false }));
    await ask.getByRole('button', { name: 'Link existing customer' }).click();
    await seeNo(ask);
    await see(row('per@gmail.com').getByRole('link', { name: 'Per' }));
    const everyone = await json<ListPage<Customer>>(
      '/api/v1/customers?status=all&q=per%40gmail.com',
    );
    expect(everyone.items).toMatchObject([{ firstName: 'Per', organizationId: organization.id }]);
    expect(everyone.total).toBe(1);

    // Deactivate Contact, after the confirmation.
    await row('kari@fjord.no')
      .getByRole('button', { name: 'Deactivate Contact Kari Hansen-Berg' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate Kari Hansen-Berg?' });
    await confirm.getByRole('button', { name: 'Deactivate Contact' }).click();
    await seeNo(confirm);
    await seeNo(row('kari@fjord.no'));
    expect((await contacts()).items.map((c) => c.email)).toEqual(['per@gmail.com']);
  });

  it('adds a contact from a new ticket and files the ticket at a location and area', async () => {
    await page.goto('/tickets');
    await page.getByRole('button', { name: 'New ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByRole('combobox', { name: 'Organization' }).fill('Fjord');
    await page.getByRole('option', { name: 'Fjord AS' }).click();
    await dialog.getByRole('button', { name: 'New Customer Contact' }).click();

    const modal = page.getByRole('dialog', { name: 'Add Customer Contact for Fjord AS' });
    await modal.getByRole('textbox', { name: 'First Name' }).fill('Siri');
    await modal.getByRole('textbox', { name: 'Last Name' }).fill('Dahl');
    await modal.getByRole('textbox', { name: 'Email Address' }).fill('siri@fjord.no');
    await modal.getByRole('button', { name: 'Submit New Customer Contact' }).click();
    await seeNo(modal);
    expect(await dialog.getByRole('combobox', { name: 'Customer contact' }).inputValue()).toContain(
      'Siri Dahl',
    );

    await dialog.getByRole('combobox', { name: 'Location' }).click();
    await page.getByRole('option', { name: 'Head office' }).click();
    await dialog.getByRole('combobox', { name: 'Area' }).click();
    await page.getByRole('option', { name: 'Floor 3' }).click();
    await dialog.getByRole('textbox', { name: 'Subject' }).fill('Skriveren virker ikke');
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Skriveren i 3. etasje er tom.');
    await dialog.getByRole('button', { name: 'Create ticket' }).click();
    await seeNo(dialog);
    await see(heading('Skriveren virker ikke'));
    expect(await page.getByRole('combobox', { name: 'Location' }).inputValue()).toBe('Head office');
    expect(await page.getByRole('combobox', { name: 'Area' }).inputValue()).toBe('Floor 3');

    // The ticket list filters by organization, then location.
    await page.goto('/tickets?status=all');
    await page.getByRole('combobox', { name: 'Filter tickets by organization' }).fill('Fjord');
    await page.getByRole('option', { name: 'Fjord AS' }).click();
    await page.getByRole('combobox', { name: 'Filter tickets by location' }).click();
    await page.getByRole('option', { name: 'Head office' }).click();
    await see(page.getByRole('row').filter({ hasText: 'Skriveren virker ikke' }));
    expect(new URL(page.url()).searchParams.get('locationId')).toBe(location.id);

    const siri = (await contacts()).items.find((c) => c.email === 'siri@fjord.no');
    expect(siri).toMatchObject({ firstName: 'Siri', lastName: 'Dahl' });
    const tickets = await json<ListPage<Ticket>>(`/api/v1/tickets?locationId=${location.id}`);
    expect(tickets.items).toMatchObject([
      {
        subject: 'Skriveren virker ikke',
        requesterId: siri?.id,
        organizationId: organization.id,
        locationName: 'Head office',
        areaName: 'Floor 3',
      },
    ]);
  });
  it('adds a location with an area on the Locations tab, renames and deactivates the area', async () => {
    await page.goto(`/organizations/${organization.id}?tab=locations`);
    await page.getByRole('button', { name: 'Add location' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add location' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Warehouse');
    await dialog.getByRole('textbox', { name: 'Address line 1' }).fill('Kaiveien 7');
    await dialog.getByRole('textbox', { name: 'Postal code' }).fill('5003');
    await dialog.getByRole('textbox', { name: 'City' }).fill('Bergen');
    await dialog.getByRole('button', { name: 'Save location' }).click();
    await seeNo(dialog);
    const card = page.getByRole('article', { name: 'Warehouse' });
    await see(card.getByText('Kaiveien 7, 5003 Bergen'));
    await card.getByRole('textbox', { name: 'Area name' }).fill('Loading bay');
    await card.getByRole('button', { name: 'Add area' }).click();
    await see(card.getByRole('table', { name: 'Areas of Warehouse' }).getByText('Loading bay'));
    // Renamed in place, with a description (the edit row comes before the add row).
    await card.getByRole('button', { name: 'Edit area Loading bay' }).click();
    await card.getByRole('textbox', { name: 'Area name' }).first().fill('Loading dock');
    await card.getByRole('textbox', { name: 'Description' }).first().fill('North side');
    await card.getByRole('button', { name: 'Save area' }).click();
    await see(card.getByRole('table', { name: 'Areas of Warehouse' }).getByText('North side'));
    await card.getByRole('button', { name: 'Deactivate Loading dock' }).click();
    await see(card.getByRole('button', { name: 'Reactivate Loading dock' }));
    const places = await json<{ items: Location[] }>(
      `/api/v1/organizations/${organization.id}/locations`,
    );
    expect(places.items.find((l) => l.name === 'Warehouse')).toMatchObject({
      addressLine1: 'Kaiveien 7',
      city: 'Bergen',
      areas: [{ name: 'Loading dock', description: 'North side', active: false }],
    });
  });
  it("speaks Norwegian on the Contacts tab, the server's reasons included", async () => {
    await api.patch('/api/v1/me', { data: { locale: 'nb' } });
    await page.evaluate(() => localStorage.setItem('kunde.locale', 'nb'));
    await page.goto(`/organizations/${organization.id}?tab=contacts`);
    await see(page.getByRole('tab', { name: 'Kundekontakter' }));
    await see(page.getByRole('tab', { name: 'Lokasjoner' }));
    const table = page.getByRole('table', { name: 'Kundekontakter' });
    await see(table.getByRole('button', { name: 'Deaktiver kontakten Per Olsen' }));
    const addRow = table.getByRole('row', { name: 'Legg til ny kontakt' });
    await addRow.getByRole('textbox', { name: 'E-post til ny kontakt' }).fill('per@gmail.com');
    await addRow.getByRole('button', { name: 'Lagre' }).click();
    await see(addRow.getByText('Er allerede kontakt i denne organisasjonen'));
  });
});
