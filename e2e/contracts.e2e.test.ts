// Contracts and notification groups in a real browser against a real server: a contract with a
// budget made on the organization's Contracts tab, time logged on its ticket past the threshold
// (the warning mail in the outbox) and past the limit (the confirmation dialog, then the entry),
// the contract page's bar, and a notification group with an event and a member.
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../common/contract.ts';
import type { NotificationGroup } from '../common/notification-group.ts';
import type { OutboxEmail } from '../common/outbox.ts';
import type { Page as ListPage } from '../common/paging.ts';
import { screenshotOnFailure, see, seeNo, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

describe('web console: contracts and notification groups', () => {
  let session: ConsoleSession;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;
  let organizationId = '';

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ context, page } = session);
    api = context.request;
    expect(
      (await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } })).status(),
    ).toBe(201);
    const organization = await api.post('/api/v1/organizations', {
      data: { name: 'Bedrift AS', domains: ['bedrift.no'] },
    });
    organizationId = ((await organization.json()) as { id: string }).id;
    const contact = await api.post('/api/v1/customers', {
      data: { firstName: 'Ola', lastName: 'Kontakt', email: 'ola@bedrift.no', organizationId },
    });
    expect(contact.status()).toBe(201);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  async function choose(label: string, option: string) {
    await page.getByRole('dialog').getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option }).click();
  }

  it('adds a contract with a budget, logs time past the threshold and past the limit', async () => {
    await page.goto(`/organizations/${organizationId}`);
    await page.getByRole('tab', { name: 'Contracts' }).click();
    await page.getByRole('button', { name: 'Add contract' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contract' });
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Drift 2027');
    await choose('Customer contact', 'Ola Kontakt');
    await choose('Support contact', 'Kari Agent');
    await dialog.getByRole('checkbox', { name: 'Contract has hour restriction' }).check();
    await dialog.getByRole('textbox', { name: 'Contract hours' }).fill('2');
    // A threshold over the hours is refused under its field.
    await dialog.getByRole('textbox', { name: 'Hours notification threshold' }).fill('3');
    await dialog.getByRole('button', { name: 'Create contract' }).click();
    await see(dialog.getByText('must not be more than the contract hours'));
    await dialog.getByRole('textbox', { name: 'Hours notification threshold' }).fill('1');
    await dialog.getByRole('button', { name: 'Create contract' }).click();
    await seeNo(dialog);
    await see(page.getByRole('link', { name: 'Drift 2027' }));
    const contracts = (await (
      await api.get(`/api/v1/organizations/${organizationId}/contracts`)
    ).json()) as {
      items: Contract[];
    };
    const contract = contracts.items[0] as Contract;
    expect(contract).toMatchObject({ contractHours: 2, hoursNotificationThreshold: 1 });

    const created = await api.post('/api/v1/tickets', {
      data: { subject: 'Skriveren', message: 'Hjelp', requester: { email: 'ola@bedrift.no' } },
    });
    const ticket = (await created.json()) as { id: string; contractId: string };
    expect(ticket.contractId).toBe(contract.id);
    await page.goto(`/tickets/${ticket.id}`);
    const panel = page.getByRole('region', { name: 'Time' });
    await panel.getByRole('textbox', { name: 'Minutes' }).fill('75');
    await panel.getByRole('button', { name: 'Log time' }).click();
    await see(panel.getByText('75 minutes logged in total'));
    const outbox = (await (await api.get('/api/v1/outbox')).json()) as ListPage<OutboxEmail>;
    expect(
      outbox.items.filter((m) => m.subject === 'Contract "Drift 2027" is nearing its hour limit'),
    ).toHaveLength(1);

    await panel.getByRole('textbox', { name: 'Minutes' }).fill('60');
    await panel.getByRole('button', { name: 'Log time' }).click();
    const confirm = page.getByRole('dialog', { name: 'Past the contract hours?' });
    await see(confirm.getByText('1.25 hours are used and 0.75 are left'));
    await confirm.getByRole('button', { name: 'Log past the limit' }).click();
    await seeNo(confirm);
    await see(panel.getByText('135 minutes logged in total'));

    await page.goto(`/contracts/${contract.id}`);
    await see(page.getByRole('heading', { name: 'Drift 2027', level: 1 }));
    await see(page.getByText('2.25 of 2 hours used'));
    await see(page.getByRole('progressbar', { name: 'Hours used' }));
  });

  it('adds a notification group, chooses an event and adds a member', async () => {
    await page.goto(`/organizations/${organizationId}`);
    await page.getByRole('tab', { name: 'Notification Groups' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('IT-avdelingen');
    await page.getByRole('button', { name: 'Add group' }).click();
    const group = page.getByRole('region', { name: 'IT-avdelingen' });
    await see(group);
    await group.getByRole('checkbox', { name: 'a ticket is created' }).check();
    // The segmented control's radios are hidden behind their labels: a person clicks the label.
    await group.locator('label').filter({ hasText: 'Other address' }).click();
    await group.getByRole('textbox', { name: 'Other address' }).fill('leder@bedrift.no');
    await group.getByRole('button', { name: 'Add member' }).click();
    await see(group.getByText('leder@bedrift.no'));
    const groups = (await (
      await api.get(`/api/v1/organizations/${organizationId}/notification-groups`)
    ).json()) as {
      items: NotificationGroup[];
    };
    expect(groups.items[0]).toMatchObject({
      name: 'IT-avdelingen',
      events: ['ticket_created'],
      members: [expect.objectContaining({ kind: 'email', email: 'leder@bedrift.no' })],
    });
    await api.post('/api/v1/tickets', {
      data: { subject: 'Nettet', message: 'Nede', requester: { email: 'ola@bedrift.no' } },
    });
    const outbox = (await (await api.get('/api/v1/outbox')).json()) as ListPage<OutboxEmail>;
    expect(
      outbox.items.some((m) => m.to === 'leder@bedrift.no' && m.subject.startsWith('New ticket')),
    ).toBe(true);
  });
});
