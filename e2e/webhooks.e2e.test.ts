// Administration → Webhooks in the browser (issue 15): an administrator adds an endpoint for a
// real HTTP server in the test, sees its secret once, sends a test event that the server
// receives signed with that secret, sees it delivered in the log, and a customer created in the
// console reaches the server too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import {
  startReceiver,
  verifySignature,
  type WebhookReceiver,
} from '../server/webhooks/webhook.testkit.ts';
import {
  openMenuSection,
  screenshotOnFailure,
  see,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { email: 'wenche@example.com', password: 'correct horse battery' };

describe('web console: webhooks', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let page: Page;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    session = await startConsole({ width: 1440, height: 900 }, { allowPrivateWebhooks: true });
    ({ server, page } = session);
    await server.services.agents.createAccount({
      accountName: 'Krokhjelp',
      name: 'Wenche Admin',
      ...ADMIN,
    });
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page.getByRole('heading', { name: 'Active customers', level: 1 }));
  });

  afterAll(async () => {
    await session?.close();
    await receiver?.close();
  });

  it('adds an endpoint, shows its secret once, and the test event arrives signed and shows delivered', async () => {
    try {
      await openMenuSection(page, 'Administration');
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await see(page.getByRole('heading', { name: 'Webhooks', level: 1 }));
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const form = page.getByRole('dialog');
      await form.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
      await form.getByRole('textbox', { name: 'Description' }).fill('Test CRM');
      await form.getByRole('checkbox', { name: /Ticket created/ }).check();
      await form.getByRole('button', { name: 'Add endpoint' }).click();

      const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await see(page.getByRole('row').filter({ hasText: receiver.url }));
      await expect.poll(() => page.getByText(secret).count()).toBe(0);

      await page
        .getByRole('row')
        .filter({ hasText: receiver.url })
        .getByRole('button', { name: 'Delivery log' })
        .click();
      const log = page.getByRole('dialog');
      await log.getByRole('button', { name: 'Send test event' }).click();
      await see(page.getByText(/The test event was delivered \(HTTP 200\)/));
      expect(receiver.received.map((r) => r.json.type)).toEqual(['ping']);
      expect(verifySignature(secret, receiver.received[0]!)).toBe(true);
      const entry = log.getByTestId('webhook-log').getByRole('row').filter({ hasText: 'ping' });
      await see(entry.getByText('Delivered'));
      await see(entry.getByText('200', { exact: true }));

      // A customer made in the console reaches the receiver as customer.created.
      await page.keyboard.press('Escape');
      await page.goto('/customers');
      const made = await page.evaluate(async () => {
        const response = await fetch('/api/v1/customers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'webhook.e2e@example.org', firstName: 'Vera' }),
        });
        return response.status;
      });
      expect(made).toBe(201);
      await server.services.worker.drain();
      const created = receiver.received.find((r) => r.json.type === 'customer.created');
      expect(created?.json.data.customer).toMatchObject({ email: 'webhook.e2e@example.org' });
      expect(verifySignature(secret, created!)).toBe(true);
    } catch (error) {
      await screenshotOnFailure(page, 'webhooks');
      throw error;
    }
  });
});
