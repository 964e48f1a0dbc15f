// Email and SMS intake over real protocols: nodemailer talks SMTP to the running intake, agent
// replies leave through the outbox to an SMTP sink, SMS arrives on the webhook.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount, unique } from '../test/factories.ts';
import { createSmtpIntake } from './smtp.ts';
import { systemPrincipal } from '../agents/principal.ts';

describe.each(testDialects())('email and SMS intake on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let intake: SMTPServer;
  let sink: SMTPServer;
  const received: ParsedMail[] = [];
  let accountId: string;
  let send: (mail: SendMailOptions) => Promise<unknown>;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      },
    });
    sink.listen(0, '127.0.0.1');
    await once(sink.server, 'listening');
    const sinkPort = (sink.server.address() as AddressInfo).port;
    services = createServices(db, { smtpUrl: `smtp://127.0.0.1:${sinkPort}?ignoreTLS=true` });
    ({ accountId } = await createBareAccount(services));
    await services.settings.update(accountId, { supportAddresses: ['support@kunde-test.no'] });
    // A second account makes the recipient matter.
    const other = await createBareAccount(services);
    await services.settings.update(other.accountId, {
      supportAddresses: [`help-${other.accountId.slice(-6)}@other-test.no`],
    });
    intake = createSmtpIntake({
      db: db.kysely,
      intake: services.emailIntake,
      log: () => undefined,
      maxBytes: 200_000,
    });
    intake.listen(0, '127.0.0.1');
    await once(intake.server, 'listening');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: (intake.server.address() as AddressInfo).port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 10,
    });
    send = (mail: SendMailOptions) => transport.sendMail({ to: 'support@kunde-test.no', ...mail });
  });
  afterAll(async () => {
    intake.close();
    sink.close();
    await db.destroy();
  });

  const principal = () => systemPrincipal(accountId, 'Test');
  const customersNamed = async (q: string) =>
    (await services.customers.list(principal(), { q, status: 'all', limit: 200 })).items;

  it('turns mail from a new sender into a customer (name from the From line) and a ticket', async () => {
    const domain = `${unique('firma').replace(/[^a-z0-9]/g, '')}.no`;
    await send({
      from: `"Nordmann, Ola" <Ola@${domain}>`,
      subject: 'Printer on fire',
      text: 'Help!',
    });
    const [customer] = await customersNamed(`ola@${domain}`);
    expect(customer).toMatchObject({
      firstName: 'Ola',
      lastName: 'Nordmann',
      email: `ola@${domain}`,
      createdVia: 'email',
      organizationName: domain,
    });
    const tickets = await services.tickets.list(principal(), {
      customerId: customer?.id,
      limit: 10,
    });
    expect(tickets.items).toMatchObject([
      {
        subject: 'Printer on fire',
        status: 'open',
        channel: 'email',
        organizationId: customer?.organizationId,
      },
    ]);
    const full = await services.tickets.get(principal(), tickets.items[0]?.id ?? '');
    expect(full.messages[0]).toMatchObject({
      authorType: 'customer',
      text: 'Help!',
      channel: 'email',
    });
    expect((await services.customers.get(principal(), customer?.id ?? '')).createdAt).toBeTruthy();
  });

  it('matches a known sender written in another case, and names "Ola Nordmann" the same way', async () => {
    await send({ from: 'Kari Nordmann <kari.known@example.org>', subject: 'First', text: '1' });
    await send({ from: 'KARI.KNOWN@EXAMPLE.ORG', subject: 'Second', text: '2' });
    const found = await customersNamed('kari.known@example.org');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ firstName: 'Kari', lastName: 'Nordmann' });
    expect(
      (await services.tickets.list(principal(), { customerId: found[0]?.id, limit: 10 })).total,
    ).toBe(2);
  });

  it('threads replies both ways: agent reply leaves threaded, the customer answer lands on the ticket', async () => {
    await send({
      from: 'Per <per.thread@example.org>',
      subject: 'Invoice question',
      text: 'Why?',
      messageId: '<first.per@example.org>',
    });
    const [per] = await customersNamed('per.thread@example.org');
    const ticket = (await services.tickets.list(principal(), { customerId: per?.id, limit: 1 }))
      .items[0];
    const agent = { ...principal(), type: 'user' as const, userId: null, name: 'Agent Ann' };
    await services.tickets.reply(agent, ticket?.id ?? '', 'Because.');
    await services.worker.drain();
    const outgoing = received.find((m) => m.subject?.includes('Invoice question'));
    expect(outgoing?.subject).toBe(`Re: Invoice question [#${ticket?.number}]`);
    expect(outgoing?.inReplyTo).toBe('<first.per@example.org>');
    expect(outgoing?.references).toContain('<first.per@example.org>');
    await send({
      from: 'per.thread@example.org',
      subject: `Re: Invoice question [#${ticket?.number}]`,
      text: 'Thanks',
      inReplyTo: outgoing?.messageId,
      references: [outgoing?.messageId ?? ''],
    });
    await send({
      from: 'per.thread@example.org',
      subject: `Still about [#${ticket?.number}]`,
      text: 'One more thing',
    });
    const after = await services.tickets.get(principal(), ticket?.id ?? '');
    expect(after.messages.map((m) => m.text)).toEqual([
      'Why?',
      'Because.',
      'Thanks',
      'One more thing',
    ]);
    expect(after.status).toBe('open');
  });

  it('ignores auto-replies, bounces and list mail: no customer, no ticket', async () => {
    await send({
      from: 'away@autoreply.org',
      subject: 'Out of office',
      text: 'away',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send({ from: 'MAILER-DAEMON@autoreply.org', subject: 'Undelivered', text: 'bounce' });
    await send({
      from: 'news@autoreply.org',
      subject: 'Digest',
      text: 'list',
      headers: { Precedence: 'bulk' },
    });
    expect(await customersNamed('autoreply.org')).toEqual([]);
  });

  it('stores attachments in the file store', async () => {
    await send({
      from: 'files@example.org',
      subject: 'Screenshot',
      text: 'see attached',
      attachments: [{ filename: 'error.txt', content: 'stack trace here' }],
    });
    const [customer] = await customersNamed('files@example.org');
    const ticket = (
      await services.tickets.list(principal(), { customerId: customer?.id, limit: 1 })
    ).items[0];
    const full = await services.tickets.get(principal(), ticket?.id ?? '');
    const attachment = full.messages[0]?.attachments[0];
    expect(attachment).toMatchObject({ filename: 'error.txt', sizeBytes: 16 });
    const row = await services.tickets.attachment(principal(), attachment?.id ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of services.files.read(row.file_key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('stack trace here');
  });

  it('creates exactly one customer from 50 concurrent messages of a new sender, and keeps all 50', async () => {
    const address = `${unique('burst')}@burst.example.org`;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send({ from: address, subject: `Burst ${i}`, text: `message ${i}` }),
      ),
    );
    const found = await customersNamed(address);
    expect(found).toHaveLength(1);
    expect(
      (await services.tickets.list(principal(), { customerId: found[0]?.id, limit: 100 })).total,
    ).toBe(50);
  });

  it('refuses mail for an address no account receives, and oversized mail', async () => {
    await expect(
      send({ to: 'nobody@nowhere.example', from: 'x@example.org', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550.*no Kunde account receives mail/);
    await expect(
      send({ from: 'big@example.org', subject: 'Huge', text: 'x'.repeat(300_000) }),
    ).rejects.toThrow(/552.*Message too big/);
    expect(await customersNamed('big@example.org')).toEqual([]);
  });

  it('makes one customer of an SMS sender writing their number five ways, on one open ticket', async () => {
    const secret = await services.smsIntake.rotateSecret(accountId);
    expect(await services.smsIntake.accountForSecret(`Bearer ${secret}`)).toBe(accountId);
    await expect(services.smsIntake.accountForSecret('Bearer kunde.x.y')).rejects.toMatchObject({
      status: 401,
    });
    const formats = [
      '+47 934 56 789',
      '93456789',
      '0047 934 56 789',
      '934 56 789',
      '(+47) 934-56-789',
    ];
    for (const [i, from] of formats.entries())
      await services.smsIntake.receive(accountId, { from, body: `sms ${i}` });
    const found = await customersNamed('4793456789');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ phone: '+4793456789', createdVia: 'sms' });
    const tickets = await services.tickets.list(principal(), {
      customerId: found[0]?.id,
      limit: 10,
    });
    expect(tickets.items).toMatchObject([{ messageCount: 5, channel: 'sms' }]);
  });

  it('routes tickets from an organization to the agent its rule names', async () => {
    const organization = await services.organizations.create(principal(), {
      name: unique('Routed '),
      domains: ['routed.example.org'],
    });
    const agentUser = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
    const team = await services.teams.create(accountId, { name: unique('Team '), memberIds: [] });
    await db.kysely
      .insertInto('routing_rules')
      .values({
        account_id: accountId,
        id: crypto.randomUUID(),
        organization_id: organization.id,
        assignee_id: agentUser?.id ?? null,
        team_id: team.id,
        position: 0,
        created_at: new Date().toISOString(),
      })
      .execute();
    await send({ from: 'someone@routed.example.org', subject: 'Routed please', text: 'x' });
    const [customer] = await customersNamed('someone@routed.example.org');
    const ticket = (
      await services.tickets.list(principal(), { customerId: customer?.id, limit: 1 })
    ).items[0];
    expect(ticket).toMatchObject({ organizationId: organization.id, teamId: team.id });
  });
});
