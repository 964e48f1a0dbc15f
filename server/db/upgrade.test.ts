// Upgrading a database that earlier releases wrote (issue 18, item 4). One data set grows step by
// step: after each migration the rows a release at that schema would hold are written, in that
// schema's columns (accounts, agents, customers with identities and audit entries in the
// vocabulary of the time, organizations, imports, tickets, inbound mail, …); so the rows of every
// earlier release go through every later migration. Then the database is migrated to the latest
// and read through today's services, as an agent would: signing in with the old password, the
// customers, their trail, their tickets, the imports, the inbound mail, and writing again.
// A migration without a step here fails the test: add the rows a release at it would hold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { hashPassword } from '../agents/password.ts';
import type { Principal } from '../agents/principal.ts';
import { createServices, type Services } from '../services.ts';
import { enforceAccountScope } from '../test/account-scope.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { newId } from './ids.ts';
import { MIGRATION_NAMES, migrateTo, migrateToLatest, pendingMigrations } from './migrate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as each earlier schema had them
type Old = Kysely<any>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PASSWORD = 'an old release password';
const TOKEN_SECRET = 'old-release-token-secret-0123456789abcdef';

/** Ids and values the steps share, fixed per run. */
function fixture() {
  return {
    account: newId(),
    neighbour: newId(),
    role: newId(),
    admin: newId(),
    token: newId(),
    kari: newId(),
    per: newId(),
    importedEarly: newId(),
    ase: newId(),
    importedLate: newId(),
    late: newId(),
    neighbourKari: newId(),
    firma: newId(),
    vip: newId(),
    customImport: newId(),
    team: newId(),
    ticket: newId(),
    customerMessage: newId(),
    agentMessage: newId(),
    attachment: newId(),
    processedMail: newId(),
    failedMail: newId(),
    export: newId(),
  };
}
type Fixture = ReturnType<typeof fixture>;

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour, 0, 0)).toISOString();
const json = (value: unknown) => JSON.stringify(value);

async function customer(
  k: Old,
  row: {
    account: string;
    id: string;
    number: number;
    first: string | null;
    last: string | null;
    email: string | null;
    phone?: string | null;
    via?: string;
    day: number;
    extra?: Record<string, unknown>;
  },
) {
  const search = [row.first, row.last, row.email, row.phone, row.phone?.replace(/^\+/, '')]
    .filter(Boolean)
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  await k
    .insertInto('customers')
    .values({
      account_id: row.account,
      id: row.id,
      number: row.number,
      first_name: row.first,
      last_name: row.last,
      email: row.email,
      phone: row.phone ?? null,
      custom_attributes: json({}),
      status: 'active',
      created_via: row.via ?? 'agent',
      search_text: search,
      last_activity_at: null,
      created_at: at(row.day),
      updated_at: at(row.day),
      version: 1,
      ...row.extra,
    })
    .execute();
  const identities = [
    ...(row.email ? [{ kind: 'email', value: row.email }] : []),
    ...(row.phone ? [{ kind: 'phone', value: row.phone }] : []),
  ];
  for (const identity of identities)
    await k
      .insertInto('customer_identities')
      .values({
        account_id: row.account,
        ...identity,
        customer_id: row.id,
        created_at: at(row.day),
      })
      .execute();
  await k
    .insertInto('counters')
    .values({ account_id: row.account, name: 'customer', value: row.number })
    .onConflict((oc) => oc.columns(['account_id', 'name']).doUpdateSet({ value: row.number }))
    .execute();
}

async function audit(
  k: Old,
  f: Fixture,
  customerId: string,
  action: string,
  changes: Record<string, { from: unknown; to: unknown }>,
  day: number,
  extra: Record<string, unknown> = {},
) {
  await k
    .insertInto('customer_audit')
    .values({
      account_id: f.account,
      id: newId(),
      customer_id: customerId,
      action,
      actor_type: 'user',
      actor_id: f.admin,
      actor_name: 'Gunn Gammel',
      changes: json(changes),
      created_at: at(day, 10),
      ...extra,
    })
    .execute();
}

