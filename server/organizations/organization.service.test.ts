// Organizations, grouping existing customers by domain, moving customers, custom fields,
// customer types and the detail panel, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';

describe.each(testDialects())('organizations on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it('keeps names unique regardless of case', async () => {
    const { principal } = await createBareAccount(services);
    await services.organizations.create(principal, { name: 'Acme AS' });
    await expect(
      services.organizations.create(principal, { name: 'ACME as' }),
    ).rejects.toMatchObject({ status: 409, code: 'organization_name_taken' });
  });

  it('groups existing customers of a new domain only when asked, and says how many first', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: false });
    const a = await services.customers.create(principal, { email: 'a@firma.no' }, 'agent');
    const b = await services.customers.create(principal, { email: 'b@it.firma.no' }, 'agent');
    await services.customers.create(principal, { email: 'c@other.no' }, 'agent');
    const organization = await services.organizations.create(principal, { name: 'Firma' });
    const added = await services.organizations.addDomain(principal, organization.id, {
      domain: 'Firma.NO',
      groupExisting: false,
    });
    expect(added.domain).toBe('firma.no');
    expect(added.matchingCustomers).toBe(2);
    expect(added.moved).toBe(0);
    expect((await services.customers.get(principal, a.id)).organizationId).toBeNull();

    const grouped = await services.organizations.domainResult(
      principal,
      organization.id,
      'firma.no',
      true,
    );
    expect(grouped.moved).toBe(2);
    expect(grouped.organization.customerCount).toBe(2);
    expect((await services.customers.get(principal, b.id)).organizationName).toBe('Firma');
    const audit = await services.customers.auditTrail(principal, a.id, 10);
    expect(audit.items[0]?.changes).toEqual({
      organization: { from: null, to: organization.name },
    });
  });

  it('moves any number of customers at once, to an organization or to none, and filters by it', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: false });
    const target = await services.organizations.create(principal, { name: 'Target' });
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await services.customers.create(principal, { email: `m${i}@gmail.com` }, 'agent')).id,
      );
    expect((await services.organizations.moveCustomers(principal, target.id, ids)).moved).toBe(5);
    const inTarget = await services.customers.list(principal, {
      status: 'active',
      limit: 25,
      organizationId: target.id,
    });
    expect(inTarget.total).toBe(5);
    expect(
      (await services.organizations.moveCustomers(principal, 'none', ids.slice(0, 2))).moved,
    ).toBe(2);
    expect(
      (
        await services.customers.list(principal, {
          status: 'active',
          limit: 25,
          organizationId: 'none',
        })
      ).total,
    ).toBe(2);
    await expect(
      services.organizations.moveCustomers(principal, target.id, [
        ...ids,
        '01a20fe0-4b98-7366-b276-ebcf97e684f7',
      ]),
    ).rejects.toMatchObject({ status: 422 });
    expect(
      (
        await services.customers.list(principal, {
          status: 'active',
          limit: 25,
          organizationId: target.id,
        })
      ).total,
    ).toBe(3);
  });

  it('deletes an organization without deleting its customers', async () => {
    const { principal } = await createBareAccount(services);
    const customer = await services.customers.create(
      principal,
      { email: 'kari@goner.no' },
      'agent',
    );
    expect(customer.organizationName).toBe('goner.no');
    const result = await services.organizations.remove(principal, customer.organizationId ?? '');
    expect(result.movedCustomers).toBe(1);
    const after = await services.customers.get(principal, customer.id);
    expect(after.organizationId).toBeNull();
    expect(after.status).toBe('active');
    await expect(
      services.organizations.get(principal, customer.organizationId ?? ''),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('validates customer custom fields on every write, naming the field', async () => {
    const { principal, accountId } = await createBareAccount(services);
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'tier',
      label: 'Tier',
      type: 'dropdown',
      options: ['Gold', 'Silver'],
      required: true,
    });
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'since',
      label: 'Customer since',
      type: 'date',
      options: [],
      required: false,
    });
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'seats',
      label: 'Seats',
      type: 'number',
      options: [],
      required: false,
    });
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'ref',
      label: 'Reference',
      type: 'regex',
      pattern: '[A-Z]{2}-\\d{4}',
      options: [],
      required: false,
    });
    await expect(
      services.customers.create(
        principal,
        {
          email: 'x@gmail.com',
          customAttributes: { since: '2024-02-30', seats: 'many', ref: 'ab-1' },
        },
        'agent',
      ),
    ).rejects.toMatchObject({
      status: 422,
      extra: {
        errors: [
          { field: 'customAttributes.since', message: 'not a real date' },
          { field: 'customAttributes.seats', message: 'must be a number' },
          { field: 'customAttributes.ref', message: 'does not match the pattern [A-Z]{2}-\\d{4}' },
          { field: 'customAttributes.tier', message: 'Tier is required' },
        ],
      },
    });
    const ok = await services.customers.create(
      principal,
      {
        email: 'y@gmail.com',
        customAttributes: { tier: 'gold', seats: '12', ref: 'AB-1234', note: 'free-form' },
      },
      'agent',
    );
    expect(ok.customAttributes).toEqual({
      tier: 'Gold',
      seats: 12,
      ref: 'AB-1234',
      note: 'free-form',
    });
    await services.settings.update(accountId, { allowFreeformAttributes: false });
    await expect(
      services.customers.update(principal, ok.id, {
        customAttributes: { tier: 'Silver', other: 'x' },
      }),
    ).rejects.toMatchObject({
      extra: {
        errors: [
          { field: 'customAttributes.other', message: 'not a custom field of this account' },
        ],
      },
    });
    await expect(
      services.customFields.create(accountId, {
        entity: 'customer',
        key: 'tier',
        label: 'Again',
        type: 'text',
        options: [],
        required: false,
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      services.customFields.create(accountId, {
        entity: 'customer',
        key: 'level',
        label: 'Level',
        type: 'dropdown',
        options: [],
        required: false,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('assigns customer types and forgets them when a type is deleted', async () => {
    const { principal, accountId } = await createBareAccount(services);
    const vip = await services.customerTypes.create(accountId, { name: 'VIP' });
    await expect(services.customerTypes.create(accountId, { name: 'vip' })).rejects.toMatchObject({
      status: 409,
    });
    const customer = await services.customers.create(
      principal,
      { email: 'vip@gmail.com', typeId: vip.id },
      'agent',
    );
    expect(customer.typeId).toBe(vip.id);
    expect((await services.customerTypes.list(accountId))[0]?.customerCount).toBe(1);
    await services.customerTypes.remove(principal, vip.id);
    expect((await services.customers.get(principal, customer.id)).typeId).toBeNull();
    // The trail says so, naming the type it no longer has.
    const trail = await services.customers.auditTrail(principal, customer.id, 10);
    expect(trail.items.map((e) => e.changes.type)).toEqual([
      { from: 'VIP', to: null },
      { from: null, to: 'VIP' },
    ]);
    await expect(
      services.customers.create(principal, { email: 'x2@gmail.com', typeId: vip.id }, 'agent'),
    ).rejects.toMatchObject({
      extra: { errors: [{ field: 'typeId', message: 'no such customer type' }] },
    });
  });

  it('keeps the detail panel as the administrator ordered it, with existing fields only', async () => {
    const { accountId } = await createBareAccount(services);
    await services.customFields.create(accountId, {
      entity: 'customer',
      key: 'tier',
      label: 'Tier',
      type: 'text',
      options: [],
      required: false,
    });
    const panel = {
      items: [
        { kind: 'field' as const, key: 'tier' },
        { kind: 'property' as const, key: 'email' as const },
      ],
    };
    expect(await services.settings.setCustomerPanel(accountId, panel)).toEqual(panel);
    expect(await services.settings.customerPanel(accountId)).toEqual(panel);
    await expect(
      services.settings.setCustomerPanel(accountId, { items: [{ kind: 'field', key: 'nope' }] }),
    ).rejects.toMatchObject({
      extra: { errors: [{ field: 'items.0.key', message: 'no customer field with the key nope' }] },
    });
  });
});
