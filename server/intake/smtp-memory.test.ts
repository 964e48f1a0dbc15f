// An oversized message costs its sender time, never Kunde's memory: five clients at once each
// send 300 MB to a real Kunde process (npm start's heap flags, the default 25 MB limit), every
// one gets 552, and the growth of the process's resident memory, read from /proc, stays small.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKundeProcess, type KundeProcess } from '../../bench/kunde-process.ts';
import { createServices } from '../services.ts';
import { createTestDb, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { RawSmtpClient } from '../test/smtp-client.ts';

const MB = 1024 * 1024;
const CLIENTS = 5;
const EACH = 300 * MB;
/**
 * Growth over the idle process (about 145 MB: node, tsx and Kunde loaded). 80 MB is under what
 * holding each message up to the limit would take (5 × 25 MB) and far under holding it whole
 * (1.5 GB); the rest is socket buffers and garbage between collections (measured: about 46 MB).
 */
const GROWTH_BUDGET = 80 * MB;

// Memory does not depend on the database, so one dialect: SQLite, the default.
describe('SMTP intake memory under oversized mail', () => {
  let db: TestDb;
  let kunde: KundeProcess;
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    await createBareAccount(createServices(db), { supportAddresses: ['support@example.org'] });
    dataDir = 'DATA_DIR' in db.env ? db.env.DATA_DIR : fs.mkdtempSync(path.join(os.tmpdir(), 'k'));
    kunde = await startKundeProcess({ dataDir, logLevel: 'warn' });
  }, 60_000);
  afterAll(async () => {
    await kunde.stop();
    await db.destroy();
  });

  it(`takes ${CLIENTS} × ${EACH / MB} MB of DATA in under ${GROWTH_BUDGET / MB} MB more RSS, each refused with 552`, async () => {
    const idle = kunde.peakRss();
    const peak = kunde.sampleRss(25);
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const { client } = await RawSmtpClient.connect(kunde.smtpPort);
        const reply = await client.sendGenerated('big@example.org', 'support@example.org', EACH);
        await client.quit();
        return reply;
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const peakRss = peak();
    console.log(
      `SMTP memory: ${CLIENTS} × ${EACH / MB} MB in ${seconds.toFixed(1)} s ` +
        `(${((CLIENTS * EACH) / MB / seconds).toFixed(0)} MB/s); RSS idle ${(idle / MB).toFixed(0)} MB, ` +
        `peak ${(peakRss / MB).toFixed(0)} MB (VmHWM ${(kunde.peakRss() / MB).toFixed(0)} MB)`,
    );
    expect(replies.map((reply) => reply.code)).toEqual(Array(CLIENTS).fill(552));
    expect(peakRss - idle).toBeLessThan(GROWTH_BUDGET);
    expect(kunde.peakRss() - idle).toBeLessThan(GROWTH_BUDGET);
    const stored = await db.kysely.selectFrom('inbound_emails').select('id').execute();
    expect(stored).toHaveLength(0);
    // And the intake still takes an ordinary message afterwards.
    const { client } = await RawSmtpClient.connect(kunde.smtpPort);
    const ok = await client.send(
      'ola@example.org',
      ['support@example.org'],
      'From: <ola@example.org>\r\nSubject: after the flood\r\n\r\nHei\r\n',
    );
    await client.quit();
    expect(ok.code).toBe(250);
  }, 120_000);
});