/** What a release at each migration would have written, in that release's columns. */
const STEPS: Record<string, (k: Old, f: Fixture) => Promise<void>> = {
  '20261124T1200_foundation': async (k, f) => {
    // Every permission but the ticket ones, which the tickets migration grants built-in roles.
    const adminPermissions = PERMISSIONS.filter((p) => !p.startsWith('tickets.'));
    for (const [account, name] of [
      [f.account, 'Gammel Drift AS'],
      [f.neighbour, 'Naboen AS'],
    ] as const)
      await k
        .insertInto('accounts')
        .values({
          account_id: account,
          name,
          settings: json({ phoneDefaultCountry: 'NO', defaultLocale: 'nb' }),
          created_at: at(24),
        })
        .execute();
    await k
      .insertInto('roles')
      .values({
        account_id: f.account,
        id: f.role,
        name: 'Administrator',
        permissions: json(adminPermissions),
        built_in: 'administrator',
        created_at: at(24),
      })
      .execute();
    await k
      .insertInto('users')
      .values({
        account_id: f.account,
        id: f.admin,
        email: 'gunn@gammel.no',
        name: 'Gunn Gammel',
        password_hash: await hashPassword(PASSWORD),
        role_id: f.role,
        locale: 'nb',
        status: 'active',
        created_at: at(24),
        updated_at: at(24),
      })
      .execute();
    await k
      .insertInto('login_directory')
      .values({ email: 'gunn@gammel.no', account_id: f.account, user_id: f.admin })
      .execute();
    await k
      .insertInto('api_tokens')
      .values({
        account_id: f.account,
        id: f.token,
        user_id: f.admin,
        name: 'Integrasjon',
        token_hash: createHash('sha256').update(TOKEN_SECRET).digest('hex'),
        created_at: at(24),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await customer(k, {
      account: f.account,
      id: f.kari,
      number: 1,
      first: 'Kari',
      last: 'Gammel',
      email: 'kari@gammel.no',
      phone: '+4790000001',
      day: 24,
    });
    await audit(
      k,
      f,
      f.kari,
      'created',
      {
        firstName: { from: null, to: 'Kari' },
        lastName: { from: null, to: 'Gammel' },
        email: { from: null, to: 'kari@gammel.no' },
      },
      24,
    );
    await customer(k, {
      account: f.account,
      id: f.per,
      number: 2,
      first: 'Per',
      last: 'Firma',
      email: 'per@firma.no',
      day: 24,
    });
    // The neighbour has a customer with the same email: upgrading must keep them apart.
    await customer(k, {
      account: f.neighbour,
      id: f.neighbourKari,
      number: 1,
      first: 'Kari',
      last: 'Nabo',
      email: 'kari@gammel.no',
      day: 24,
    });
  },
  '20261125T0000_organizations': async (k, f) => {
    await k
      .insertInto('organizations')
      .values({
        account_id: f.account,
        id: f.firma,
        name: 'Firma AS',
        name_key: 'firma as',
        notes: 'Kunde siden 2019',
        custom_fields: json({}),
        auto_created: 0,
        created_at: at(25),
        updated_at: at(25),
      })
      .execute();
    await k
      .insertInto('organization_domains')
      .values({
        account_id: f.account,
        domain: 'firma.no',
        organization_id: f.firma,
        created_at: at(25),
      })
      .execute();
    await k
      .insertInto('customer_types')
      .values({
        account_id: f.account,
        id: f.vip,
        name: 'VIP',
        name_key: 'vip',
        position: 0,
        created_at: at(25),
      })
      .execute();
    await k
      .insertInto('custom_fields')
      .values({
        account_id: f.account,
        id: newId(),
        entity: 'customer',
        key: 'medlemsnummer',
        label: 'Membership number',
        label_nb: 'Medlemsnummer',
        type: 'text',
        required: 0,
        options: json([]),
        pattern: null,
        position: 0,
        created_at: at(25),
      })
      .execute();
    // The API of the time recorded organization moves by id.
    await k
      .updateTable('customers')
      .set({ organization_id: f.firma, custom_attributes: json({ medlemsnummer: 'M-17' }) })
      .where('account_id', '=', f.account)
      .where('id', '=', f.per)
      .execute();
    await audit(k, f, f.per, 'updated', { organizationId: { from: null, to: f.firma } }, 25);
  },
  '20261125T0100_jobs_and_imports': async (k, f) => {
    await k
      .insertInto('customer_imports')
      .values({
        account_id: f.account,
        id: f.customImport,
        status: 'done',
        filename: 'kunder-november.csv',
        file_key: `imports/${f.customImport}.csv`,
        file_sha256: 'ab'.repeat(32),
        size_bytes: 120,
        idempotency_key: null,
        encoding: 'utf-8',
        delimiter: ';',
        header: json(['email', 'fornavn', 'organisasjon', 'type']),
        mapping: json(['email', 'firstName', 'organization', 'type']),
        mode: 'upsert',
        dry_run: 0,
        overwrite_empty: 0,
        total_rows: 3,
        processed_rows: 3,
        created_count: 1,
        updated_count: 1,
        unchanged_count: 0,
        failed_count: 1,
        error: null,
        created_by: f.admin,
        created_by_name: 'Gunn Gammel',
        created_at: at(25, 12),
        started_at: at(25, 12),
        finished_at: at(25, 13),
      })
      .execute();
    await k
      .insertInto('customer_import_errors')
      .values({
        account_id: f.account,
        import_id: f.customImport,
        row_number: 4,
        seq: 0,
        column_name: 'email',
        value: 'ikke-en-epost',
        reason: 'not an email address',
      })
      .execute();
    await customer(k, {
      account: f.account,
      id: f.importedEarly,
      number: 3,
      first: 'Ola',
      last: 'Import',
      email: 'ola@import.no',
      via: 'import',
      day: 25,
      extra: { import_id: f.customImport, import_row: 2 },
    });
    // Imports of the time recorded organization and type by name: one that exists, and one no
    // organization has any more.
    await audit(
      k,
      f,
      f.per,
      'updated',
      {
        organization: { from: f.firma, to: 'Borte AS' },
        type: { from: null, to: 'VIP' },
      },
      25,
    );
    await audit(k, f, f.per, 'updated', { organization: { from: null, to: 'Firma AS' } }, 25);
    await k
      .insertInto('jobs')
      .values({
        account_id: f.account,
        id: newId(),
        kind: 'customer-import',
        payload: json({ importId: f.customImport }),
        status: 'done',
        attempts: 1,
        max_attempts: 5,
        run_at: at(25, 12),
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: at(25, 12),
        updated_at: at(25, 13),
      })
      .execute();
  },
  '20261125T0200_tickets': async (k, f) => {
    await k
      .insertInto('teams')
      .values({
        account_id: f.account,
        id: f.team,
        name: 'Kundeservice',
        name_key: 'kundeservice',
        created_at: at(26),
      })
      .execute();
    await k
      .insertInto('team_members')
      .values({ account_id: f.account, team_id: f.team, user_id: f.admin })
      .execute();
    await k
      .insertInto('routing_rules')
      .values({
        account_id: f.account,
        id: newId(),
        organization_id: f.firma,
        assignee_id: null,
        team_id: f.team,
        position: 0,
        created_at: at(26),
      })
      .execute();
    await k
      .insertInto('tickets')
      .values({
        account_id: f.account,
        id: f.ticket,
        number: 1,
        subject: 'Spørsmål om fakturaen',
        status: 'open',
        channel: 'email',
        requester_id: f.kari,
        organization_id: null,
        assignee_id: f.admin,
        team_id: null,
        message_count: 2,
        last_message_at: at(26, 11),
        created_at: at(26, 10),
        updated_at: at(26, 11),
      })
      .execute();
    await k
      .insertInto('counters')
      .values({ account_id: f.account, name: 'ticket', value: 1 })
      .execute();
    const message = (id: string, extra: Record<string, unknown>) =>
      k
        .insertInto('ticket_messages')
        .values({
          account_id: f.account,
          id,
          ticket_id: f.ticket,
          customer_id: null,
          user_id: null,
          channel: 'email',
          body_html: null,
          email_message_id: null,
          ...extra,
        })
        .execute();
    await message(f.customerMessage, {
      author_type: 'customer',
      customer_id: f.kari,
      author_name: 'Kari Gammel',
      body_text: 'Hei! Fakturaen for november er feil.',
      email_message_id: '<faktura-1@gammel.no>',
      created_at: at(26, 10),
    });
    await message(f.agentMessage, {
      author_type: 'agent',
      user_id: f.admin,
      author_name: 'Gunn Gammel',
      body_text: 'Takk, vi ser på det.',
      email_message_id: '<svar-1@kunde.example>',
      created_at: at(26, 11),
    });
    await k
      .insertInto('ticket_attachments')
      .values({
        account_id: f.account,
        id: f.attachment,
        ticket_id: f.ticket,
        message_id: f.customerMessage,
        filename: 'faktura.pdf',
        content_type: 'application/pdf',
        size_bytes: 2048,
        file_key: `attachments/${f.attachment}`,
        created_at: at(26, 10),
      })
      .execute();
    await k
      .insertInto('outbox')
      .values({
        account_id: f.account,
        id: newId(),
        ticket_id: f.ticket,
        to_address: 'kari@gammel.no',
        from_address: 'support@gammel-drift.no',
        subject: 'Re: Spørsmål om fakturaen [#1]',
        body_text: 'Takk, vi ser på det.',
        message_id: '<svar-1@kunde.example>',
        in_reply_to: '<faktura-1@gammel.no>',
        references: '<faktura-1@gammel.no>',
        status: 'sent',
        attempts: 1,
        last_error: null,
        created_at: at(26, 11),
        sent_at: at(26, 11),
      })
      .execute();
    await k
      .insertInto('inbound_emails')
      .values({
        account_id: f.account,
        id: f.processedMail,
        file_key: `raw/${f.processedMail}.eml`,
        mail_from: 'kari@gammel.no',
        rcpt_to: 'support@gammel-drift.no',
        status: 'processed',
        outcome: 'ticket_created',
        ticket_id: f.ticket,
        received_at: at(26, 10),
      })
      .execute();
    await k
      .insertInto('inbound_addresses')
      .values({ address: 'support@gammel-drift.no', account_id: f.account })
      .execute();
  },
  '20261125T0300_fts_merge': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.ase,
      number: 4,
      first: 'Åse',
      last: 'Øvrebø',
      email: 'ase@fjellet.no',
      phone: '+4790000004',
      day: 26,
    });
  },
  '20261125T0400_created_by_import': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.importedLate,
      number: 5,
      first: 'Ingrid',
      last: 'Import',
      email: 'ingrid@import.no',
      via: 'import',
      day: 27,
      extra: {
        import_id: f.customImport,
        import_row: 3,
        created_import_id: f.customImport,
        created_import_row: 3,
      },
    });
  },
  '20261201T1200_inbound_states': async (k, f) => {
    await k
      .insertInto('inbound_emails')
      .values({
        account_id: f.account,
        id: f.failedMail,
        file_key: `raw/${f.failedMail}.eml`,
        mail_from: 'noen@et-sted.no',
        rcpt_to: 'support@gammel-drift.no',
        status: 'failed',
        outcome: null,
        ticket_id: null,
        received_at: at(30, 8),
        source: 'webhook',
        attempts: 3,
        last_error: 'The message could not be read',
        header_from: 'Noen <noen@et-sted.no>',
        subject: 'Hjelp',
        updated_at: at(30, 9),
        retry_at: null,
      })
      .execute();
  },
  '20261201T1300_audit_references': async (k, f) => {
    await audit(k, f, f.importedLate, 'updated', { typeId: { from: null, to: f.vip } }, 30, {
      ref_names: json({ [f.vip]: 'VIP' }),
    });
  },
  '20261201T1400_customer_exports': async (k, f) => {
    await k
      .insertInto('customer_exports')
      .values({
        account_id: f.account,
        id: f.export,
        customer_id: f.kari,
        requested_by: f.admin,
        requested_by_name: 'Gunn Gammel',
        locale: 'nb',
        state: 'expired',
        file_key: null,
        size: 4096,
        error: null,
        created_at: at(30, 10),
        ready_at: at(30, 10),
        expires_at: at(30, 11),
      })
      .execute();
  },
  '20261201T1500_erasure': async (k, f) => {
    await k
      .insertInto('deleted_customers')
      .values({
        account_id: f.account,
        id: newId(),
        customer_number: 99,
        email_redacted: 'b***e@g***l.no',
        phone_redacted: '***123',
        reason: 'agent_request',
        deleted_by_type: 'user',
        deleted_by_id: f.admin,
        deleted_by_name: 'Gunn Gammel',
        requested_at: at(30, 12),
        deleted_at: at(30, 12),
      })
      .execute();
  },
  '20261202T0900_fts_secure_delete_scoped': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.late,
      number: 6,
      first: 'Siri',
      last: 'Sist',
      email: 'siri@sist.no',
      day: 30,
    });
  },
};

