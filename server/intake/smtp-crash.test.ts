// Whatever the SMTP intake said 250 to survives a kill -9: a real Kunde process takes mail over
// eight connections at once, is killed mid-stream twice and restarted, and afterwards every
// message that got 250 is exactly one ticket. Messages that got no answer are sent again, as a
// mail server would, and must not become a second ticket either.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKundeProcess, type KundeProcess } from '../../bench/kunde-process.ts';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { RawSmtpClient } from '../test/smtp-client.ts';

const MESSAGES = 100;
const CONNECTIONS = 8;
/** Kill the process after this many more 250s, twice. */
const KILL_AFTER = 30;

const messageId = (i: number) => `<crash-${i}@smtp-crash.kunde>`;
const mail = (i: number) =>
  [
    `From: Sender ${i} <sender${i}@crash-test.example>`,
    'To: support@crash-test.no',
    `Subject: Crash ${i}`,
    `Message-ID: ${messageId(i)}`,
    '',
    `Message number ${i}.`,
    '',
  ].join('\r\n');

describe.each(testDialects())('SMTP intake through kill -9 on %s', (dialect) => {
  let db: TestDb;
  let dataDir: string;
  let kunde: KundeProcess | undefined;

  const start = () =>
    startKundeProcess({
      dataDir,
      databaseUrl: 'DATABASE_URL' in db.env ? db.env.DATABASE_URL : undefined,
      logLevel: 'warn',
      env: {
        // A killed worker's job is taken over when its lease runs out: make that soon.
        KUNDE_JOB_LEASE_MS: '1500',
        SMTP_MAX_CONNECTIONS_PER_IP: '100',
        SMTP_MESSAGES_PER_MINUTE_PER_IP: '100000',
      },
    });

  beforeAll(async () => {
    db = await createTestDb(dialect);
    await createBareAccount(createServices(db), { supportAddresses: ['support@crash-test.no'] });
    dataDir =
      'DATA_DIR' in db.env
        ? db.env.DATA_DIR
        : fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-crash-'));
  });
  afterAll(async () => {
    await kunde?.stop();
    await db.destroy();
  });

  /**
   * Sends `pending` over CONNECTIONS connections; after `killAfter` 250s the process gets
   * SIGKILL. Answers which messages got 250; the others are left in `pending`.
   */
  async function deliver(process_: KundeProcess, pending: number[], killAfter = Infinity) {
    const acked: number[] = [];
    let killed = false;
    const connection = async () => {
      const { client, greeting } = await RawSmtpClient.connect(process_.smtpPort);
      if (greeting.code !== 220) return;
      for (let i = pending.shift(); i !== undefined; i = pending.shift()) {
        const reply = await client.send(
          `sender${i}@crash-test.example`,
          ['support@crash-test.no'],
          mail(i),
        );
        if (reply.code !== 250) {
          pending.push(i);
          break;
        }
        acked.push(i);
        if (!killed && acked.length >= killAfter) {
          killed = true;
          process.kill(process_.pid, 'SIGKILL');
        }
      }
      client.destroy();
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
    return acked;
  }

  it('keeps every message it said 250 to, once, through two kills', async () => {
    const pending = Array.from({ length: MESSAGES }, (_, i) => i);
    const acked: number[] = [];
    for (const killAfter of [KILL_AFTER, KILL_AFTER, Infinity]) {
      kunde = await start();
      acked.push(...(await deliver(kunde, pending, killAfter)));
      // The last run has no kill: what a refusal (451) left over is simply sent again.
      for (let tries = 0; killAfter === Infinity && pending.length && tries < 3; tries++)
        acked.push(...(await deliver(kunde, pending)));
      if (killAfter !== Infinity) {
        await kunde.stop();
        kunde = undefined;
      }
    }
    expect(new Set(acked).size).toBe(acked.length);
    expect(acked.length).toBe(MESSAGES);

    // Processing that a kill interrupted is the worker's, once the dead process's lease is out.
    const ticketsFor = async () =>
      db.kysely
        .selectFrom('ticket_messages')
        .select(['email_message_id', 'ticket_id'])
        .where('email_message_id', 'like', '<crash-%')
        .execute();
    let messages = await ticketsFor();
    for (let waited = 0; new Set(messages.map((m) => m.email_message_id)).size < MESSAGES;) {
      if (waited > 30_000) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
      waited += 250;
      messages = await ticketsFor();
    }
    const perMessage = new Map<string, number>();
    for (const m of messages)
      perMessage.set(m.email_message_id ?? '', (perMessage.get(m.email_message_id ?? '') ?? 0) + 1);
    const lost = acked.filter((i) => !perMessage.has(messageId(i)));
    const doubled = [...perMessage].filter(([, n]) => n > 1).map(([id]) => id);
    const tickets = await db.kysely
      .selectFrom('tickets')
      .select('subject')
      .where('subject', 'like', 'Crash %')
      .execute();
    const stored = await db.kysely.selectFrom('inbound_emails').select(['status']).execute();
    const stranded = stored.filter((row) => row.status === 'received').length;
    console.log(
      `${dialect}: ${acked.length} messages answered 250 over 3 runs (2 kills); ` +
        `${stored.length} stored (${stored.length - MESSAGES} by resends), ${stranded} left unprocessed ` +
        `(stored before a kill, never answered, later resent)`,
    );
    expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
    expect(tickets).toHaveLength(MESSAGES);
    expect(new Set(tickets.map((t) => t.subject)).size).toBe(MESSAGES);
  }, 120_000);

  // A kill between store() and processing must not strand the raw mail in 'received': store()
  // inserts the row and its process-inbound-email job in one transaction (run a few seconds
  // ahead, so the inline processing normally wins and the job finds the row processed).
  it('processes a message that was stored when the process died, without a resend', async () => {
    await kunde?.stop();
    const services = createServices(db, { dataDir });
    const [account] = await db.kysely.selectFrom('accounts').select('account_id').execute();
    const accountId = account?.account_id ?? '';
    // What a kill right after store() leaves behind: the raw message and its row, nothing else.
    const inboundId = await services.emailIntake.store(accountId, Buffer.from(mail(MESSAGES)), {
      from: `sender${MESSAGES}@crash-test.example`,
      to: 'support@crash-test.no',
    });
    kunde = await start();
    let status = 'received';
    for (let waited = 0; status === 'received' && waited < 8_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const row = await db.kysely
        .selectFrom('inbound_emails')
        .select('status')
        .where('account_id', '=', accountId)
        .where('id', '=', inboundId)
        .executeTakeFirstOrThrow();
      status = row.status;
    }
    expect(status).toBe('processed');
  }, 60_000);
});
