// Upgrading a database that earlier releases wrote (issue 18, item 4). One data set grows step by
// step: after each migration the rows a release at that schema would hold are written, in that
// schema's columns (upgrade-steps-first.testkit.ts, upgrade-steps-later.testkit.ts); so the rows
// of every earlier release go through every later migration. Then the database is migrated to
// the latest and read through today's services, as an agent would: signing in with the old
// password, the customers, their trail, their tickets, the imports, the inbound mail, and
// writing again. A migration without a step fails the test: add the rows a release at it would
// hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../agents/principal.ts';
import { duplicateBackfillTask } from '../duplicates/duplicate-backfill.task.ts';
import { createServices, type Services } from '../services.ts';
import { enforceAccountScope } from '../test/account-scope.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { MIGRATION_NAMES, migrateTo, migrateToLatest, pendingMigrations } from './migrate.ts';
import { FIRST_STEPS } from './upgrade-steps-first.testkit.ts';
import { LATER_STEPS } from './upgrade-steps-later.testkit.ts';
import { PASSWORD, TOKEN_SECRET, fixture, type Step } from './upgrade.testkit.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const STEPS: Record<string, Step> = { ...FIRST_STEPS, ...LATER_STEPS };

describe('the upgrade test', () => {
  it('has a step for every migration', () => {
    const missing = MIGRATION_NAMES.filter((name) => !(name in STEPS));
    expect(
      missing,
      'server/db/upgrade.test.ts STEPS has no rows for these migrations: add what a release at each would hold (in its columns), or an empty step saying why none',
    ).toEqual([]);
  });
});

