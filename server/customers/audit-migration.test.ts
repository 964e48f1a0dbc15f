// Trails written before the one audit vocabulary: imports recorded "organization" and "type" by
// name (and the value before by id). Migration 20261201T1300 rewrites them to ids with the names
// kept, and the trail reads the same names after, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { rewriteLegacyEntries } from '../db/migrations/20261201T1300_audit_references.ts';
import { acrossAccounts } from '../test/account-scope.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';

describe.each(testDialects())('audit entries of older imports on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it('are rewritten to ids and read by name, a name nothing has any more included', async () => {
    const { principal, accountId } = await createBareAccount(services);
    const fjord = await services.organizations.create(principal, { name: 'Fjord AS' });
    const vip = await services.customerTypes.create(accountId, { name: 'VIP' });
    const customer = await services.customers.create(
      principal,
      { email: 'eldre@gmail.com' },
      'agent',
    );
    const legacy = (changes: object, at: string) => ({
      account_id: accountId,
      id: newId(),
      customer_id: customer.id,
      action: 'updated',
      actor_type: 'user',
      actor_id: null,
      actor_name: 'Test Agent (CSV import)',
      changes: JSON.stringify(changes),
      ref_names: '{}',
      created_at: at,
    });
    await db.kysely
      .insertInto('customer_audit')
      .values([
        legacy(
          { organization: { from: null, to: 'fjord as' }, type: { from: null, to: 'VIP' } },
          '2026-11-02T10:00:00.000Z',
        ),
        legacy(
          { organization: { from: fjord.id, to: 'Borte AS' }, type: { from: vip.id, to: null } },
          '2026-11-03T10:00:00.000Z',
        ),
      ])
      .execute();

    await acrossAccounts(db, 'a migration rewrites every account', () =>
      rewriteLegacyEntries(db.kysely),
    );

    const stored = await db.kysely
      .selectFrom('customer_audit')
      .select(['changes', 'ref_names'])
      .where('account_id', '=', accountId)
      .where('customer_id', '=', customer.id)
      .where('action', '=', 'updated')
      .orderBy('id')
      .execute();
    expect(stored.map((r) => JSON.parse(r.changes) as unknown)).toEqual([
      { organizationId: { from: null, to: fjord.id }, typeId: { from: null, to: vip.id } },
      { organizationId: { from: fjord.id, to: 'Borte AS' }, typeId: { from: vip.id, to: null } },
    ]);
    const trail = await services.customers.auditTrail(principal, customer.id, 10);
    expect(trail.items.map((e) => [e.action, e.changes.organization, e.changes.type])).toEqual([
      ['updated', { from: 'Fjord AS', to: 'Borte AS' }, { from: 'VIP', to: null }],
      ['updated', { from: null, to: 'Fjord AS' }, { from: null, to: 'VIP' }],
      ['created', undefined, undefined],
    ]);

    // Running it again finds nothing left to rewrite.
    await acrossAccounts(db, 'a migration rewrites every account', () =>
      rewriteLegacyEntries(db.kysely),
    );
    const again = await services.customers.auditTrail(principal, customer.id, 10);
    expect(again.items).toEqual(trail.items);
  });
});
