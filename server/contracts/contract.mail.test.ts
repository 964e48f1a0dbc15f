// Contract mail over a real SMTP conversation (the outbox's send-email task → smtp-server):
// closing a contract ticket sends the customer contact a contract update with the ticket, the
// time spent on it and the hours used and left, in the account's language; the threshold warning
// reaches the customer contact, the support contact and the support manager in one mail.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { contractWorld, type ContractWorld } from './contract.testkit.ts';

const TODAY = new Date().toISOString().slice(0, 10);

describe.each(testDialects())('contract mail on %s', (dialect) => {
  let sink: SMTPServer;
  let w: ContractWorld;
  const received: { mail: ParsedMail; rcpt: string[] }[] = [];

  beforeAll(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then((mail) => {
          received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        }, callback);
      },
    });
    sink.listen(0, '127.0.0.1');
    await once(sink.server, 'listening');
    const port = (sink.server.address() as AddressInfo).port;
    w = await contractWorld(dialect, { smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` });
    await w.server.services.settings.update(w.account.accountId, {
      supportAddresses: ['hjelp@leverandor.no'],
      defaultLocale: 'nb',
    });
  });
  afterAll(async () => {
    await w.server.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  it('mails the three contacts once at the threshold and the customer contact a contract update on closing, in Norwegian', async () => {
    const org = await w.organization();
    const kari = await w.contact(org.id, 'Kari');
    const support = await w.agent('Siv Support');
    const manager = await w.agent('Mons Manager');
    const contract = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, {
      description: 'Drift 2027',
      customerContactId: kari.id,
      supportContactId: support.id,
      supportManagerId: manager.id,
      hasHourRestriction: true,
      contractHours: 10,
      hoursNotificationThreshold: 2,
    });
    expect(contract.status, contract.text).toBe(201);
    const ticket = await w.ticketFor(kari.email, 'Skriveren brenner');
    const id = ticket.id as string;
    for (const minutes of [90, 45]) {
      const logged = await w.call('POST', `/api/v1/tickets/${id}/time-entries`, {
        minutes,
        workDate: TODAY,
      });
      expect(logged.status, logged.text).toBe(201);
    }
    await w.server.services.worker.drain();
    const warnings = received.filter((r) => r.mail.subject?.includes('nærmer seg timegrensen'));
    expect(warnings).toHaveLength(1);
    const warning = warnings[0] as (typeof received)[number];
    expect(warning.rcpt.sort()).toEqual([kari.email, support.email, manager.email].sort());
    expect(warning.mail.subject).toBe('Kontrakten «Drift 2027» nærmer seg timegrensen');
    expect(warning.mail.from?.text).toBe('hjelp@leverandor.no');
    expect(warning.mail.text).toContain('Brukt: 2,25 av 10 timer');
    expect(warning.mail.text).toContain('Igjen: 7,75 timer');

    const closed = await w.call('PATCH', `/api/v1/tickets/${id}`, { status: 'closed' });
    expect(closed.status, closed.text).toBe(200);
    // Closing again is no new closure.
    await w.call('PATCH', `/api/v1/tickets/${id}`, { status: 'closed' });
    await w.server.services.worker.drain();
    const updates = received.filter((r) => r.mail.subject?.startsWith('Kontraktoppdatering'));
    expect(updates).toHaveLength(1);
    const update = updates[0] as (typeof received)[number];
    expect(update.rcpt).toEqual([kari.email]);
    expect(update.mail.subject).toBe(
      `Kontraktoppdatering: sak #${ticket.number as number} er lukket`,
    );
    expect(update.mail.text).toContain(`sak #${ticket.number as number} «Skriveren brenner»`);
    expect(update.mail.text).toContain('Tid brukt på saken: 2,25 timer');
    expect(update.mail.text).toContain('Brukt på kontrakten: 2,25 av 10 timer');
    expect(update.mail.text).toContain('Igjen: 7,75 timer');
  });

  it('sends the contract update in English for an English account, without hours left when unrestricted', async () => {
    await w.server.services.settings.update(w.account.accountId, { defaultLocale: 'en' });
    const org = await w.organization();
    const ola = await w.contact(org.id, 'Ola');
    const support = await w.agent();
    const contract = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, {
      description: 'Time and material',
      customerContactId: ola.id,
      supportContactId: support.id,
    });
    expect(contract.status, contract.text).toBe(201);
    const ticket = await w.ticketFor(ola.email, 'VPN down');
    await w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
      minutes: 30,
      workDate: TODAY,
    });
    await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, { status: 'closed' });
    await w.server.services.worker.drain();
    const update = received.find((r) => r.rcpt.includes(ola.email));
    expect(update?.mail.subject).toBe(
      `Contract update: ticket #${ticket.number as number} is closed`,
    );
    expect(update?.mail.text).toContain('Time spent on the ticket: 0.5 hours');
    expect(update?.mail.text).toContain('Used on the contract: 0.5 hours');
    expect(update?.mail.text).not.toContain('Left:');
  });
});