describe('the upgrade test', () => {
  it('has a step for every migration', () => {
    const missing = MIGRATION_NAMES.filter((name) => !(name in STEPS));
    expect(
      missing,
      'server/db/upgrade.test.ts STEPS has no rows for these migrations: add what a release at each would hold (in its columns), or an empty step saying why none',
    ).toEqual([]);
  });
});

describe.each(testDialects())('upgrading from every earlier release on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  let admin: Principal;
  const f = fixture();

  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
    for (const name of MIGRATION_NAMES) {
      await migrateTo(db, name);
      await STEPS[name]?.(db.kysely, f);
    }
    expect(await pendingMigrations(db)).toEqual([]);
    // Rows written at each release went through every later migration; now read them as today.
    await enforceAccountScope(db);
    services = createServices(db, {
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-upgrade-')),
    });
    admin = (await services.agents.login('gunn@gammel.no', PASSWORD, '127.0.0.1')).principal;
  }, 120_000);
  afterAll(() => db?.destroy());

  it('lets the old administrator sign in, with the ticket permissions the upgrade granted', async () => {
    expect(admin.accountId).toBe(f.account);
    expect(admin.name).toBe('Gunn Gammel');
    expect([...admin.permissions]).toEqual(
      expect.arrayContaining(['customers.view', 'agents.manage', 'tickets.view', 'tickets.manage']),
    );
    const byToken = await services.agents.principalFromToken(`kunde.${f.account}.${TOKEN_SECRET}`);
    expect(byToken?.userId).toBe(f.admin);
  });

  it('shows every customer as it was, in its organization, found by search', async () => {
    const kari = await services.customers.get(admin, f.kari);
    expect(kari).toMatchObject({
      number: 1,
      firstName: 'Kari',
      lastName: 'Gammel',
      email: 'kari@gammel.no',
      phone: '+4790000001',
      status: 'active',
      version: 1,
    });
    const per = await services.customers.get(admin, f.per);
    expect(per).toMatchObject({
      organizationId: f.firma,
      organizationName: 'Firma AS',
      customAttributes: { medlemsnummer: 'M-17' },
    });
    const all = await services.customers.list(admin, { limit: 50, status: 'active' });
    expect(all.items.map((c) => c.number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.total).toBe(6);
    // Written before the search index's later settings, and found by them.
    const found = await services.customers.list(admin, {
      limit: 50,
      status: 'active',
      q: 'Øvrebø',
    });
    expect(found.items.map((c) => c.id)).toEqual([f.ase]);
    const kariFound = await services.customers.list(admin, {
      limit: 50,
      status: 'active',
      q: 'kari',
    });
    expect(kariFound.items.map((c) => c.id)).toEqual([f.kari]);
  });

  it('reads every trail by name, old import entries included, with no id showing', async () => {
    const trail = [...(await services.customers.auditTrail(admin, f.per, 50)).items].reverse();
    for (const entry of trail) expect(JSON.stringify(entry.changes)).not.toMatch(UUID);
    expect(trail.map((e) => [e.action, e.changes.organization, e.changes.type])).toEqual([
      ['updated', { from: null, to: 'Firma AS' }, undefined],
      ['updated', { from: 'Firma AS', to: 'Borte AS' }, { from: null, to: 'VIP' }],
      ['updated', { from: null, to: 'Firma AS' }, undefined],
    ]);
    const kari = (await services.customers.auditTrail(admin, f.kari, 50)).items;
    expect(kari.map((e) => e.action)).toContain('created');
    // Created by an import once imports remembered it: the trail names the file and row.
    const ingrid = [
      ...(await services.customers.auditTrail(admin, f.importedLate, 50)).items,
    ].reverse();
    expect(ingrid[0]).toMatchObject({
      action: 'created',
      import: { id: f.customImport, filename: 'kunder-november.csv', row: 3 },
    });
    expect(ingrid[1]?.changes.type).toEqual({ from: null, to: 'VIP' });
  });

  it("shows a customer's tickets with their messages and attachment", async () => {
    const page = await services.tickets.listForCustomer(admin, f.kari, 20);
    expect(page.items.map((t) => [t.number, t.subject, t.status])).toEqual([
      [1, 'Spørsmål om fakturaen', 'open'],
    ]);
    const ticket = await services.tickets.get(admin, f.ticket);
    expect(ticket.messages.map((m) => [m.authorType, m.text])).toEqual([
      ['customer', 'Hei! Fakturaen for november er feil.'],
      ['agent', 'Takk, vi ser på det.'],
    ]);
    expect(ticket.messages[0]?.attachments.map((a) => a.filename)).toEqual(['faktura.pdf']);
  });

  it('keeps the import report, the inbound mail states, the archives and the erasure log', async () => {
    const report = await services.imports.get(admin, f.customImport);
    expect(report).toMatchObject({
      status: 'done',
      filename: 'kunder-november.csv',
      totalRows: 3,
      created: 1,
      updated: 1,
      failed: 1,
    });
    const inbound = await services.inboundEmails.list(f.account, { limit: 50 });
    const byId = new Map(inbound.items.map((m) => [m.id, m]));
    expect(byId.get(f.processedMail)).toMatchObject({ state: 'processed', source: 'smtp' });
    expect(byId.get(f.failedMail)).toMatchObject({
      state: 'failed',
      source: 'webhook',
      attempts: 3,
      subject: 'Hjelp',
    });
    const exports = await services.exports.list(admin, f.kari);
    expect(exports.map((e) => [e.id, e.state])).toEqual([[f.export, 'expired']]);
    const deleted = await services.erasure.deletedCustomers(admin, 20);
    expect(deleted.items.map((d) => d.customerNumber)).toEqual([99]);
  });

  it('writes again after the upgrade: numbers go on, versions count, the neighbour stays apart', async () => {
    const created = await services.customers.create(
      admin,
      { firstName: 'Ny', lastName: 'Kunde', email: 'ny@kunde.no' },
      'agent',
    );
    expect(created.number).toBe(7);
    const changed = await services.customers.update(admin, f.kari, {
      lastName: 'Gammel-Ny',
      version: 1,
    });
    expect(changed).toMatchObject({ lastName: 'Gammel-Ny', version: 2 });
    const ticket = await services.tickets.create(admin, {
      subject: 'Etter oppgraderingen',
      message: 'Virker det fortsatt?',
      requester: { email: 'kari@gammel.no' },
    });
    expect(ticket.number).toBe(2);
    // The sender's email is Kari's in this account, not the neighbour's same address.
    expect(ticket.requesterId).toBe(f.kari);
  });
});

