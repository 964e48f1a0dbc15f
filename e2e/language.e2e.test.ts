// The language choice sticks, in a real browser (issue 16 point 2): first-run setup in Norwegian
// gives a Norwegian console that stays so after a reload and a new login; a language picked on
// the login page wins over the saved one and is kept after login, a reload and in a browser that
// never saw the choice; and what the server says (a refused field, an import's row reason) is
// shown in Norwegian.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import { screenshotOnFailure, see, startConsole, type ConsoleSession } from './browser.ts';

const ADMIN = { name: 'Åse Admin', email: 'ase@example.com', password: 'correct horse battery' };

describe('web console: the language choice sticks', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    session = await startConsole();
    ({ server, browser, page } = session);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshotOnFailure(page, test.task.name);
  });
  afterAll(async () => {
    await session?.close();
  });

  const heading = (p: Page, name: string) => p.getByRole('heading', { name, level: 1 });

  async function logOut() {
    await page.getByRole('button', { name: ADMIN.name }).click();
    await page.getByRole('menuitem').last().click();
  }

  async function logIn(p: Page, labels: { email: string; password: string; submit: string }) {
    await p.getByRole('textbox', { name: labels.email }).fill(ADMIN.email);
    await p.getByRole('textbox', { name: labels.password }).fill(ADMIN.password);
    await p.getByRole('button', { name: labels.submit }).click();
  }

  it(
    'stays Norwegian after a setup in Norwegian, a reload and a new login',
    { timeout: 60_000 },
    async () => {
      await page.goto('/');
      await see(heading(page, 'Set up Kunde'));
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('menuitem', { name: 'Norsk bokmål' }).click();
      await see(heading(page, 'Sett opp Kunde'));
      await page.getByRole('textbox', { name: 'Kontonavn' }).fill('Fjordtech Kundeservice');
      await page.getByRole('textbox', { name: 'Ditt navn' }).fill(ADMIN.name);
      await page.getByRole('textbox', { name: 'E-post' }).fill(ADMIN.email);
      await page.getByRole('textbox', { name: 'Passord' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Opprett konto' }).click();
      await see(heading(page, 'Aktive kunder'));
      await page.reload();
      await see(heading(page, 'Aktive kunder'));
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('nb');

      await logOut();
      await see(heading(page, 'Logg inn i Kunde'));
      await logIn(page, { email: 'E-post', password: 'Passord', submit: 'Logg inn' });
      await see(heading(page, 'Aktive kunder'));
    },
  );

  it(
    'keeps a language picked on the login page after login and a reload',
    { timeout: 90_000 },
    async () => {
      await logOut();
      // The login page first: the console's own language button has the same name.
      await see(heading(page, 'Logg inn i Kunde'));
      await page.getByRole('button', { name: 'Norsk bokmål' }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await see(heading(page, 'Log in to Kunde'));
      await logIn(page, { email: 'Email', password: 'Password', submit: 'Log in' });
      // The choice beats the saved Norwegian, and is saved: a reload keeps it.
      await see(heading(page, 'Active customers'));
      await page.reload();
      await see(heading(page, 'Active customers'));

      await logOut();
      await see(heading(page, 'Log in to Kunde'));
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('menuitem', { name: 'Norsk bokmål' }).click();
      await logIn(page, { email: 'E-post', password: 'Passord', submit: 'Logg inn' });
      await see(heading(page, 'Aktive kunder'));
      await page.reload();
      await see(heading(page, 'Aktive kunder'));

      // Another browser, which never saw the choice, logs in to the agent's saved Norwegian.
      const other = await browser.newContext({ locale: 'en-US', baseURL: server.url });
      try {
        const fresh = await other.newPage();
        await fresh.goto('/login');
        await see(heading(fresh, 'Log in to Kunde'));
        await logIn(fresh, { email: 'Email', password: 'Password', submit: 'Log in' });
        await see(heading(fresh, 'Aktive kunder'));
      } finally {
        await other.close();
      }
    },
  );

  it('shows a field the server refused in Norwegian', async () => {
    await page.getByRole('button', { name: 'Ny kunde' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'E-post', exact: true }).fill('ase@@example.com');
    await dialog.getByRole('button', { name: 'Lagre' }).click();
    await see(dialog.getByText('Ikke en gyldig e-postadresse'));
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
  });

  it('shows an import row reason in Norwegian', { timeout: 60_000 }, async () => {
    const created = await page.request.post('/api/v1/customers', {
      data: { email: 'kari@fjordtech.example', firstName: 'Kari' },
    });
    expect(created.status()).toBe(201);
    const { number } = (await created.json()) as { number: number };
    const upload = await page.request.post('/api/v1/customer-imports', {
      multipart: {
        file: {
          name: 'språk.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(
            'email,first_name\nkari@fjordtech.example,Kari\nola@fjordtech.example,Ola\n',
          ),
        },
      },
    });
    expect(upload.status()).toBe(201);
    const { import: job } = (await upload.json()) as { import: { id: string } };
    const start = await page.request.post(`/api/v1/customer-imports/${job.id}/start`, {
      data: { mode: 'create' },
    });
    expect(start.status()).toBe(202);
    // The console harness leaves the job worker to the test.
    server.services.worker.start();
    await expect
      .poll(
        async () => {
          const reply = await page.request.get(`/api/v1/customer-imports/${job.id}`);
          return ((await reply.json()) as { status: string }).status;
        },
        { timeout: 20_000 },
      )
      .toBe('done');

    await page.goto('/customers/import');
    const recent = page.getByRole('region', { name: 'Siste importer' });
    await recent.getByRole('row').filter({ hasText: 'språk.csv' }).getByRole('link').click();
    await see(page.getByRole('heading', { name: 'Importen er ferdig' }));
    await see(
      page.getByText(
        `Kunde #${number} har allerede denne e-postadressen (velg «Opprett og oppdater» for å oppdatere kunden)`,
      ),
    );
  });
});
