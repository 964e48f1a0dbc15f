// One customer write model, seen from the trail: a customer created by a CSV import, moved by a
// second import, then by the API, and created by email, reads by organization and type name at
// every step on both databases, through renames and deletions, and never by id.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../common/customer.ts';
import type { Principal } from '../agents/principal.ts';
import { runImport } from '../imports/import.testkit.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe.each(testDialects())('the customer trail on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db, {
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-files-')),
    });
  });
  afterAll(() => db.destroy());

  /** The trail oldest first, as the API gives it, with the organization and type changes. */
  async function trail(principal: Principal, customerId: string) {
    const page = await services.customers.auditTrail(principal, customerId, 50);
    const entries = [...page.items].reverse();
    // No organization or type id anywhere in what a person reads.
    for (const entry of entries) {
      const shown = JSON.stringify(entry.changes);
      expect(shown, `${entry.action} entry`).not.toMatch(UUID);
      expect(entry.changes).not.toHaveProperty('organizationId');
      expect(entry.changes).not.toHaveProperty('typeId');
    }
    return entries.map((e: AuditEntry) => ({
      action: e.action,
      organization: e.changes.organization,
      type: e.changes.type,
    }));
  }

  it('reads by name after an import creates, a second import moves and the API moves', async () => {
    const { principal, accountId } = await createBareAccount(services);
    await services.customerTypes.create(accountId, { name: 'VIP' });
    const partner = await services.customerTypes.create(accountId, { name: 'Partner' });

    const first = await runImport(
      services,
      principal,
      Buffer.from('email,first_name,organization,type\r\nkari@fjord.no,Kari,Fjord AS,VIP\r\n'),
    );
    expect(first).toMatchObject({ created: 1, failed: 0 });
    const [kari] = (await services.customers.list(principal, { status: 'all', limit: 5 })).items;
    const id = kari?.id ?? '';
    expect(kari).toMatchObject({ organizationName: 'Fjord AS' });
    const created = {
      action: 'created',
      organization: { from: null, to: 'Fjord AS' },
      type: { from: null, to: 'VIP' },
    };
    expect(await trail(principal, id)).toEqual([created]);

    const second = await runImport(
      services,
      principal,
      Buffer.from('email,organization,type\r\nkari@fjord.no,Berg AS,Partner\r\n'),
      { mode: 'upsert' },
    );
    expect(second).toMatchObject({ updated: 1, failed: 0 });
    const moved = {
      action: 'updated',
      organization: { from: 'Fjord AS', to: 'Berg AS' },
      type: { from: 'VIP', to: 'Partner' },
    };
    expect(await trail(principal, id)).toEqual([created, moved]);

    const nord = await services.organizations.create(principal, { name: 'Nord AS' });
    await services.customers.update(principal, id, { organizationId: nord.id, typeId: null });
    const afterApi = [
      created,
      moved,
      {
        action: 'updated',
        organization: { from: 'Berg AS', to: 'Nord AS' },
        type: { from: 'Partner', to: null },
      },
    ];
    expect(await trail(principal, id)).toEqual(afterApi);

    // A renamed organization is the same one: the trail reads its name as it is now.
    const [berg] = (await services.organizations.list(principal, { q: 'Berg', limit: 5 })).items;
    await services.organizations.update(principal, berg?.id ?? '', { name: 'Berg og Sønn AS' });
    // A deleted one, or a deleted type, keeps the name it had.
    const [fjord] = (await services.organizations.list(principal, { q: 'Fjord', limit: 5 })).items;
    await services.organizations.remove(principal, fjord?.id ?? '');
    await services.customerTypes.remove(principal, partner.id);
    expect(await trail(principal, id)).toEqual([
      afterApi[0],
      {
        action: 'updated',
        organization: { from: 'Fjord AS', to: 'Berg og Sønn AS' },
        type: { from: 'VIP', to: 'Partner' },
      },
      {
        action: 'updated',
        organization: { from: 'Berg og Sønn AS', to: 'Nord AS' },
        type: { from: 'Partner', to: null },
      },
    ]);
  });

  it('reads by name for a customer email intake created and the organization it matched', async () => {
    const { principal, accountId } = await createBareAccount(services);
    await services.organizations.create(principal, { name: 'Havn AS', domains: ['havn.no'] });
    const raw = Buffer.from(
      'From: Ola Havn <ola@havn.no>\r\nTo: support@kunde-test.no\r\nSubject: Hei\r\n' +
        'Message-ID: <trail-1@havn.no>\r\n\r\nHjelp\r\n',
    );
    const inboundId = await services.emailIntake.store(accountId, raw, {
      from: 'ola@havn.no',
      to: 'support@kunde-test.no',
    });
    const outcome = await services.emailIntake.processStored(accountId, inboundId);
    expect(outcome).toMatchObject({ kind: 'ticket', created: true });
    const customerId = outcome?.kind === 'ticket' ? outcome.customerId : '';
    expect(await trail(principal, customerId)).toEqual([
      { action: 'created', organization: { from: null, to: 'Havn AS' }, type: undefined },
    ]);
    const customer = await services.customers.get(principal, customerId);
    expect(customer).toMatchObject({ firstName: 'Ola', lastName: 'Havn', createdVia: 'email' });
  });

  it('deletes an organization in one transaction: a failure leaves it and its customers', async () => {
    const { principal } = await createBareAccount(services);
    const org = await services.organizations.create(principal, { name: 'Solid AS' });
    const customers = [
      await services.customers.create(principal, { email: 'solid.a@gmail.com' }, 'agent'),
      await services.customers.create(principal, { email: 'solid.b@gmail.com' }, 'agent'),
    ];
    await services.organizations.moveCustomers(
      principal,
      org.id,
      customers.map((c) => c.id),
    );
    // The organization's row refuses to go, after its customers have been moved out.
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_solid before delete on organizations
        when old.name = 'Solid AS' begin select raise(abort, 'refused by test'); end`.execute(
        db.kysely,
      );
    } else {
      await sql`create function refuse_solid() returns trigger language plpgsql as $$
        begin if old.name = 'Solid AS' then raise exception 'refused by test'; end if;
        return old; end $$`.execute(db.kysely);
      await sql`create trigger refuse_solid before delete on organizations
        for each row execute function refuse_solid()`.execute(db.kysely);
    }
    try {
      await expect(services.organizations.remove(principal, org.id)).rejects.toThrow(
        /refused by test/,
      );
    } finally {
      await sql`drop trigger refuse_solid${sql.raw(dialect === 'sqlite' ? '' : ' on organizations')}`.execute(
        db.kysely,
      );
    }
    expect((await services.organizations.get(principal, org.id)).customerCount).toBe(2);
    for (const customer of customers) {
      expect((await services.customers.get(principal, customer.id)).organizationId).toBe(org.id);
      const entries = (await services.customers.auditTrail(principal, customer.id, 10)).items;
      expect(entries.map((e) => e.changes.organization?.to)).toEqual(['Solid AS', undefined]);
    }
    expect(await services.organizations.remove(principal, org.id)).toEqual({ movedCustomers: 2 });
  });
});