describe.each(testDialects())('upgrading from every earlier release on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let admin: Principal;
  const f = fixture();

  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
    for (const name of MIGRATION_NAMES) {
      await migrateTo(db, name);
      await STEPS[name]?.(db.kysely, f);
    }
    expect(await pendingMigrations(db)).toEqual([]);
    // Rows written at each release went through every later migration; now read them as today.
    await enforceAccountScope(db);
    services = createServices(db, {
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-upgrade-')),
    });
    admin = (await services.agents.login('gunn@gammel.no', PASSWORD, '127.0.0.1')).principal;
  }, 120_000);
  afterAll(() => db?.destroy());

  it('lets the old administrator sign in, with the ticket permissions the upgrade granted', async () => {
    expect(admin.accountId).toBe(f.account);
    expect(admin.name).toBe('Gunn Gammel');
    expect([...admin.permissions]).toEqual(
      expect.arrayContaining(['customers.view', 'agents.manage', 'tickets.view', 'tickets.manage']),
    );
    const byToken = await services.agents.principalFromToken(`kunde.${f.account}.${TOKEN_SECRET}`);
    expect(byToken?.userId).toBe(f.admin);
  });

  it('shows every customer as it was, in its organization, found by search', async () => {
    const kari = await services.customers.get(admin, f.kari);
    expect(kari).toMatchObject({
      number: 1,
      firstName: 'Kari',
      lastName: 'Gammel',
      email: 'kari@gammel.no',
      phone: '+4790000001',
      status: 'active',
      version: 1,
    });
    const per = await services.customers.get(admin, f.per);
    expect(per).toMatchObject({
      organizationId: f.firma,
      organizationName: 'Firma AS',
      customAttributes: { medlemsnummer: 'M-17' },
    });
    const all = await services.customers.list(admin, { limit: 50, status: 'active' });
    expect(all.items.map((c) => c.number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.total).toBe(6);
    // Written before the search index's later settings, and found by them.
    const found = await services.customers.list(admin, {
      limit: 50,
      status: 'active',
      q: 'Øvrebø',
    });
    expect(found.items.map((c) => c.id)).toEqual([f.ase]);
    const kariFound = await services.customers.list(admin, {
      limit: 50,
      status: 'active',
      q: 'kari',
    });
    expect(kariFound.items.map((c) => c.id)).toEqual([f.kari]);
  });

  it('reads every trail by name, old import entries included, with no id showing', async () => {
    const trail = [...(await services.customers.auditTrail(admin, f.per, 50)).items].reverse();
    for (const entry of trail) expect(JSON.stringify(entry.changes)).not.toMatch(UUID);
    expect(trail.map((e) => [e.action, e.changes.organization, e.changes.type])).toEqual([
      ['updated', { from: null, to: 'Firma AS' }, undefined],
      ['updated', { from: 'Firma AS', to: 'Borte AS' }, { from: null, to: 'VIP' }],
      ['updated', { from: null, to: 'Firma AS' }, undefined],
    ]);
    const kari = (await services.customers.auditTrail(admin, f.kari, 50)).items;
    expect(kari.map((e) => e.action)).toContain('created');
    // Created by an import once imports remembered it: the trail names the file and row.
    const ingrid = [
      ...(await services.customers.auditTrail(admin, f.importedLate, 50)).items,
    ].reverse();
    expect(ingrid[0]).toMatchObject({
      action: 'created',
      import: { id: f.customImport, filename: 'kunder-november.csv', row: 3 },
    });
    expect(ingrid[1]?.changes.type).toEqual({ from: null, to: 'VIP' });
  });

  it("shows a customer's tickets with their messages and attachment", async () => {
    const page = await services.tickets.listForCustomer(admin, f.kari, 20);
    expect(page.items.map((t) => [t.number, t.subject, t.status])).toEqual([
      [1, 'Spørsmål om fakturaen', 'open'],
    ]);
    const ticket = await services.tickets.get(admin, f.ticket);
    expect(ticket.messages.map((m) => [m.authorType, m.text])).toEqual([
      ['customer', 'Hei! Fakturaen for november er feil.'],
      ['agent', 'Takk, vi ser på det.'],
      // Issue 14's step: an internal note (shown to agents, never in the Customer Hub).
      ['agent', 'Intern merknad: ring kunden i morgen.'],
    ]);
    expect(ticket.messages[0]?.attachments.map((a) => a.filename)).toEqual(['faktura.pdf']);
  });

  it('keeps the import report, the inbound mail states, the archives and the erasure log', async () => {
    const report = await services.imports.get(admin, f.customImport);
    expect(report).toMatchObject({
      status: 'done',
      filename: 'kunder-november.csv',
      totalRows: 3,
      created: 1,
      updated: 1,
      failed: 1,
    });
    // Written before reasons had codes: the Norwegian report still has it, as it was written.
    let lines = '';
    for await (const line of services.imports.errorReport(admin, f.customImport, {
      headers: 'localized',
      language: 'nb',
      delimiter: ';',
    }))
      lines += line;
    expect(lines.slice(1).split('\r\n')).toEqual([
      'Rad;Kolonne;Verdi;Årsak',
      '4;email;ikke-en-epost;not an email address',
      '',
    ]);
    const inbound = await services.inboundEmails.list(f.account, { limit: 50 });
    const byId = new Map(inbound.items.map((m) => [m.id, m]));
    expect(byId.get(f.processedMail)).toMatchObject({ state: 'processed', source: 'smtp' });
    expect(byId.get(f.failedMail)).toMatchObject({
      state: 'failed',
      source: 'webhook',
      attempts: 3,
      subject: 'Hjelp',
    });
    const exports = await services.exports.list(admin, f.kari);
    expect(exports.map((e) => [e.id, e.state])).toEqual([[f.export, 'expired']]);
    const deleted = await services.erasure.deletedCustomers(admin, 20);
    expect(deleted.items.map((d) => d.customerNumber)).toEqual([99]);
  });

  it('lists the agents with their status: the old administrator active, the invited one invited', async () => {
    const agents = await services.agentAdmin.list(f.account);
    expect(agents.map((a) => [a.name, a.status])).toEqual([
      ['Gunn Gammel', 'active'],
      ['Ine Invitert', 'invited'],
    ]);
  });

  it('queues the duplicate backfill of each account whose customers predate upkeep, and runs it', async () => {
    const backfills = await db.kysely
      .selectFrom('duplicate_backfills')
      .select(['account_id', 'after_id', 'finished_at'])
      .execute();
    expect(backfills.map((b) => b.account_id).sort()).toEqual([f.account, f.neighbour].sort());
    expect(backfills.every((b) => b.after_id === null && b.finished_at === null)).toBe(true);
    const jobs = await db.kysely
      .selectFrom('jobs')
      .select(['account_id', 'status', 'payload', 'max_attempts'])
      .where('kind', '=', duplicateBackfillTask.kind)
      .execute();
    expect(jobs.map((j) => j.account_id).sort()).toEqual([f.account, f.neighbour].sort());
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'queued', max_attempts: duplicateBackfillTask.attempts });
      expect(duplicateBackfillTask.payload.safeParse(JSON.parse(job.payload)).success).toBe(true);
    }
    expect(await services.duplicateBackfill.run(f.account)).toBe('done');
    const live = await db.kysely
      .selectFrom('customers')
      .select('id')
      .where('account_id', '=', f.account)
      .where('status', 'not in', ['merged', 'erasing'])
      .execute();
    expect(await services.duplicateBackfill.state(f.account)).toMatchObject({
      finished: true,
      customersDone: live.length,
    });
    // The keys written at the duplicate keys release are replaced by what Kari holds now.
    const kariKeys = await db.kysely
      .selectFrom('customer_match_keys')
      .select('key')
      .where('account_id', '=', f.account)
      .where('customer_id', '=', f.kari)
      .execute();
    expect(kariKeys.map((k) => k.key)).not.toContain(`${f.firma} kari nordmann`);
  });

  it('writes again after the upgrade: numbers go on, versions count, the neighbour stays apart', async () => {
    const created = await services.customers.create(
      admin,
      { firstName: 'Ny', lastName: 'Kunde', email: 'ny@kunde.no' },
      'agent',
    );
    expect(created.number).toBe(7);
    const changed = await services.customers.update(admin, f.kari, {
      lastName: 'Gammel-Ny',
      version: 1,
    });
    expect(changed).toMatchObject({ lastName: 'Gammel-Ny', version: 2 });
    const ticket = await services.tickets.create(admin, {
      subject: 'Etter oppgraderingen',
      message: 'Virker det fortsatt?',
      requester: { email: 'kari@gammel.no' },
    });
    expect(ticket.number).toBe(2);
    // The sender's email is Kari's in this account, not the neighbour's same address.
    expect(ticket.requesterId).toBe(f.kari);
  });
});

