// Administration → Inbound mail in a real browser against a real server: a message whose
// processing failed is listed with its error and retried with the button into a ticket; list
// mail is listed as ignored with the reason; the page and the reason in Norwegian.
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import {
  followMenuLink,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };

function rawEmail(from: string, subject: string, extra: string[] = []): string {
  return [`From: ${from}`, 'To: support@acme.example', `Subject: ${subject}`, ...extra, '', 'Hei']
    .join('\r\n')
    .concat('\r\n');
}

describe('web console: inbound mail', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let page: Page;
  let api: APIRequestContext;

  beforeAll(async () => {
    session = await startConsole({ width: 1440, height: 900 });
    ({ server, page } = session);
    api = session.context.request;
    expect(
      (await api.post('/api/v1/setup', { data: { accountName: 'Acme', ...ADMIN } })).status(),
    ).toBe(201);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });
  afterAll(async () => {
    await session?.close();
  });

  const post = async (raw: string) => {
    const response = await api.post('/api/v1/inbound/email', {
      headers: { 'content-type': 'message/rfc822' },
      data: raw,
    });
    expect(response.status()).toBe(202);
    return (await response.json()) as { state: string };
  };
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const show = (name: string) =>
    page
      .getByRole('radiogroup', { name: /^(Show inbound mail|Vis innkommende e-post)$/ })
      .getByText(name, { exact: true });

  it('lists a failed message with its error, and Retry turns it into a ticket', async () => {
    const openTicket = vi
      .spyOn(server.services.tickets, 'openTicket')
      .mockRejectedValueOnce(new Error('database went away'));
    expect((await post(rawEmail('Ola <ola@firma.no>', 'Printer på brann'))).state).toBe('failed');
    openTicket.mockRestore();
    await post(
      rawEmail('Lise <lise@lists.example.org>', '[users] Digest', [
        'List-Id: <users.lists.example.org>',
      ]),
    );

    await page.goto('/customers');
    await followMenuLink(page, 'Administration', 'Inbound mail');
    await see(heading('Inbound mail'));
    const failed = row('Printer på brann');
    await see(failed.getByText('database went away'));
    await see(failed.getByText('Failed', { exact: true }));
    await failed.getByRole('button', { name: 'Retry' }).click();
    await see(page.getByText('Queued for another attempt'));
    await server.services.worker.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await seeNo(row('Printer på brann'));
    await show('Tickets').click();
    await see(row('Printer på brann').getByRole('link', { name: 'Printer på brann' }));

    await show('Ignored').click();
    await see(row('[users] Digest').getByText('mailing list (List-Id or List-Unsubscribe)'));
  });

  it('speaks Norwegian: Innkommende e-post and the reason', async () => {
    await api.patch('/api/v1/me', { data: { locale: 'nb' } });
    await page.evaluate(() => localStorage.setItem('kunde.locale', 'nb'));
    await page.goto('/admin/inbound-mail');
    await see(heading('Innkommende e-post'));
    await show('Ignorert').click();
    await see(row('[users] Digest').getByText('e-postliste (List-Id eller List-Unsubscribe)'));
  });
});