describe.each(testDialects())('a migration that fails halfway on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
  });
  afterAll(() => db?.destroy());

  async function hasTable(name: string): Promise<boolean> {
    const found =
      dialect === 'sqlite'
        ? await sql`select 1 from sqlite_master where type = 'table' and name = ${name}`.execute(
            db.kysely,
          )
        : await sql`select 1 from information_schema.tables where table_name = ${name}`.execute(
            db.kysely,
          );
    return found.rows.length > 0;
  }

  it('leaves the database as it was, and the next run finishes it', async () => {
    await migrateTo(db, '20261201T1400_customer_exports');
    // The erasure migration creates deleted_customers, then this index: it will fail second.
    await sql`create index customers_activity_idx on customers (account_id)`.execute(db.kysely);
    await expect(migrateToLatest(db)).rejects.toThrow(
      /Migration 20261201T1500_erasure failed: .*customers_activity_idx/,
    );
    expect(await hasTable('deleted_customers')).toBe(false);
    expect(await pendingMigrations(db)).toEqual(
      MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('20261201T1500_erasure')),
    );
    await sql`drop index customers_activity_idx`.execute(db.kysely);
    expect(await migrateToLatest(db)).toContain('20261201T1500_erasure');
    expect(await hasTable('deleted_customers')).toBe(true);
    expect(await pendingMigrations(db)).toEqual([]);
  });
});
