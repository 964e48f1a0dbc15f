// Merging organizations in a real browser against a real server (issue 15): Merge… on an
// organization page, the other organization picked by search, the side-by-side choice where the
// two differ and the counts of what moves, the merge; then the duplicate's link opening the
// survivor, and the undo banner putting both back.
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import type { Organization } from '../common/organization.ts';
import { screenshotOnFailure, see, seeNo, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

describe('web console: merging organizations', () => {
  let session: ConsoleSession;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;

  async function post<T>(path: string, data: unknown): Promise<T> {
    const response = await api.post(path, { data });
    expect(response.status(), path).toBe(201);
    return (await response.json()) as T;
  }
  async function json<T>(path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ context, page } = session);
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

  it('previews, merges, opens the survivor from the old link, and undoes', async () => {
    const survivor = await post<Organization>('/api/v1/organizations', {
      name: 'Nordlys AS',
      notes: 'Kept notes',
      domains: ['nordlys.example'],
    });
    const duplicate = await post<Organization>('/api/v1/organizations', {
      name: 'Nordlys Norge',
      notes: 'Other notes',
      domains: ['nordlys.no'],
    });
    const customer = await post<Customer>('/api/v1/customers', { email: 'ola@nordlys.no' });
    expect(customer.organizationId).toBe(duplicate.id);

    await page.goto(`/organizations/${survivor.id}`);
    await see(page.getByRole('heading', { name: 'Nordlys AS', level: 1 }));
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge another organization into Nordlys AS' });
    await dialog
      .getByRole('combobox', { name: 'Organization to merge into this one' })
      .fill('Norge');
    await page.getByRole('option', { name: 'Nordlys Norge' }).click();
    const differences = dialog.getByRole('table', { name: 'Where the two differ' });
    await see(differences.getByRole('row').filter({ hasText: 'Notes' }));
    await see(dialog.getByText('1 customer', { exact: true }));
    await see(dialog.getByText('1 domain', { exact: true }));
    await differences.getByRole('radio', { name: 'Notes: Other notes' }).check();
    await expect
      .poll(() => differences.getByRole('radio', { name: 'Notes: Other notes' }).isChecked())
      .toBe(true);
    await dialog.getByRole('button', { name: 'Merge organizations' }).click();
    await seeNo(dialog);

    await see(page.getByText(/Merged from Nordlys Norge/));
    const merged = await json<Organization>(`/api/v1/organizations/${survivor.id}`);
    expect(merged).toMatchObject({ notes: 'Other notes', customerCount: 1 });
    expect(merged.domains).toEqual(['nordlys.example', 'nordlys.no']);

    // The duplicate's old link opens the survivor.
    await page.goto(`/organizations/${duplicate.id}`);
    await see(page.getByRole('heading', { name: 'Nordlys AS', level: 1 }));
    await expect.poll(() => page.url()).toContain(survivor.id);

    await page.getByRole('button', { name: 'Undo merge' }).click();
    await see(page.getByText(/The merge was undone/));
    await seeNo(page.getByText(/Merged from Nordlys Norge/));
    const restored = await json<Organization>(`/api/v1/organizations/${duplicate.id}`);
    expect(restored).toMatchObject({ mergedInto: null, notes: 'Other notes', customerCount: 1 });
    expect((await json<Organization>(`/api/v1/organizations/${survivor.id}`)).notes).toBe(
      'Kept notes',
    );
    expect((await json<Customer>(`/api/v1/customers/${customer.id}`)).organizationId).toBe(
      duplicate.id,
    );
  }, 120_000);
});
