// The organization a new customer lands in, by email domain: a table of cases run on both
// databases through the real create path (API service), each in an account of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSettings } from '../../common/settings.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';

interface DomainCase {
  /** Organizations that exist before, by name, with their domains. */
  organizations?: Record<string, string[]>;
  settings?: Partial<AccountSettings>;
  /** Customers created before the one under test (their emails). */
  before?: string[];
  email: string;
  /** Name of the organization the customer must land in, or null for "No organization". */
  expected: string | null;
}

const CASES: [string, DomainCase][] = [
  ['exact domain', { organizations: { Abc: ['abc.com'] }, email: 'kari@abc.com', expected: 'Abc' }],
  [
    'exact domain, upper-case address',
    { organizations: { Abc: ['abc.com'] }, email: 'KARI@ABC.COM', expected: 'Abc' },
  ],
  [
    'domain configured in upper case',
    { organizations: { Abc: ['ABC.COM'] }, email: 'kari@abc.com', expected: 'Abc' },
  ],
  [
    'subdomain matches the parent',
    { organizations: { Abc: ['abc.com'] }, email: 'ola@mail.abc.com', expected: 'Abc' },
  ],
  [
    'deep subdomain matches the parent',
    { organizations: { Abc: ['abc.com'] }, email: 'ola@a.b.c.abc.com', expected: 'Abc' },
  ],
  [
    'the longest configured parent wins',
    {
      organizations: { Abc: ['abc.com'], 'Abc Sales': ['sales.abc.com'] },
      email: 'per@eu.sales.abc.com',
      expected: 'Abc Sales',
    },
  ],
  [
    'exact beats parent',
    {
      organizations: { Abc: ['abc.com'], 'Abc Sales': ['sales.abc.com'] },
      email: 'per@sales.abc.com',
      expected: 'Abc Sales',
    },
  ],
  [
    'a sibling is not a parent',
    {
      organizations: { 'Abc Sales': ['sales.abc.com'] },
      email: 'per@support.abc.com',
      expected: 'support.abc.com',
    },
  ],
  [
    'a look-alike suffix is not a parent',
    { organizations: { Abc: ['abc.com'] }, email: 'per@xabc.com', expected: 'xabc.com' },
  ],
  [
    'one of several domains',
    {
      organizations: { Abc: ['abc.com', 'abc.no', 'abc-group.de'] },
      email: 'per@abc.no',
      expected: 'Abc',
    },
  ],
  [
    'IDN address matches an IDN domain',
    { organizations: { Bøker: ['bøker.no'] }, email: 'post@BØKER.no', expected: 'Bøker' },
  ],
  [
    'punycode address matches an IDN domain',
    { organizations: { Bøker: ['bøker.no'] }, email: 'post@xn--bker-gra.no', expected: 'Bøker' },
  ],
  [
    'unknown company domain creates an organization',
    { email: 'kari@newco.io', expected: 'newco.io' },
  ],
  [
    'auto-created organization is reused',
    { before: ['first@newco.io'], email: 'second@NEWCO.io', expected: 'newco.io' },
  ],
  [
    'a subdomain of an auto-created one joins it',
    { before: ['first@newco.io'], email: 'x@eu.newco.io', expected: 'newco.io' },
  ],
  ['gmail.com never creates', { email: 'ola@gmail.com', expected: null }],
  ['outlook.com never creates', { email: 'ola@outlook.com', expected: null }],
  ['yahoo.co.in never creates', { email: 'ola@yahoo.co.in', expected: null }],
  ['hotmail.no never creates', { email: 'ola@hotmail.no', expected: null }],
  ['online.no never creates', { email: 'ola@online.no', expected: null }],
  ['icloud.com never creates', { email: 'ola@icloud.com', expected: null }],
  ['GMAIL.COM in capitals never creates', { email: 'Ola@GMAIL.COM', expected: null }],
  [
    'an organization named like a public domain does not attract it',
    { organizations: { 'gmail.com': [] }, email: 'ola@gmail.com', expected: null },
  ],
  [
    'an account-ignored domain never creates',
    {
      settings: { ignoredDomains: ['partner-mail.com'] },
      email: 'ola@partner-mail.com',
      expected: null,
    },
  ],
  [
    'a subdomain of an ignored domain never creates',
    {
      settings: { ignoredDomains: ['partner-mail.com'] },
      email: 'ola@eu.partner-mail.com',
      expected: null,
    },
  ],
  [
    'setting off: unknown domain lands in No organization',
    { settings: { autoCreateOrganizations: false }, email: 'kari@newco.io', expected: null },
  ],
  [
    'setting off: a known domain still matches',
    {
      settings: { autoCreateOrganizations: false },
      organizations: { Abc: ['abc.com'] },
      email: 'kari@abc.com',
      expected: 'Abc',
    },
  ],
  [
    'setting off: a subdomain still matches the parent',
    {
      settings: { autoCreateOrganizations: false },
      organizations: { Abc: ['abc.com'] },
      email: 'kari@it.abc.com',
      expected: 'Abc',
    },
  ],
  [
    'an organization named like the domain gets the domain',
    { organizations: { 'newco.io': [] }, email: 'kari@newco.io', expected: 'newco.io' },
  ],
  [
    'a phone-only customer has no organization',
    { organizations: { Abc: ['abc.com'] }, email: '', expected: null },
  ],
  [
    'a country-code domain',
    { organizations: { Equinor: ['equinor.no'] }, email: 'ola@equinor.no', expected: 'Equinor' },
  ],
  [
    'a two-level public suffix company domain',
    { email: 'ola@company.co.uk', expected: 'company.co.uk' },
  ],
];

