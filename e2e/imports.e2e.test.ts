// The CSV import page in a real browser against a real server and job worker: a semicolon file
// with Norwegian headers and bad rows goes through preview, mapping, progress and summary; the
// error report names row and reason and the rows to fix come back as uploaded with a reason
// column; a Windows-1252 file is checked in a dry run that writes nothing (its figures worded as
// what would happen) and then imported for real after a confirmation with the counts; a file
// where 40% of the rows fail is warned about and, never started, removed; Export CSV downloads
// the list as filtered; unreadable files, a conflicting mapping, an agent without the
// permissions, and the Norwegian words.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../server/test/server.ts';
import {
  ROOT,
  screenshotOnFailure,
  see,
  seeNo,
  startConsole,
  type ConsoleSession,
} from './browser.ts';

const ADMIN = { name: 'Kari Agent', email: 'kari@example.com', password: 'correct horse battery' };
const FIXTURES = path.join(ROOT, 'e2e', 'fixtures');

describe('web console: customer import and export', () => {
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

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const stat = (name: string) => page.getByRole('group', { name, exact: true });
  const mappingRow = (header: string) =>
    page.getByRole('table', { name: 'Columns' }).getByRole('row').filter({ hasText: header });

  /** Clicks and returns the text of the file the browser downloads. */
  async function download(trigger: Locator): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
    const saved = await file.path();
    return { name: file.suggestedFilename(), text: fs.readFileSync(saved, 'utf8') };
  }

  async function upload(fixture: string, nb = false) {
    await page.getByLabel(nb ? 'CSV-fil' : 'CSV file').setInputFiles(path.join(FIXTURES, fixture));
    await see(page.getByText(nb ? 'Rader funnet' : 'Rows found'));
  }
  const recentRow = (name: string) =>
    page
      .getByRole('region', { name: /^(Recent imports|Siste importer)$/ })
      .getByRole('row')
      .filter({ hasText: name });

  it('offers import and export on the customer list after first-run setup', async () => {
    await page.goto('/');
    await see(page.getByRole('heading', { name: 'Set up Kunde', level: 1 }));
    await page.getByRole('textbox', { name: 'Account name' }).fill('Acme Support');
    await page.getByRole('textbox', { name: 'Your name' }).fill(ADMIN.name);
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await see(heading('Active customers'));
    await see(page.getByRole('link', { name: 'Export CSV' }));

    await page.getByRole('main').getByRole('link', { name: 'Import from CSV' }).click();
    await see(heading('Import customers from CSV'));
    await see(page.getByText('No imports yet.'));
    const template = await download(page.getByRole('link', { name: 'Download template' }));
    expect(template.name).toBe('customers-template.csv');
    expect(template.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(
      // In the agent's language (English here), read back by the import like the machine names.
      'Email,Phone,First name,Last name,Organization,Type',
    );
  });

  it('says why a file cannot be read', async () => {
    const input = page.getByLabel('CSV file');
    await input.setInputFiles({
      name: 'kunder.xlsx',
      mimeType: 'application/zip',
      buffer: Buffer.from('PK'),
    });
    await see(page.getByRole('alert').filter({ hasText: 'This is a spreadsheet workbook' }));
    await input.setInputFiles({ name: 'tom.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await see(
      page.getByRole('alert').filter({ hasText: 'Kunde cannot read this file: the file is empty' }),
    );
    await see(page.getByText('No imports yet.'));
  });

  it('previews a semicolon file with Norwegian headers and lets the agent map a column', async () => {
    await upload('kunder.csv');
    await see(page.getByText('kunder.csv').first());
    await see(page.getByText('Semicolon (;)'));
    await see(page.getByText('UTF-8', { exact: true }));
    await see(page.getByText('6', { exact: true }));
    // The first rows (here all of them) are checked as the import would: half would fail.
    await see(
      page
        .getByTestId('sample-outcome')
        .getByText('Of the 6 rows in the file: 3 would be created, 3 would fail (50%).'),
    );
    await see(page.getByRole('alert').filter({ hasText: 'Many rows would fail' }));

    for (const [header, target] of [
      ['E-post', 'Email'],
      ['Fornavn', 'First name'],
      ['Etternavn', 'Last name'],
      ['Mobilnummer', 'Mobile number'],
      ['Organisasjon', 'Organization'],
    ]) {
      const select = page.getByRole('combobox', { name: `Import “${header}” into` });
      expect(await select.inputValue()).toBe(target);
    }
    // An unrecognised column is kept as an attribute of its name unless the agent skips it.
    const tier = mappingRow('Kundenivå');
    await see(tier.getByText('Kept as attribute'));
    await see(tier.getByText('Gull · Sølv · Bronse'));
    await see(page.getByText('1 column was not recognised and is kept as a custom attribute'));
    await page.getByRole('combobox', { name: 'Import “Kundenivå” into' }).click();
    await page.getByRole('option', { name: 'Skip', exact: true }).click();
    await see(tier.getByText('Not recognised'));
    await see(page.getByText('1 column was not recognised and will be skipped: “Kundenivå”'));

    const problems = page.getByRole('table', { name: 'First problems' });
    await see(problems.getByRole('row').filter({ hasText: 'ikke-en-epost' }));

    // Two columns into one property: the preview says so and Start waits until it is fixed.
    await page.getByRole('combobox', { name: 'Import “Fornavn” into' }).click();
    await page.getByRole('option', { name: 'Email', exact: true }).click();
    const mappingAlert = page.getByRole('alert').filter({ hasText: 'Fix the column mapping' });
    await see(mappingAlert.getByText('email is already taken by the column "E-post"'));
    expect(await page.getByRole('button', { name: 'Import 6 rows' }).isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: 'Import “Fornavn” into' }).click();
    await page.getByRole('option', { name: 'First name' }).click();
    await seeNo(mappingAlert);

    await page.getByRole('combobox', { name: 'Import “Kundenivå” into' }).click();
    await page.getByRole('option', { name: 'Custom attribute: Kundenivå' }).click();
    await seeNo(tier.getByText('Not recognised'));
    await seeNo(page.getByText('will be skipped'));
    await see(page.getByText('1 column was not recognised and is kept as a custom attribute'));
  });

  it('starts, shows progress until the worker finishes, and sums up every row', async () => {
    // The worker is not running yet, so the queued import is on screen before it starts.
    await page.getByRole('button', { name: 'Import 6 rows' }).click();
    // A real import asks first, with the counts.
    const confirm = page.getByRole('dialog', { name: 'Import kunder.csv?' });
    await see(confirm.getByRole('row', { name: /^Rows in the file\s*6$/ }));
    await see(confirm.getByRole('row', { name: /^When a customer already exists\s*Create only$/ }));
    await see(confirm.getByRole('row', { name: /^Expected to fail\s*3 of the 6 rows \(50%\)$/ }));
    await confirm.getByRole('button', { name: 'Start the import' }).click();
    await see(page.getByRole('progressbar', { name: 'Import progress' }));
    await see(page.getByText('Waiting to start…'));
    server.services.worker.start();

    await see(page.getByRole('heading', { name: 'Import finished' }));
    expect(await stat('Created').textContent()).toBe('Created3');
    expect(await stat('Updated').textContent()).toBe('Updated0');
    expect(await stat('Unchanged').textContent()).toBe('Unchanged0');
    expect(await stat('Failed').textContent()).toBe('Failed3');
    await see(page.getByText('3 + 0 + 0 + 3 = 6 rows in the file: every row is accounted for.'));

    const errors = page.getByRole('table', { name: 'Rows that were not imported' });
    await see(errors.getByRole('row').filter({ hasText: 'ikke-en-epost' }));
    expect(await errors.getByRole('row').count()).toBe(4); // the header and rows 5, 6 and 7

    const report = await download(page.getByRole('link', { name: 'Download error report' }));
    const lines = report.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('Row,Column,Value,Reason');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^5,E-post,ikke-en-epost,.*not an email address/i);
    expect(lines[2]).toMatch(/^6,.*email address or a mobile number is required/i);
    expect(lines[3]).toMatch(
      /^7,E-post,ingrid\.haugen@fjordkraft\.no,.*same email address as row 2/i,
    );

    // The rows to fix: as uploaded (semicolons, every cell), the reason first; re-uploadable.
    const fix = await download(page.getByRole('link', { name: 'Download rows to fix' }));
    expect(fix.name).toBe('kunder-to-fix.csv');
    const fixRows: string[][] = parse(fix.text.replace(/^\uFEFF/, ''), { delimiter: ';' });
    expect(fixRows.map((cells) => cells.slice(1))).toEqual([
      ['E-post', 'Fornavn', 'Etternavn', 'Mobilnummer', 'Organisasjon', 'Kundenivå'],
      ['ikke-en-epost', 'Feil', 'Epost', '', '', ''],
      ['', 'Uten', 'Identitet', '', '', ''],
      ['INGRID.HAUGEN@fjordkraft.no', 'Dobbel', 'Rad', '', '', ''],
    ]);
    expect(fixRows[0]?.[0]).toBe('Import error');
    expect(fixRows[1]?.[0]).toMatch(/not an email address/);
    expect(fixRows[3]?.[0]).toMatch(/same email address as row 2/);

    await see(recentRow('kunder.csv').getByText('Done'));
    // Started: the record of what was imported stays; only never-started uploads can go.
    await seeNo(recentRow('kunder.csv').getByRole('button', { name: /^Remove/ }));
  });

  it('shows the imported customers in the list', async () => {
    await page.getByRole('link', { name: 'Show customers' }).click();
    await see(heading('Active customers'));
    await see(page.getByText('3 customers'));
    await see(row('Ingrid Haugen').getByText('912 34 567'));
    await see(row('Ingrid Haugen').getByText('Kundenivå: Gull'));
    await see(row('Per Olsen'));
    await see(row('Sofie Lie'));
    await seeNo(row('Dobbel Rad'));

    // The customer page's trail says which file and row created the customer, with its values.
    await row('Ingrid Haugen').getByRole('button', { name: 'Actions for Ingrid Haugen' }).click();
    await page.getByRole('menuitem', { name: 'Open' }).click();
    const audit = page.getByRole('region', { name: 'Audit trail' });
    const created = audit.getByRole('row').filter({ hasText: 'Created' });
    await see(created.getByText('kunder.csv, row 2'));
    await see(created.getByText('ingrid.haugen@fjordkraft.no'));
    await see(created.getByText('Fjordkraft AS'));
    await page.goBack();
  });

  it('checks a Windows-1252 file in a dry run that writes nothing, then imports it', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Import from CSV' }).click();
    await upload('kunder-oppdatering.csv');
    await see(page.getByText('Windows-1252'));
    // Said so, with the row to check: a damaged UTF-8 file would look just like this.
    const warning = page.getByRole('alert').filter({ hasText: 'Read as Windows-1252, not UTF-8' });
    await see(warning.getByText(/The first character that is not UTF-8 is in row 2:/));
    await see(mappingRow('Fornavn').getByText('Per Øyvind · Åsmund'));
    // Per Olsen exists: create only would refuse his row; create and update is checked anew.
    const outcome = page.getByTestId('sample-outcome');
    await see(
      outcome.getByText('Of the 2 rows in the file: 1 would be created, 1 would fail (50%).'),
    );
    await page.getByRole('radio', { name: 'Create and update' }).check();
    await see(
      outcome.getByText(
        'Of the 2 rows in the file: 1 would be created, 1 updated, 0 would fail (0%).',
      ),
    );
    await seeNo(page.getByRole('alert').filter({ hasText: 'Many rows would fail' }));
    await page.getByRole('checkbox', { name: 'Dry run (validate only, write nothing)' }).check();
    await page.getByRole('button', { name: 'Check 2 rows (dry run)' }).click();

    await see(page.getByRole('heading', { name: 'Dry run finished: nothing was written' }));
    expect(await stat('Would be created').textContent()).toBe('Would be created1');
    expect(await stat('Would be updated').textContent()).toBe('Would be updated1');
    expect(await stat('Would fail').textContent()).toBe('Would fail0');
    await seeNo(page.getByRole('link', { name: 'Download error report' }));
    const dryRun = recentRow('kunder-oppdatering.csv');
    await see(dryRun.getByText('Dry run'));
    await see(dryRun.getByText('Would be created 1 · Would be updated 1'));

    await page.getByRole('link', { name: 'Show customers' }).click();
    await see(page.getByText('3 customers'));
    await see(row('Per Olsen'));
    await seeNo(row('Åsmund Sæter'));

    await page.goBack();
    await page.getByRole('button', { name: 'Import this file now' }).click();
    const confirm = page.getByRole('dialog', { name: 'Import kunder-oppdatering.csv?' });
    await see(
      confirm.getByRole('row', { name: /^When a customer already exists\s*Create and update$/ }),
    );
    await see(confirm.getByRole('row', { name: /^Expected to fail\s*0 of 2 rows in the dry run/ }));
    await confirm.getByRole('button', { name: 'Start the import' }).click();
    await see(page.getByRole('heading', { name: 'Import finished' }));
    expect(await stat('Created').textContent()).toBe('Created1');
    expect(await stat('Updated').textContent()).toBe('Updated1');
    await page.getByRole('link', { name: 'Show customers' }).click();
    await see(page.getByText('4 customers'));
    await see(row('Åsmund Sæter').getByText('412 34 567'));
    await see(row('Per Øyvind Olsen').getByText('913 45 678'));
  });

  it('exports the list as it is filtered', async () => {
    const all = await download(page.getByRole('link', { name: 'Export CSV' }));
    expect(all.name).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/);
    for (const email of [
      'ingrid.haugen@fjordkraft.no',
      'per.olsen@example.no',
      'sofie.lie@example.no',
      'asmund.saeter@example.no',
    ]) {
      expect(all.text).toContain(email);
    }
    expect(all.text).toContain('Sæter');

    await page.getByRole('searchbox', { name: 'Search' }).fill('haugen');
    await see(page.getByText('1 customer', { exact: true }));
    const filtered = await download(page.getByRole('link', { name: 'Export CSV' }));
    expect(filtered.text).toContain('ingrid.haugen@fjordkraft.no');
    expect(filtered.text).not.toContain('per.olsen@example.no');
  });

  it('warns when many rows would fail, and removes an upload that was never started', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Import from CSV' }).click();
    await upload('mange-feil.csv');
    await see(page.getByText('Of the 5 rows in the file: 3 would be created, 2 would fail (40%).'));
    const warning = page.getByRole('alert').filter({ hasText: 'Many rows would fail' });
    await see(warning.getByText(/^40% of the rows checked would not be imported\./));
    await page.getByRole('button', { name: 'Import 5 rows' }).click();
    const confirm = page.getByRole('dialog', { name: 'Import mange-feil.csv?' });
    await see(confirm.getByText('2 of the 5 rows (40%)'));
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await seeNo(confirm);

    await page.getByRole('button', { name: 'Choose another file' }).click();
    const unstarted = recentRow('mange-feil.csv');
    await see(unstarted.getByText('Not started'));
    await see(unstarted.getByText('Removed by itself a week after upload unless started'));
    await unstarted.getByRole('button', { name: 'Remove mange-feil.csv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove this upload?' });
    await see(
      dialog.getByText('mange-feil.csv was uploaded but never imported.', { exact: false }),
    );
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await see(page.getByText('Upload removed'));
    await seeNo(unstarted);
    const left = (await (await page.request.get('/api/v1/customer-imports')).json()) as {
      items: { filename: string }[];
    };
    expect(left.items.map((item) => item.filename)).not.toContain('mange-feil.csv');
    await page.goto('/customers');
    await see(heading('Active customers'));
  });

  it('shows neither button nor the page to an agent without the permissions', async () => {
    const { token } = await server.services.agents.createTokenForEmail(ADMIN.email, 'e2e');
    const admin = await server.services.agents.principalFromToken(token);
    await server.services.agents.createUser(admin?.accountId ?? '', {
      email: 'ola@example.com',
      name: 'Ola Agent',
      password: 'another horse battery',
    });
    const other = await browser.newContext({ locale: 'en-US', baseURL: server.url });
    try {
      const agent = await other.newPage();
      agent.setDefaultTimeout(10_000);
      await agent.goto('/login');
      await agent.getByRole('textbox', { name: 'Email' }).fill('ola@example.com');
      await agent.getByRole('textbox', { name: 'Password' }).fill('another horse battery');
      await agent.getByRole('button', { name: 'Log in' }).click();
      await see(agent.getByRole('heading', { name: 'Active customers', level: 1 }));
      await see(agent.getByRole('button', { name: 'New Customer' }));
      expect(await agent.getByRole('link', { name: 'Import from CSV' }).count()).toBe(0);
      expect(await agent.getByRole('link', { name: 'Export CSV' }).count()).toBe(0);
      await agent.goto('/customers/import');
      await see(agent.getByText('You do not have permission to do this.'));
    } finally {
      await other.close();
    }
  });

  it('speaks Norwegian Bokmål', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Norsk bokmål' }).click();
    await see(page.getByRole('link', { name: 'Eksporter CSV' }));
    await page.getByRole('main').getByRole('link', { name: 'Importer fra CSV' }).click();
    await see(heading('Importer kunder fra CSV'));
    await see(page.getByRole('link', { name: 'Last ned mal' }));
    await see(page.getByRole('button', { name: 'Velg fil' }));

    const recent = page.getByRole('region', { name: 'Siste importer' });
    await recent.getByRole('row').filter({ hasText: 'kunder.csv' }).getByRole('link').click();
    await see(page.getByRole('heading', { name: 'Importen er ferdig' }));
    for (const label of ['Opprettet', 'Oppdatert', 'Uendret', 'Feilet']) await see(stat(label));
    // The downloads in Bokmål too (issue 16 point 2): headers, delimiter and every reason.
    const report = await download(page.getByRole('link', { name: 'Last ned feilrapport' }));
    const reportRows: string[][] = parse(report.text.replace(/^\uFEFF/, ''), { delimiter: ';' });
    expect(reportRows.map((cells) => [cells[0], cells[3]])).toEqual([
      ['Rad', 'Årsak'],
      ['5', 'Ikke en gyldig e-postadresse'],
      ['6', 'Det trengs en e-postadresse eller et mobilnummer'],
      ['7', 'Samme e-postadresse som rad 2; raden ble ikke importert to ganger'],
    ]);
    const fix = await download(page.getByRole('link', { name: 'Last ned rader som må rettes' }));
    const fixRows: string[][] = parse(fix.text.replace(/^\uFEFF/, ''), { delimiter: ';' });
    expect(fixRows.map((cells) => cells[0])).toEqual([
      'Importfeil',
      'E-post: Ikke en gyldig e-postadresse',
      'E-post: Det trengs en e-postadresse eller et mobilnummer',
      'E-post: Samme e-postadresse som rad 2; raden ble ikke importert to ganger',
    ]);

    // The dry run's figures say what would have happened.
    await recentRow('Tørrkjøring').getByRole('link').click();
    await see(
      page.getByRole('heading', { name: 'Tørrkjøringen er ferdig: ingenting ble skrevet' }),
    );
    for (const label of ['Ville blitt opprettet', 'Ville blitt oppdatert', 'Ville feilet']) {
      await see(stat(label));
    }
    await see(
      recentRow('Tørrkjøring').getByText('Ville blitt opprettet 1 · Ville blitt oppdatert 1'),
    );
    // Many failures are warned about; the upload, never started, is removed.
    await page.getByRole('button', { name: 'Importer en annen fil' }).click();
    await upload('mange-feil.csv', true);
    await see(page.getByText('Av de 5 radene i filen: 3 blir opprettet, 2 feiler (40 %).'));
    await see(page.getByRole('alert').filter({ hasText: 'Mange rader feiler' }));
    await page.getByRole('button', { name: 'Importer 5 rader' }).click();
    const confirm = page.getByRole('dialog', { name: 'Importere mange-feil.csv?' });
    await see(confirm.getByRole('row', { name: /^Når kunden finnes fra før\s*Bare opprett$/ }));
    await see(
      confirm.getByRole('row', { name: /^Forventes å feile\s*2 av de 5 radene \(40\s%\)$/ }),
    );
    await confirm.getByRole('button', { name: 'Avbryt' }).click();
    await seeNo(confirm);
    await page.getByRole('button', { name: 'Velg en annen fil' }).click();
    const upload40 = recentRow('mange-feil.csv');
    await see(
      upload40.getByText('Fjernes av seg selv en uke etter opplasting hvis den ikke startes'),
    );
    await upload40.getByRole('button', { name: 'Fjern mange-feil.csv' }).click();
    await page
      .getByRole('dialog', { name: 'Fjerne denne opplastingen?' })
      .getByRole('button', { name: 'Fjern', exact: true })
      .click();
    await see(page.getByText('Opplastingen er fjernet'));
    await seeNo(upload40);
  });
});
