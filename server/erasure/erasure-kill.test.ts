// A real Kunde process (the compiled server, as `npm start` runs it) is SIGKILLed in the middle
// of erasing a customer with thousands of tickets: after the first ticket batches have committed
// and before the last, as the database shows. Started again on the same database and data
// directory, it finishes the erasure (the lease of the dead worker runs out and the job is taken
// over): the customer is gone, the Deleted Customers log has exactly one row for them, and no row
// of any table (nor, on SQLite, any page of the database file; on PostgreSQL, its pg_dump) holds
// their email, phone or name.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KundeProcess } from '../../bench/kunde-process.ts';
import { createServices } from '../services.ts';
import { insertClosedTickets } from '../test/bulk-tickets.ts';
import { pgDumpText, rowsAsText } from '../test/database-dump.ts';
import { testDialects } from '../test/databases.ts';
import { KILL_FILE_STORE, useKillHarness } from '../test/kill-harness.ts';
import { createTestAccount } from '../test/factories.ts';
import { emailPattern, phonePattern } from './redact.ts';

const TICKETS = 3000;
const MESSAGES_PER_TICKET = 2;
const EMAIL = 'petra.killtest@erasure-kill.example';
const PHONE = '+4741592637';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function hits(text: string): string[] {
  return [
    ...(text.match(emailPattern(EMAIL)) ?? []),
    ...(text.match(phonePattern(PHONE, '47')) ?? []),
    ...(text.toLowerCase().includes('killtest') ? ['killtest'] : []),
  ];
}

describe.each(testDialects())('erasure killed midway on %s', (dialect) => {
  const harness = useKillHarness(dialect, 'kunde-erasure-kill-');

  it('finishes after a restart: one Deleted Customers row, nothing of the person left', async () => {
    const { db, dataDir } = harness;
    let kunde: KundeProcess;
    const services = createServices(db, { dataDir, files: { backend: KILL_FILE_STORE } });
    const { accountId, admin } = await createTestAccount(services);
    const { token } = await services.agents.createToken(accountId, admin.userId ?? '', 'kill');
    const customer = await services.customers.create(
      admin,
      { firstName: 'Petra', lastName: 'Killtest', email: EMAIL, phone: PHONE },
      'agent',
    );
    await insertClosedTickets(db.kysely, accountId, customer, TICKETS, MESSAGES_PER_TICKET);
    const ticketsLeft = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('account_id', '=', accountId)
            .where('requester_id', '=', customer.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const logRows = () =>
      db.kysely
        .selectFrom('deleted_customers')
        .selectAll()
        .where('account_id', '=', accountId)
        .execute();

    kunde = await harness.start();
    const response = await fetch(`http://127.0.0.1:${kunde.port}/api/v1/customers/${customer.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(202);
    // Killed once a ticket batch has committed (200 tickets per transaction).
    for (let waited = 0; waited < 15_000 && (await ticketsLeft()) === TICKETS; waited += 5)
      await sleep(5);
    await kunde.kill();

    // Midway: some batches committed, not all; the customer still there, marked, not logged.
    const left = await ticketsLeft();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(TICKETS);
    const marked = await db.kysely
      .selectFrom('customers')
      .select('status')
      .where('account_id', '=', accountId)
      .where('id', '=', customer.id)
      .executeTakeFirst();
    expect(marked?.status).toBe('erasing');
    expect(await logRows()).toEqual([]);

    // The restart takes the job over and finishes it.
    kunde = await harness.start();
    let gone = false;
    for (let waited = 0; waited < 15_000 && !gone; waited += 100) {
      await sleep(100);
      const row = await db.kysely
        .selectFrom('customers')
        .select('id')
        .where('account_id', '=', accountId)
        .where('id', '=', customer.id)
        .executeTakeFirst();
      gone = row === undefined;
    }
    expect(gone).toBe(true);
    // The process is stopped before the scan: nothing is still writing (or checkpointing).
    await kunde.stop();

    const log = await logRows();
    expect(log).toHaveLength(1);
    expect({ ...log[0], customer_number: Number(log[0]?.customer_number) }).toMatchObject({
      customer_number: customer.number,
      email_redacted: 'p***t@e***l.example',
      phone_redacted: '***637',
      reason: 'agent_request',
    });
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'customer-erasure')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    expect(Number(job.attempts)).toBe(2);
    expect(await ticketsLeft()).toBe(0);
    const messages = await db.kysely
      .selectFrom('ticket_messages')
      .select('id')
      .where('account_id', '=', accountId)
      .execute();
    expect(messages).toEqual([]);

    console.log(
      `${dialect}: killed with ${left} of ${TICKETS} tickets left; the restart finished the erasure`,
    );
    // No row anywhere holds them; on SQLite no page of the file or its WAL either.
    const rows = (await rowsAsText(db)).split('\n');
    expect(rows.filter((line) => hits(line).length)).toEqual([]);
    if ('DATABASE_URL' in db.env) expect(hits(await pgDumpText(db.env.DATABASE_URL))).toEqual([]);
    if (dialect === 'sqlite' && 'DATA_DIR' in db.env) {
      const file = path.join(db.env.DATA_DIR, 'kunde.db');
      for (const f of [file, `${file}-wal`])
        if (fs.existsSync(f))
          expect([f, hits(fs.readFileSync(f).toString('latin1'))]).toEqual([f, []]);
    }
  }, 60_000);
});
