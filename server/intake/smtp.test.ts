// The SMTP intake against a hostile client, over a real SMTP conversation with the real server:
// oversized and borderline messages, bare LF, long lines, NUL bytes, bad recipients, commands
// out of order, too many recipients, and the per-IP connection and message-rate limits.
import { once } from 'node:events';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../agents/principal.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount, unique } from '../test/factories.ts';
import { RawSmtpClient } from '../test/smtp-client.ts';
import { processEmailTask } from './process-email.task.ts';
import { createSmtpIntake, MAX_RECIPIENTS, type SmtpLimits } from './smtp.ts';

const LIMIT = 200_000;
const SUPPORT = 'support@kunde-smtp-test.no';

describe.each(testDialects())('SMTP intake under abuse on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let accountId: string;
  let otherAccountId: string;
  let otherAddress: string;
  const servers: SMTPServer[] = [];

  async function listen(limits: SmtpLimits = {}): Promise<number> {
    const server = createSmtpIntake({
      db: db.kysely,
      intake: services.emailIntake,
      log: () => undefined,
      maxBytes: LIMIT,
      ...limits,
    });
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    servers.push(server);
    return (server.server.address() as AddressInfo).port;
  }
  let port: number;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
    ({ accountId } = await createBareAccount(services));
    await services.settings.update(accountId, { supportAddresses: [SUPPORT] });
    // With two accounts the recipient decides where mail goes, and an unknown one is refused.
    otherAccountId = (await createBareAccount(services)).accountId;
    otherAddress = `help-${otherAccountId.slice(-6)}@other-smtp-test.no`;
    await services.settings.update(otherAccountId, { supportAddresses: [otherAddress] });
    port = await listen();
  });
  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(resolve));
    await db.destroy();
  });

  const stored = (account = accountId) =>
    db.kysely
      .selectFrom('inbound_emails')
      .selectAll()
      .where('account_id', '=', account)
      .orderBy('received_at')
      .execute();
  const rawOf = (fileKey: string) => services.files.readAll(fileKey);
  /** A message with a subject of its own, to find it among the stored ones. */
  const message = (subject: string, body = 'Hello', eol = '\r\n') =>
    [`From: Ola <ola.${subject}@example.org>`, `Subject: ${subject}`, '', body].join(eol) + eol;
  const storedWith = async (subject: string, account = accountId) =>
    (
      await Promise.all(
        (await stored(account)).map(async (row) =>
          (await rawOf(row.file_key)).includes(`Subject: ${subject}`) ? [row] : [],
        ),
      )
    ).flat();

  it('refuses an oversized message with 552, stores nothing, and takes the next message', async () => {
    const before = (await stored()).length;
    const { client } = await RawSmtpClient.connect(port);
    const big = await client.sendGenerated('ola@example.org', SUPPORT, LIMIT * 3);
    expect(big.code).toBe(552);
    // Every byte was counted (to the end), none kept.
    const counted = /5\.3\.4 Message too big: (\d+) bytes, at most (\d+) bytes/.exec(big.text);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(LIMIT * 3);
    expect(Number(counted?.[2])).toBe(LIMIT);
    expect((await stored()).length).toBe(before);
    const subject = unique('after-big');
    expect((await client.send('ola@example.org', [SUPPORT], message(subject))).code).toBe(250);
    expect(await storedWith(subject)).toHaveLength(1);
    await client.quit();
  });

  it('takes a message of exactly the limit and refuses one byte more', async () => {
    const { client } = await RawSmtpClient.connect(port);
    const subject = unique('at-limit');
    const head = message(subject, '');
    // DATA counts the CRLF before the final dot as the message's last line end.
    const body = (extra: number) => head + 'y'.repeat(LIMIT - head.length - 2 + extra);
    expect((await client.send('ola@example.org', [SUPPORT], body(0))).code).toBe(250);
    const [row] = await storedWith(subject);
    expect((await rawOf(row?.file_key ?? '')).length).toBe(LIMIT);
    expect(row?.status).toBe('processed');
    expect((await client.send('ola@example.org', [SUPPORT], body(1))).code).toBe(552);
    await client.quit();
  });

  it('takes bare LF line endings, and a bare-LF dot does not end the message early', async () => {
    const { client } = await RawSmtpClient.connect(port);
    const subject = unique('bare-lf');
    // "\n.\n" is not the end of DATA: a server that took it for one would run the smuggled
    // MAIL FROM below as a command of the client's (SMTP smuggling).
    const body = message(subject, 'first line\nsecond line\n.\nMAIL FROM:<evil@example.org>', '\n');
    const reply = await client.send('ola@example.org', [SUPPORT], body);
    expect(reply.code).toBe(250);
    const [row] = await storedWith(subject);
    expect((await rawOf(row?.file_key ?? '')).toString()).toContain('MAIL FROM:<evil@example.org>');
    expect(row?.status).toBe('processed');
    const ticket = await services.tickets.get(
      systemPrincipal(accountId, 'Test'),
      row?.ticket_id ?? '',
    );
    expect(ticket.messages[0]?.text).toContain('second line');
    // The conversation goes on in step: the next command gets its own answer.
    expect((await client.command('NOOP')).code).toBe(250);
    await client.quit();
  });

  it('takes a very long line in DATA, and refuses a very long command line clearly', async () => {
    const { client } = await RawSmtpClient.connect(port);
    const subject = unique('long-line');
    const line = 'z'.repeat(150_000);
    expect((await client.send('ola@example.org', [SUPPORT], message(subject, line))).code).toBe(
      250,
    );
    const [row] = await storedWith(subject);
    expect((await rawOf(row?.file_key ?? '')).toString()).toContain(line);
    const long = await client.command(`MAIL FROM:<${'a'.repeat(40_000)}@example.org>`);
    expect(long.code).toBeGreaterThanOrEqual(400);
    expect(long.text).toMatch(/too long/i);
    client.destroy();
    // The server is still there for the next client.
    const next = await RawSmtpClient.connect(port);
    expect(next.greeting.code).toBe(220);
    await next.client.quit();
  });

  it('refuses bad and unknown recipients, naming them, and goes on with good ones', async () => {
    const { client } = await RawSmtpClient.connect(port);
    expect((await client.command('MAIL FROM:<ola@example.org>')).code).toBe(250);
    expect((await client.command('RCPT TO:<not an address>')).code).toBe(501);
    const unknown = await client.command('RCPT TO:<nobody@nowhere-smtp-test.no>');
    expect(unknown.code).toBe(550);
    expect(unknown.text).toContain('nobody@nowhere-smtp-test.no');
    expect((await client.command(`RCPT TO:<${SUPPORT}>`)).code).toBe(250);
    await client.quit();
  });

  it('answers DATA before MAIL or RCPT with 503 and still takes the message after', async () => {
    const { client } = await RawSmtpClient.connect(port);
    expect((await client.command('DATA')).code).toBe(503);
    expect((await client.command('MAIL FROM:<ola@example.org>')).code).toBe(250);
    expect((await client.command('DATA')).code).toBe(503);
    expect((await client.command('RSET')).code).toBe(250);
    const subject = unique('after-503');
    expect((await client.send('ola@example.org', [SUPPORT], message(subject))).code).toBe(250);
    expect(await storedWith(subject)).toHaveLength(1);
    await client.quit();
  });

  it(`stops at ${MAX_RECIPIENTS} recipients with 452 and stores the message once`, async () => {
    const { client } = await RawSmtpClient.connect(port);
    expect((await client.command('MAIL FROM:<ola@example.org>')).code).toBe(250);
    expect((await client.command(`RCPT TO:<${SUPPORT}>`)).code).toBe(250);
    const codes: number[] = [];
    for (let i = 0; i < MAX_RECIPIENTS + 20; i++)
      codes.push((await client.command(`RCPT TO:<nobody${i}@nowhere-smtp-test.no>`)).code);
    expect(codes.filter((code) => code === 550)).toHaveLength(MAX_RECIPIENTS - 1);
    expect(codes.slice(MAX_RECIPIENTS - 1).every((code) => code === 452)).toBe(true);
    expect((await client.command('DATA')).code).toBe(354);
    const subject = unique('many-rcpt');
    expect((await client.command(`${message(subject)}.`)).code).toBe(250);
    expect(await storedWith(subject)).toHaveLength(1);
    await client.quit();
  });

  it('does not carry recipients over from a reset or refused transaction', async () => {
    const { client } = await RawSmtpClient.connect(port);
    expect((await client.command('MAIL FROM:<ola@example.org>')).code).toBe(250);
    expect((await client.command(`RCPT TO:<${otherAddress}>`)).code).toBe(250);
    expect((await client.command('RSET')).code).toBe(250);
    const subject = unique('after-rset');
    expect((await client.send('ola@example.org', [SUPPORT], message(subject))).code).toBe(250);
    // A refused message's recipients do not join the next one either.
    expect((await client.sendGenerated('ola@example.org', otherAddress, LIMIT * 2)).code).toBe(552);
    const next = unique('after-552');
    expect((await client.send('ola@example.org', [SUPPORT], message(next))).code).toBe(250);
    expect(await storedWith(subject)).toHaveLength(1);
    expect(await storedWith(next)).toHaveLength(1);
    expect(await storedWith(subject, otherAccountId)).toHaveLength(0);
    expect(await storedWith(next, otherAccountId)).toHaveLength(0);
    await client.quit();
  });

  it('takes a message with a NUL byte (250), keeps its raw bytes and processes it', async () => {
    const { client } = await RawSmtpClient.connect(port);
    const subject = unique('nul');
    const reply = await client.send('ola@example.org', [SUPPORT], message(subject, 'a\u0000b'));
    expect(reply.code).toBe(250);
    const [row] = await storedWith(subject);
    expect((await rawOf(row?.file_key ?? '')).includes(Buffer.from('a\u0000b'))).toBe(true);
    // Processed (a ticket, ignored or failed) or queued to try again: never left unseen.
    const retries = await db.kysely
      .selectFrom('jobs')
      .select('payload')
      .where('account_id', '=', accountId)
      .where('kind', '=', processEmailTask.kind)
      .execute();
    const retry = retries.filter((job) => String(job.payload).includes(row?.id ?? '-'));
    expect(row?.status !== 'received' || retry.length === 1).toBe(true);
    await client.quit();
  });

  it('keeps a message over a megabyte intact through the spool, and leaves no spool file', async () => {
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-spool-'));
    const spooled = await listen({ maxBytes: 3 * 1024 * 1024, spoolDir });
    const { client } = await RawSmtpClient.connect(spooled);
    const subject = unique('spooled');
    // Bytes of every value, so nothing in between may re-encode them.
    const body = Buffer.concat([
      Buffer.from(message(subject, '')),
      Buffer.from(Array.from({ length: 2_500_000 }, (_, i) => (i % 255) + 1)).map((b) =>
        b === 0x0a || b === 0x0d || b === 0x2e ? 0x41 : b,
      ),
    ]);
    expect((await client.send('ola@example.org', [SUPPORT], body)).code).toBe(250);
    const [row] = await storedWith(subject);
    expect(
      (await rawOf(row?.file_key ?? '')).equals(Buffer.concat([body, Buffer.from('\r\n')])),
    ).toBe(true);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    expect((await client.sendGenerated('ola@example.org', SUPPORT, 4 * 1024 * 1024)).code).toBe(
      552,
    );
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    // A client that goes away in the middle of a big message leaves nothing behind either.
    expect((await client.command('MAIL FROM:<ola@example.org>')).code).toBe(250);
    expect((await client.command(`RCPT TO:<${SUPPORT}>`)).code).toBe(250);
    expect((await client.command('DATA')).code).toBe(354);
    await client.write(Buffer.alloc(2 * 1024 * 1024, 'q'));
    client.destroy();
    for (let tries = 0; fs.readdirSync(spoolDir).length && tries < 40; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });

  it('refuses connections past the per-IP limit with 421, per address', async () => {
    const limited = await listen({ maxConnectionsPerIp: 2 });
    const first = await RawSmtpClient.connect(limited);
    const second = await RawSmtpClient.connect(limited);
    expect([first.greeting.code, second.greeting.code]).toEqual([220, 220]);
    const third = await RawSmtpClient.connect(limited);
    expect(third.greeting.code).toBe(421);
    expect(third.greeting.text).toMatch(/too many connections from your address/i);
    await third.client.closed;
    // Another client address has its own allowance (all of 127/8 is this machine).
    const elsewhere = await RawSmtpClient.connect(limited, { localAddress: '127.0.0.2' });
    expect(elsewhere.greeting.code).toBe(220);
    // A closed connection gives its place back.
    await first.client.quit();
    let again = await RawSmtpClient.connect(limited);
    // The server counts the connection as closed a moment after the client sees it close.
    for (let tries = 0; again.greeting.code !== 220 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await RawSmtpClient.connect(limited);
    }
    expect(again.greeting.code).toBe(220);
    for (const open of [second, elsewhere, again]) await open.client.quit();
  });

  it('refuses messages past the per-IP rate with 450 4.7.1 and stores none of them', async () => {
    const limited = await listen({ messagesPerMinutePerIp: 3 });
    const { client } = await RawSmtpClient.connect(limited);
    const subjects = Array.from({ length: 5 }, () => unique('rate'));
    const codes: number[] = [];
    for (const subject of subjects)
      codes.push((await client.send('ola@example.org', [SUPPORT], message(subject))).code);
    expect(codes).toEqual([250, 250, 250, 450, 450]);
    const refused = await client.command('MAIL FROM:<ola@example.org>');
    expect(refused.text).toMatch(/4\.7\.1 .*try again later/i);
    expect(await storedWith(subjects[3] ?? '')).toHaveLength(0);
    await client.quit();
    const elsewhere = await RawSmtpClient.connect(limited, { localAddress: '127.0.0.3' });
    const subject = unique('rate-elsewhere');
    expect(
      (await elsewhere.client.send('kari@example.org', [SUPPORT], message(subject))).code,
    ).toBe(250);
    await elsewhere.client.quit();
  });
});
