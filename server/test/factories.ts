// Factories for service and HTTP tests: an account with an administrator, an agent of a
// given role, and customers with sensible unique defaults.
//
// Every database a test uses also holds a neighbour: a second account with an agent, customers,
// an organization and a ticket, created with the test's first account (createTestAccount,
// createBareAccount, startTestServer). So every test runs with another tenant present, and a
// query that forgets its account shows up as the neighbour's rows in the test's answers. Its
// customers deliberately share emails, a phone number and a domain with what tests use.
import type { CustomerCreate } from '../../common/customer.ts';
import { PERMISSIONS } from '../../common/permissions.ts';
import { accountSettingsSchema, type AccountSettings } from '../../common/settings.ts';
import { insertAccount } from '../accounts/account.repository.ts';
import { newId } from '../db/ids.ts';
import type { Principal } from '../agents/principal.ts';
import type { Services } from '../services.ts';
import { ALL } from '../access/scope.ts';

let sequence = 0;
export function unique(prefix = 'x'): string {
  sequence += 1;
  return `${prefix}${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 7)}`;
}

export interface TestAccount {
  accountId: string;
  admin: Principal;
  adminEmail: string;
  password: string;
}

export interface Neighbour {
  accountId: string;
  adminEmail: string;
  customerIds: string[];
  organizationId: string;
  ruleId: string;
  ticketId: string;
  /** What the neighbour's customers are called, for searches that must not find them. */
  emails: string[];
  phone: string;
}

export const NEIGHBOUR_EMAILS = ['kari.nordmann@example.com', 'ola@example.com'];
export const NEIGHBOUR_PHONE = '+4791234567';

const neighbours = new WeakMap<Services['db']['kysely'], Promise<Neighbour>>();

/** The neighbour account of this database, created the first time it is asked for. */
export function ensureNeighbour(services: Services): Promise<Neighbour> {
  let neighbour = neighbours.get(services.db.kysely);
  if (!neighbour) {
    neighbour = createNeighbour(services);
    neighbours.set(services.db.kysely, neighbour);
  }
  return neighbour;
}

async function createNeighbour(services: Services): Promise<Neighbour> {
  const adminEmail = `${unique('neighbour')}@neighbour.example`;
  const { accountId, userId } = await services.agents.createAccount({
    accountName: 'Neighbour AS',
    name: 'Nina Neighbour',
    email: adminEmail,
    password: 'neighbour horse battery',
  });
  const principal: Principal = {
    accountId,
    type: 'user',
    userId,
    name: 'Nina Neighbour',
    permissions: new Set(PERMISSIONS),
    scope: ALL,
    locale: 'en',
  };
  const organization = await services.organizations.create(principal, {
    name: 'Neighbour Org',
    domains: ['example.com'],
  });
  const rule = await services.routingRules.create(accountId, organization.id, {
    assigneeId: userId,
  });
  const customers = [
    await services.customers.create(
      principal,
      { firstName: 'Kari', lastName: 'Nordmann', email: NEIGHBOUR_EMAILS[0] },
      'agent',
    ),
    await services.customers.create(
      principal,
      { firstName: 'Ola', email: NEIGHBOUR_EMAILS[1], phone: NEIGHBOUR_PHONE },
      'agent',
    ),
  ];
  const ticket = await services.tickets.create(principal, {
    subject: 'Neighbour ticket',
    message: 'Only the neighbour may read this',
    requester: { email: NEIGHBOUR_EMAILS[0] },
  });
  return {
    accountId,
    adminEmail,
    customerIds: customers.map((c) => c.id),
    organizationId: organization.id,
    ruleId: rule.id,
    ticketId: ticket.id,
    emails: NEIGHBOUR_EMAILS,
    phone: NEIGHBOUR_PHONE,
  };
}

export async function createTestAccount(services: Services): Promise<TestAccount> {
  await ensureNeighbour(services);
  const adminEmail = `${unique('admin')}@example.com`;
  const password = 'correct horse battery';
  const { accountId, userId } = await services.agents.createAccount({
    accountName: unique('Account '),
    name: 'Ada Admin',
    email: adminEmail,
    password,
  });
  const { principal } = await services.agents.startSessionFor(accountId, userId);
  return { accountId, admin: principal, adminEmail, password };
}

export function buildCustomer(overrides: Partial<CustomerCreate> = {}): CustomerCreate {
  return {
    firstName: 'Ola',
    lastName: 'Nordmann',
    email: `${unique('ola')}@example.com`,
    ...overrides,
  };
}

/** A bare account (no agents, so no password hashing) and an all-permissions principal for it. */
export async function createBareAccount(
  services: Services,
  settings: Partial<AccountSettings> = {},
): Promise<{ accountId: string; principal: Principal }> {
  await ensureNeighbour(services);
  const accountId = newId();
  await insertAccount(services.db.kysely, {
    id: accountId,
    name: unique('Bare '),
    settings: { ...accountSettingsSchema.parse({}), ...settings, supportAddresses: [] },
    createdAt: new Date().toISOString(),
  });
  // Support addresses also route mail (inbound_addresses): only the settings service writes both.
  if (settings.supportAddresses?.length) {
    await services.settings.update(accountId, { supportAddresses: settings.supportAddresses });
  }
  return {
    accountId,
    principal: {
      accountId,
      type: 'user',
      userId: newId(),
      name: 'Test Agent',
      permissions: new Set(PERMISSIONS),
      scope: ALL,
      locale: 'en',
    },
  };
}
