// The proof that erasure leaves nothing: a customer with every kind of data (an email written
// in odd case, a phone in three spellings, created by a CSV import that also failed a row of
// theirs, raw mail with an attachment over a real SMTP conversation, a reply waiting in the
// outbox, a Cc and a quoted address on someone else's ticket) is erased, and then every row of
// every table and every file under the data directory is scanned for every spelling of the
// email and phone. Nothing may match; no file may be left without the row that names it. On
// SQLite the raw database and WAL files are scanned too (secure_delete, checkpointed WAL); on
// PostgreSQL a real pg_dump of the database is, besides the rows.
import fs from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpIntake } from '../intake/smtp.ts';
import { runImport } from '../imports/import.testkit.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { pgDumpText, rowsAsText } from '../test/database-dump.ts';
import { createBareAccount } from '../test/factories.ts';
import type { Principal } from '../agents/principal.ts';
import { emailPattern, phonePattern } from './redact.ts';
import { startHubSession } from '../hub/hub-principal.ts';

const SUPPORT = 'support@erasure-test.no';
const EMAIL = 'jon.eraseme@residue.example';
const PHONE = '+4793188472';
const SPELLINGS = ['Jon.EraseMe@Residue.Example', '+47 931 88 472', '931 88 472', '0047 93188472'];

function hits(text: string): string[] {
  return [
    ...(text.match(emailPattern(EMAIL)) ?? []),
    ...(text.match(phonePattern(PHONE, '47')) ?? []),
    ...(text.toLowerCase().includes('eraseme') ? ['eraseme'] : []),
  ];
}

