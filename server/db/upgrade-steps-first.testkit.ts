// The upgrade test's rows for the first three releases: the foundation (two accounts, an
// administrator with a password and an API token, customers with identities and a trail, a
// neighbour's customer with the same email), organizations (a domain, a type, a custom field, a
// move recorded by id as the API did), and imports (an import with its error row, an imported
// customer, trail entries naming organization and type as imports wrote them, a finished job).
import { createHash } from 'node:crypto';
import { PERMISSIONS } from '../../common/permissions.ts';
import { hashPassword } from '../agents/password.ts';
import { newId } from './ids.ts';
import { PASSWORD, TOKEN_SECRET, at, audit, customer, json, type Step } from './upgrade.testkit.ts';

export const FIRST_STEPS: Record<string, Step> = {
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
};