describe.each(testDialects())('a migration that fails halfway on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
  });
  afterAll(() => db?.destroy());

  async function hasTable(name: string): Promise<boolean> {
    const found =
      dialect === 'sqlite'
        ? await sql`select 1 from sqlite_master where type = 'table' and name = ${name}`.execute(
            db.kysely,
          )
        : await sql`select 1 from information_schema.tables where table_name = ${name}`.execute(
            db.kysely,
          );
    return found.rows.length > 0;
  }

  it('leaves the database as it was, and the next run finishes it', async () => {
    await migrateTo(db, '20261201T1400_customer_exports');
    // The erasure migration creates deleted_customers, then this index: it will fail second.
    await sql`create index customers_activity_idx on customers (account_id)`.execute(db.kysely);
    await expect(migrateToLatest(db)).rejects.toThrow(
      /Migration 20261201T1500_erasure failed: .*customers_activity_idx/,
    );
    expect(await hasTable('deleted_customers')).toBe(false);
    expect(await pendingMigrations(db)).toEqual(
      MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('20261201T1500_erasure')),
    );
    await sql`drop index customers_activity_idx`.execute(db.kysely);
    expect(await migrateToLatest(db)).toContain('20261201T1500_erasure');
    expect(await hasTable('deleted_customers')).toBe(true);
    expect(await pendingMigrations(db)).toEqual([]);
  });
});