describe.each(testDialects())('erasure residue on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let intake: SMTPServer;
  let port: number;
  let dataDir: string;
  let accountId: string;
  let principal: Principal;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-erasure-'));
    services = createServices(db, { dataDir });
    ({ accountId, principal } = await createBareAccount(services));
    await services.settings.update(accountId, { supportAddresses: [SUPPORT] });
    intake = createSmtpIntake({
      db: db.kysely,
      intake: services.emailIntake,
      log: () => undefined,
    });
    intake.listen(0, '127.0.0.1');
    await once(intake.server, 'listening');
    port = (intake.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    intake.close();
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every row of every table, as read through the connection. */
  const dump = () => rowsAsText(db);
  /** PostgreSQL: a real pg_dump of the whole database (schema, rows, sequences) besides. */
  const pgDump = async () =>
    'DATABASE_URL' in db.env ? pgDumpText(db.env.DATABASE_URL) : undefined;

  it('leaves no trace of the person in any row, file, or (SQLite) database page', async () => {
    // 1. An import creates them (phone in national spelling) and fails a second row of theirs.
    const csv =
      'email,phone,first_name,last_name\n' +
      `${SPELLINGS[0]},${SPELLINGS[2]},Jon,Eraseme\n` +
      `not-an-email ${SPELLINGS[1]},${SPELLINGS[3]},Jon,Eraseme\n` +
      'kari.stays@residue.example,,Kari,Stays\n';
    const imported = await runImport(services, principal, Buffer.from(csv));
    expect(imported).toMatchObject({ created: 2, failed: 1 });
    const [jon] = (
      await services.customers.list(principal, { q: 'eraseme', status: 'all', limit: 5 })
    ).items;
    expect(jon).toMatchObject({ email: EMAIL, phone: PHONE });
    const jonId = jon?.id ?? '';

    // 2. Their mail over SMTP, with an attachment and their phone in the text, and a reply.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    await transport.sendMail({
      from: `Jon Eraseme <${SPELLINGS[0]}>`,
      to: SUPPORT,
      subject: 'Please delete me',
      text: `Call me on ${SPELLINGS[1]}.`,
      html: `<p>Call me on ${SPELLINGS[1]}.</p>`,
      attachments: [{ filename: 'id-card.txt', content: `Jon Eraseme ${EMAIL}` }],
    });
    // 3. Kari's mail, with Jon in Cc and quoted in the body.
    await transport.sendMail({
      from: 'kari.stays@residue.example',
      to: SUPPORT,
      cc: SPELLINGS[0],
      subject: 'About my colleague',
      text: `My colleague <${EMAIL}> (${SPELLINGS[3]}) asked me to write.`,
    });
    await services.worker.drain();
    const jonTickets = await services.tickets.list(principal, { customerId: jonId, limit: 5 });
    expect(jonTickets.items).toHaveLength(1);
    const jonTicket = jonTickets.items[0]!;
    await services.tickets.reply(principal, jonTicket.id, `Dear Jon, we have ${SPELLINGS[1]}`);
    await services.tickets.update(principal, jonTicket.id, { status: 'closed' });
    // An export archive of everything about Jon, built by the worker.
    await services.exports.request(principal, jonId);
    await services.worker.drain();
    const [archive] = await services.exports.list(principal, jonId);
    expect(archive).toMatchObject({ state: 'ready' });
    // Through the store, whichever backend this dialect's default is (the database on PostgreSQL).
    const storedKeys = async () => {
      const keys: string[] = [];
      for await (const key of services.files.list('')) keys.push(key);
      return keys;
    };
    const contentOf = async (key: string) => (await services.files.readAll(key)).toString('latin1');
    const archiveFiles = (await storedKeys()).filter((key) => key.startsWith('exports/'));
    expect(archiveFiles).toHaveLength(1);
    // Their Customer Hub: a grant, a sign-in, a session and a link naming the address.
    const k = db.kysely;
    const now = new Date().toISOString();
    const [anOrganization] = (await services.organizations.list(principal, { limit: 1 })).items;
    const organizationId =
      anOrganization?.id ??
      (await services.organizations.create(principal, { name: 'Hub Org' })).id;
    await k
      .insertInto('hub_organization_grants')
      .values({
        account_id: accountId,
        customer_id: jonId,
        organization_id: organizationId,
        created_at: now,
        created_by: null,
      })
      .execute();
    await k
      .insertInto('hub_logins')
      .values({
        account_id: accountId,
        customer_id: jonId,
        password_hash: 'x',
        locale: 'nb',
        created_at: now,
        updated_at: now,
        last_sign_in_at: now,
      })
      .execute();
    await startHubSession(k, accountId, jonId);
    await k
      .insertInto('hub_tokens')
      .values({
        account_id: accountId,
        token_hash: 'h',
        purpose: 'sign_in',
        customer_id: null,
        email: EMAIL,
        name: 'Jon',
        created_at: now,
        expires_at: now,
        used_at: null,
      })
      .execute();
    const before = await dump();
    expect(hits(before).length).toBeGreaterThan(5);
    // The dump sees the person before (else its empty scan afterwards would prove nothing).
    const dumpedBefore = await pgDump();
    if (dumpedBefore !== undefined) expect(hits(dumpedBefore).length).toBeGreaterThan(5);
    const mentioning = [];
    for (const key of await storedKeys())
      if (hits(await contentOf(key)).length) mentioning.push(key);
    expect(mentioning.length).toBeGreaterThan(0);

    // 4. The dry run counts, then the erasure.
    const run = await services.erasure.dryRun(principal, jonId);
    expect(run).toMatchObject({ allowed: true, counts: { tickets: 1, archives: 1 } });
    expect(run.counts.files).toBeGreaterThanOrEqual(2);
    await services.erasure.request(principal, jonId);
    await services.worker.drain();

    // 5. The scan: the archive is gone with its row, then every row.
    for (const key of archiveFiles) expect(await services.files.exists(key)).toBe(false);
    const after = await dump();
    expect(hits(after)).toEqual([]);
    for (const table of ['hub_organization_grants', 'hub_logins', 'hub_sessions'] as const) {
      const left = await k
        .selectFrom(table)
        .select('customer_id')
        .where('customer_id', '=', jonId)
        .execute();
      expect([table, left]).toEqual([table, []]);
    }
    const dumpedAfter = await pgDump();
    if (dumpedAfter !== undefined) expect(hits(dumpedAfter)).toEqual([]);
    const log = await services.erasure.deletedCustomers(principal, 10);
    expect(log.items).toEqual([
      expect.objectContaining({
        customerNumber: jon?.number,
        email: 'j***e@r***e.example',
        phone: '***472',
      }),
    ]);
    // Kari and her ticket stay, with Jon redacted in it.
    const [kari] = (
      await services.customers.list(principal, { q: 'kari.stays', status: 'all', limit: 5 })
    ).items;
    const kariTickets = await services.tickets.list(principal, { customerId: kari?.id, limit: 5 });
    const kariTicket = await services.tickets.get(principal, kariTickets.items[0]!.id);
    expect(kariTicket.messages[0]?.text).toContain('j***e@r***e.example');

    // Files: none mentions them, and each is named by a row.
    const files = await storedKeys();
    for (const key of files) expect([key, hits(await contentOf(key))]).toEqual([key, []]);
    const named = new Set(
      [
        ...(await db.kysely.selectFrom('ticket_attachments').select('file_key').execute()),
        ...(await db.kysely.selectFrom('inbound_emails').select('file_key').execute()),
        ...(await db.kysely.selectFrom('customer_imports').select('file_key').execute()),
      ].map((r) => r.file_key),
    );
    expect(files.filter((f) => !named.has(f))).toEqual([]);
    const kariRaw = await db.kysely
      .selectFrom('inbound_emails')
      .select('file_key')
      .where('account_id', '=', accountId)
      .where('ticket_id', '=', kariTicket.id)
      .executeTakeFirstOrThrow();
    expect(await contentOf(kariRaw.file_key)).toContain('j***e@r***e.example');
    // The database backend: no chunk is left that no file names (an erased file's content).
    const chunks = await db.kysely
      .selectFrom('file_chunks')
      .leftJoin('files', (j) =>
        j
          .onRef('files.account_id', '=', 'file_chunks.account_id')
          .onRef('files.version', '=', 'file_chunks.version'),
      )
      .select(['file_chunks.version', 'files.key'])
      .where('file_chunks.account_id', '=', accountId)
      .execute();
    expect(chunks.filter((c) => c.key === null)).toEqual([]);

    // SQLite: the bytes of the database and its WAL, free pages and all.
    if (dialect === 'sqlite' && 'DATA_DIR' in db.env) {
      const file = path.join(db.env.DATA_DIR, 'kunde.db');
      for (const f of [file, `${file}-wal`]) {
        if (!fs.existsSync(f)) continue;
        expect([f, hits(fs.readFileSync(f).toString('latin1'))]).toEqual([f, []]);
      }
      expect(hits(db.sqlite?.serialize().toString('latin1') ?? '')).toEqual([]);
      // The search index overwrote the entry for the erasure only: left on, it slows imports.
      const config = await sql<{
        v: number;
      }>`select v from customers_fts_config where k = 'secure-delete'`.execute(db.kysely);
      expect(config.rows.map((r) => Number(r.v))).toEqual([0]);
    }
  });
});