describe.each(testDialects())('organization by email domain on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it.each(CASES)('%s', async (_name, c) => {
    const { principal } = await createBareAccount(services, c.settings);
    for (const [name, domains] of Object.entries(c.organizations ?? {})) {
      await services.organizations.create(principal, { name, domains });
    }
    for (const email of c.before ?? [])
      await services.customers.create(principal, { email }, 'agent');
    const customer = await services.customers.create(
      principal,
      c.email ? { email: c.email } : { phone: '+47 912 34 567' },
      'agent',
    );
    expect(customer.organizationName).toBe(c.expected);
    if (c.expected === null) expect(customer.organizationId).toBeNull();
  });

  it('moves a domain from one organization to another: new customers follow the domain', async () => {
    const { principal } = await createBareAccount(services);
    const first = await services.organizations.create(principal, {
      name: 'Old Owner',
      domains: ['moving.com'],
    });
    const second = await services.organizations.create(principal, { name: 'New Owner' });
    const before = await services.customers.create(principal, { email: 'a@moving.com' }, 'agent');
    expect(before.organizationId).toBe(first.id);
    await expect(
      services.organizations.addDomain(principal, second.id, {
        domain: 'moving.com',
        groupExisting: false,
      }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'domain_taken',
    });
    await services.organizations.removeDomain(principal, first.id, 'moving.com');
    const result = await services.organizations.addDomain(principal, second.id, {
      domain: 'moving.com',
      groupExisting: false,
    });
    expect(result.matchingCustomers).toBe(1);
    const after = await services.customers.create(principal, { email: 'b@moving.com' }, 'agent');
    expect(after.organizationId).toBe(second.id);
    expect((await services.customers.get(principal, before.id)).organizationId).toBe(first.id);
  });

  it('refuses a public mail domain on an organization', async () => {
    const { principal } = await createBareAccount(services);
    await expect(
      services.organizations.create(principal, { name: 'Google', domains: ['gmail.com'] }),
    ).rejects.toMatchObject({
      status: 422,
      extra: {
        errors: [{ field: 'domains.0', message: expect.stringMatching(/public mail/) as string }],
      },
    });
  });

  it('creates one organization when customers of a new domain arrive at the same time', async () => {
    const { principal } = await createBareAccount(services);
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        services.customers.create(principal, { email: `p${i}@racing.io` }, 'api'),
      ),
    );
    expect(new Set(customers.map((c) => c.organizationId)).size).toBe(1);
    const organizations = await services.organizations.list(principal, { limit: 25 });
    expect(
      organizations.items.map((o) => [o.name, o.domains, o.customerCount, o.autoCreated]),
    ).toEqual([['racing.io', ['racing.io'], 8, true]]);
  });
});
