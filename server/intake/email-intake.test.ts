// Mail that used to get 250 and then vanish or turn into the wrong thing, sent over a real SMTP
// conversation to the real intake: NUL bytes (PostgreSQL refuses them in text), raw 8-bit
// headers, list mail, the null sender, our own address, and a processing failure that must stay
// visible and retryable. Fixtures are real .eml files in ./fixtures.
import fs from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemPrincipal } from '../agents/principal.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { sendRawMail } from '../test/smtp-client.ts';
import { createSmtpIntake } from './smtp.ts';

const SUPPORT = 'support@kunde-test.no';
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));

describe.each(testDialects())('email intake edge cases over SMTP on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let intake: SMTPServer;
  let port: number;
  let accountId: string;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    ({ accountId } = await createBareAccount(services));
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
  });

  const principal = () => systemPrincipal(accountId, 'Test');
  const send = async (raw: Buffer, from: string) => {
    const data = await sendRawMail({ port, from, to: SUPPORT, raw });
    expect(data.code).toBe(250);
  };
  const customerByEmail = async (email: string) =>
    (await services.customers.list(principal(), { q: email, status: 'all', limit: 10 })).items;
  const onlyTicketOf = async (email: string) => {
    const [customer] = await customerByEmail(email);
    expect(customer).toBeDefined();
    const tickets = await services.tickets.list(principal(), {
      customerId: customer?.id,
      limit: 5,
    });
    expect(tickets.items).toHaveLength(1);
    return { customer, ticket: await services.tickets.get(principal(), tickets.items[0]!.id) };
  };
  const inbound = async (state?: 'processed' | 'ignored' | 'failed') =>
    (await services.inboundEmails.list(accountId, { state, limit: 200 })).items;

  it('makes a ticket of mail with NUL in the body, the encoded subject and the From name, cleaned', async () => {
    await send(fixture('nul-bytes.eml'), 'nora.nul@example.org');
    const { customer, ticket } = await onlyTicketOf('nora.nul@example.org');
    expect(customer).toMatchObject({ firstName: 'Nora', lastName: 'Nulsen' });
    expect(ticket.subject).toBe('ab printer');
    expect(ticket.messages[0]).toMatchObject({
      authorName: 'Nora Nulsen',
      text: 'The printer says hi.',
    });
    const [record] = (await inbound('processed')).filter((m) => m.ticketId === ticket.id);
    expect(record).toMatchObject({ attempts: 1, subject: 'ab printer', lastError: null });
    // The original, NUL bytes and all, is kept as it came.
    const chunks: Buffer[] = [];
    for await (const c of await services.inboundEmails.rawFile(accountId, record!.id))
      chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).includes(Buffer.from('printer\x00 says'))).toBe(true);
  });

  it('reads raw 8-bit headers by the declared charset, else Windows-1252, and keeps raw UTF-8', async () => {
    await send(fixture('latin1-headers.eml'), 'kare.oye@example.org');
    const latin1 = await onlyTicketOf('kare.oye@example.org');
    expect(latin1.customer).toMatchObject({ firstName: 'Kåre', lastName: 'Øye' });
    expect(latin1.ticket.subject).toBe('Blåbærsyltetøy er borte');
    expect(latin1.ticket.messages[0]?.text).toBe('Hei, syltetøyet mitt er borte.');

    await send(fixture('cp1252-headers.eml'), 'renee.berg@example.org');
    const cp1252 = await onlyTicketOf('renee.berg@example.org');
    expect(cp1252.ticket.subject).toBe('Faktura på € 250');
    expect(cp1252.ticket.messages[0]?.authorName).toBe('Renée “Kaffé” Berg');

    await send(fixture('utf8-headers.eml'), 'ase.odegard@example.org');
    const utf8 = await onlyTicketOf('ase.odegard@example.org');
    expect(utf8.customer).toMatchObject({ firstName: 'Åse', lastName: 'Ødegård' });
    expect(utf8.ticket.subject).toBe('Blåbær ✓ på lager?');
  });

  it('ignores list mail, the null sender and our own address: no customer, no ticket, the reason recorded', async () => {
    await send(fixture('list-mail.eml'), 'users-bounces@lists.example.org');
    // nodemailer's own list headers, the way a newsletter tool writes them.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    await transport.sendMail({
      from: 'news.letter@example.org',
      to: SUPPORT,
      subject: 'Our December news',
      text: 'News',
      list: { id: 'news.example.org', unsubscribe: 'https://example.org/unsubscribe' },
    });
    // An RFC 3834 vacation reply sent with MAIL FROM:<> and no Auto-Submitted header.
    await send(fixture('vacation-reply.eml'), '');
    // Our own reply coming back: From our support address, in reply to our Message-ID.
    await transport.sendMail({
      from: `Support <${SUPPORT.toUpperCase()}>`,
      to: SUPPORT,
      subject: 'Re: Invoice [#1]',
      text: 'We answered this.',
      inReplyTo: '<0190.1@kunde-test.no>',
    });
    transport.close();
    for (const address of [
      'lise.liste@example.org',
      'news.letter@example.org',
      'viggo.ferie@example.org',
      SUPPORT,
    ])
      expect(await customerByEmail(address), address).toEqual([]);
    const reasons = (await inbound('ignored')).map((m) => [m.subject, m.reason]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['[users] Anyone seen this?', 'mailing list (List-Id or List-Unsubscribe)'],
        ['Our December news', 'mailing list (List-Id or List-Unsubscribe)'],
        ['Away: Re: your ticket', 'null envelope sender (a bounce or an automatic reply)'],
        ['Re: Invoice [#1]', `sent from this account's own address ${SUPPORT} (a mail loop)`],
      ]),
    );
  });

  it('keeps a message whose processing fails as failed with the error, and a retry makes the ticket', async () => {
    const openTicket = vi
      .spyOn(services.tickets, 'openTicket')
      .mockRejectedValueOnce(new Error('disk on fire'));
    const raw = Buffer.from(
      'From: Frida Feil <frida.feil@example.org>\r\nTo: support@kunde-test.no\r\nSubject: Broken once\r\n\r\nPlease work.\r\n',
    );
    await send(raw, 'frida.feil@example.org');
    openTicket.mockRestore();
    const [failed] = (await inbound('failed')).filter((m) => m.subject === 'Broken once');
    expect(failed).toMatchObject({
      state: 'failed',
      lastError: 'disk on fire',
      attempts: 1,
      from: 'Frida Feil <frida.feil@example.org>',
    });
    expect(failed?.retryAt).toBeTruthy();
    // Taking a message in is one transaction: the failed attempt left no customer behind.
    expect(await customerByEmail('frida.feil@example.org')).toEqual([]);

    await services.inboundEmails.retry(accountId, failed!.id);
    await services.worker.drain();
    const done = await services.inboundEmails.get(accountId, failed!.id);
    expect(done).toMatchObject({ state: 'processed', attempts: 2, retryAt: null });
    const { ticket } = await onlyTicketOf('frida.feil@example.org');
    expect(ticket).toMatchObject({ id: done.ticketId, subject: 'Broken once' });
    await expect(services.inboundEmails.retry(accountId, failed!.id)).rejects.toMatchObject({
      status: 409,
    });
  });

  it('records every failed attempt of the job and stops queueing after the last one', async () => {
    const openTicket = vi
      .spyOn(services.tickets, 'openTicket')
      .mockRejectedValue(new Error('still broken'));
    try {
      const raw = Buffer.from(
        'From: gunnar.gjentatt@example.org\r\nTo: support@kunde-test.no\r\nSubject: Never works\r\n\r\nx\r\n',
      );
      await send(raw, 'gunnar.gjentatt@example.org');
      const [failed] = (await inbound('failed')).filter((m) => m.subject === 'Never works');
      // Make every queued attempt due now and at most the job's second, as if hours had passed.
      await db.kysely
        .updateTable('jobs')
        .set({ max_attempts: 2 })
        .where('account_id', '=', accountId)
        .execute();
      for (let round = 0; round < 10; round++) {
        const due = await db.kysely
          .updateTable('jobs')
          .set({ run_at: new Date(0).toISOString() })
          .where('account_id', '=', accountId)
          .where('status', '=', 'queued')
          .executeTakeFirst();
        if (Number(due.numUpdatedRows) === 0) break;
        await services.worker.drain();
      }
      const after = await services.inboundEmails.get(accountId, failed!.id);
      expect(after).toMatchObject({ state: 'failed', lastError: 'still broken' });
      expect(after.attempts).toBeGreaterThanOrEqual(3);
      expect(after.retryAt).toBeNull();
    } finally {
      openTicket.mockRestore();
    }
  });

  it('processes a stored message whose node died before processing it (the job queued with it)', async () => {
    const raw = Buffer.from(
      'From: Kim Krasj <kim.krasj@example.org>\r\nSubject: Stored, then crash\r\n\r\nx\r\n',
    );
    // store() is what commits before the 250; a crash right after it never calls processStored.
    const id = await services.emailIntake.store(accountId, raw, {
      from: 'kim.krasj@example.org',
      to: SUPPORT,
    });
    expect(await services.inboundEmails.get(accountId, id)).toMatchObject({ state: 'received' });
    await db.kysely
      .updateTable('jobs')
      .set({ run_at: new Date(0).toISOString() })
      .where('account_id', '=', accountId)
      .where('status', '=', 'queued')
      .execute();
    await services.worker.drain();
    expect(await services.inboundEmails.get(accountId, id)).toMatchObject({ state: 'processed' });
    await onlyTicketOf('kim.krasj@example.org');
  });

  it('makes one ticket when the inline attempt and the job process one message at once', async () => {
    // No Message-ID: the two attempts still meet on the id derived from the inbound id.
    const raw = Buffer.from(
      'From: Tove Tvilling <tove.tvilling@example.org>\r\nSubject: Twice at once\r\n\r\nx\r\n',
    );
    const id = await services.emailIntake.store(accountId, raw, {
      from: 'tove@example.org',
      to: SUPPORT,
    });
    const outcomes = await Promise.all([
      services.emailIntake.process(accountId, id),
      services.emailIntake.process(accountId, id),
    ]);
    await onlyTicketOf('tove.tvilling@example.org');
    expect(outcomes.map((o) => o.kind)).toEqual(['ticket', 'ticket']);
    expect(await services.inboundEmails.get(accountId, id)).toMatchObject({ state: 'processed' });
  });

  it('withdraws the safety-net job once the inline attempt succeeded, and keeps it after a failure', async () => {
    const queuedFor = async (inboundId: string) =>
      (
        await db.kysely
          .selectFrom('jobs')
          .select(['payload', 'status'])
          .where('account_id', '=', accountId)
          .execute()
      ).filter(
        (job) => (JSON.parse(job.payload) as { inboundId?: string }).inboundId === inboundId,
      );
    const stored = (subject: string) =>
      services.emailIntake.store(
        accountId,
        Buffer.from(
          `From: Sigrid Sikker <sigrid.sikker@example.org>\r\nSubject: ${subject}\r\n\r\nx\r\n`,
        ),
        { from: 'sigrid.sikker@example.org', to: SUPPORT },
      );
    const fine = await stored('Fine inline');
    expect(await queuedFor(fine)).toHaveLength(1);
    await services.emailIntake.processStored(accountId, fine);
    expect(await services.inboundEmails.get(accountId, fine)).toMatchObject({ state: 'processed' });
    expect(await queuedFor(fine)).toEqual([]);

    const openTicket = vi
      .spyOn(services.tickets, 'openTicket')
      .mockRejectedValue(new Error('down'));
    try {
      const broken = await stored('Broken inline');
      await expect(services.emailIntake.processStored(accountId, broken)).rejects.toThrow('down');
      expect(await queuedFor(broken)).toMatchObject([{ status: 'queued' }]);
    } finally {
      openTicket.mockRestore();
    }
  });
});
