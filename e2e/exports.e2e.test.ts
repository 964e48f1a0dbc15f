// Customer data archives in a real browser against a real server: the export button on the
// customer's row, the "Thanks! We have received your request…" notice, the button while the
// archive is prepared, "Archive Download" once the worker has built it, the download itself (a
// real zip holding the customer), and the download's entry in the audit trail on the customer page.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../common/customer.ts';
import type { TestServer } from '../server/test/server.ts';
import { readZip } from '../server/exports/export.testkit.ts';
import { screenshotOnFailure, see, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

describe('web console: customer data archives', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let customer: Customer;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, context, page } = session);
    const api = context.request;
    expect(
      (await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } })).status(),
    ).toBe(201);
    const created = await api.post('/api/v1/customers', {
      data: { firstName: 'Harald', lastName: 'Bakken', email: 'harald.bakken@firma.no' },
    });
    expect(created.status()).toBe(201);
    customer = (await created.json()) as Customer;
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });

  afterAll(async () => {
    await session?.close();
  });

  const row = () => page.getByRole('row').filter({ hasText: 'harald.bakken@firma.no' });

  it('exports from the list, offers Archive Download, downloads the zip and audits it', async () => {
    await page.goto('/customers');
    // The row's actions menu (issue 16) holds the export and its state.
    const actions = row().getByRole('button', { name: 'Actions for Harald Bakken' });
    await actions.click();
    await page.getByRole('menuitem', { name: 'Export', exact: true }).click();
    await see(page.getByText('Thanks! We have received your request and are working hard'));
    await actions.click();
    await see(page.getByRole('menuitem', { name: 'Preparing archive…' }));
    await page.keyboard.press('Escape');

    // The worker builds the archive; the list asks again while one is being prepared.
    await server.services.worker.drain();
    await actions.click();
    const download = page.getByRole('menuitem', { name: 'Archive Download' });
    await see(download);

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^customer-\d+-\d{4}-\d\d-\d\d\.zip$/);
    const saved = await file.path();
    const entries = await readZip(fs.readFileSync(saved));
    expect(JSON.parse(entries.get('customer.json')?.toString() ?? '{}')).toMatchObject({
      id: customer.id,
      email: 'harald.bakken@firma.no',
    });
    expect(entries.get('README.txt')?.toString()).toContain(
      'Kunde: the data we hold about Harald Bakken',
    );

    // The customer page offers the same download, and its audit trail shows who downloaded.
    await row().getByRole('link', { name: 'Harald Bakken' }).click();
    await see(page.getByRole('heading', { name: 'Harald Bakken', level: 1 }));
    await see(page.getByRole('link', { name: 'Archive Download' }));
    const trail = page.getByRole('row').filter({ hasText: 'Archive downloaded' });
    await see(trail);
    await expect(trail.first().textContent()).resolves.toContain(ADMIN.name);
    await see(page.getByRole('row').filter({ hasText: 'Archive requested' }));
  });
});
