// Issue 16 point 5: an organization named for a customer (an import row's organization cell, the
// API's organizationId) takes the customer's company domain while it has none, so "Fjordtech AS"
// and an automatic "fjordtech.no" are never made of one company. Both databases, a real file.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { runImport } from './import.testkit.ts';

const FILE = path.join(import.meta.dirname, 'fixtures', 'named-organization-domain.csv');

describe.each(testDialects())('a named organization and its email domain on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  async function organizations(
    principal: Awaited<ReturnType<typeof createBareAccount>>['principal'],
  ) {
    const page = await services.organizations.list(principal, { limit: 50 });
    return page.items.map((o) => ({ name: o.name, domains: o.domains }));
  }

  it('an import row naming the organization gives it the domain; later rows of the domain join it', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: true });
    const result = await runImport(services, principal, FILE);
    expect(result).toMatchObject({ created: 4, failed: 0 });
    // One organization, not "Fjordtech AS" plus an automatic "fjordtech.no"; gmail.com never grouped.
    expect(await organizations(principal)).toEqual([
      { name: 'Fjordtech AS', domains: ['fjordtech.no'] },
    ]);
    const customers = (await services.customers.list(principal, { status: 'all', limit: 10 }))
      .items;
    const orgOf = (email: string) => customers.find((c) => c.email === email)?.organizationName;
    expect(orgOf('kari@fjordtech.no')).toBe('Fjordtech AS');
    expect(orgOf('siri@fjordtech.no')).toBe('Fjordtech AS');
    expect(orgOf('per@gmail.com')).toBe('Fjordtech AS');
  });

  it('a dry run says the same and leaves no organization or domain behind', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: true });
    const result = await runImport(services, principal, FILE, { dryRun: true });
    expect(result).toMatchObject({ created: 4, failed: 0 });
    expect(await organizations(principal)).toEqual([]);
  });

  it('leaves an organization that has domains, and a domain another organization owns, alone', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: false });
    const named = await services.organizations.create(principal, {
      name: 'Fjordtech AS',
      domains: ['fjordtech.com'],
    });
    const owner = await services.organizations.create(principal, {
      name: 'Other',
      domains: ['other.no'],
    });
    await services.customers.create(
      principal,
      { email: 'a@fjordtech.no', organizationId: named.id },
      'agent',
    );
    const empty = await services.organizations.create(principal, { name: 'Empty AS' });
    await services.customers.create(
      principal,
      { email: 'b@other.no', organizationId: empty.id },
      'agent',
    );
    expect((await services.organizations.get(principal, named.id)).domains).toEqual([
      'fjordtech.com',
    ]);
    expect((await services.organizations.get(principal, owner.id)).domains).toEqual(['other.no']);
    expect((await services.organizations.get(principal, empty.id)).domains).toEqual([]);
  });

  it('through the API: creating and updating a customer with an organization and an email', async () => {
    const { principal } = await createBareAccount(services, { autoCreateOrganizations: true });
    const fjordtech = await services.organizations.create(principal, { name: 'Fjordtech AS' });
    // Public mail first: no domain taken.
    await services.customers.create(
      principal,
      { email: 'ola@gmail.com', organizationId: fjordtech.id },
      'agent',
    );
    expect((await services.organizations.get(principal, fjordtech.id)).domains).toEqual([]);
    await services.customers.create(
      principal,
      { email: 'kari@fjordtech.no', organizationId: fjordtech.id },
      'agent',
    );
    expect((await services.organizations.get(principal, fjordtech.id)).domains).toEqual([
      'fjordtech.no',
    ]);
    // A later customer of the domain with no organization joins it, not an automatic one.
    const siri = await services.customers.create(
      principal,
      { email: 'siri@fjordtech.no' },
      'agent',
    );
    expect(siri.organizationId).toBe(fjordtech.id);

    // Updating: a customer moved into an organization with no domain gives it theirs.
    const nordlys = await services.organizations.create(principal, { name: 'Nordlys AS' });
    const unplaced = await services.customers.create(
      principal,
      { email: 'per@gmail.com', organizationId: null },
      'agent',
    );
    await services.customers.update(principal, unplaced.id, { organizationId: nordlys.id });
    expect((await services.organizations.get(principal, nordlys.id)).domains).toEqual([]);
    const changed = await services.customers.update(principal, unplaced.id, {
      email: 'per@nordlys.no',
    });
    // Kept in Nordlys AS (the new address does not make an automatic "nordlys.no").
    expect(changed.organizationId).toBe(nordlys.id);
    expect((await services.organizations.get(principal, nordlys.id)).domains).toEqual([
      'nordlys.no',
    ]);
    expect((await organizations(principal)).map((o) => o.name).sort()).toEqual([
      'Fjordtech AS',
      'Nordlys AS',
    ]);
  });
});
