// The ready email over a real SMTP conversation (nodemailer → smtp-server), in the requesting
// agent's language, with the link to the customer's page; the archive's README in that language.
import { once } from 'node:events';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { createCanaryCustomer, readZip } from './export.testkit.ts';

describe.each(testDialects())('the archive-ready email on %s', (dialect) => {
  let db: TestDb;
  let dataDir: string;
  let sink: SMTPServer;
  let services: Services;
  let account: TestAccount;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-export-mail-'));
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
    const port = (sink.server.address() as AddressInfo).port;
    services = createServices(db, {
      dataDir,
      smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
      publicUrl: 'https://kunde.firma.no/',
    });
    account = await createTestAccount(services);
    await services.settings.update(account.accountId, { supportAddresses: ['hjelp@firma.no'] });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('tells a Norwegian agent in Norwegian, with the link, and the README is Norwegian too', async () => {
    await services.agents.setLocale(account.admin, 'nb');
    const agent = { ...account.admin, locale: 'nb' };
    const customer = await createCanaryCustomer(services, agent, unique('epost'));
    const { export: requested } = await services.exports.request(agent, customer.customerId);
    await services.worker.drain();

    expect(received).toHaveLength(1);
    const mail = received[0] as ParsedMail;
    expect(mail.subject).toBe(
      `Arkivet med kundedata for First ${customer.canary} Nordmann er klart`,
    );
    expect(mail.from?.text).toBe('hjelp@firma.no');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(account.adminEmail);
    expect(mail.text).toContain(`https://kunde.firma.no/customers/${customer.customerId}`);
    expect(mail.text).toContain('«Last ned arkiv»');

    const { body } = await services.exports.download(agent, requested.id);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const readme = (await readZip(Buffer.concat(chunks))).get('README.txt')?.toString() ?? '';
    expect(readme).toContain(`Kunde: opplysningene vi har om First ${customer.canary} Nordmann`);
    expect(readme).toContain('\r\n');
  });
});
