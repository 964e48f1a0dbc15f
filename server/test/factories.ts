// Factories for service and HTTP tests: an account with an administrator, an agent of a
// given role, and customers with sensible unique defaults.
import type { CustomerCreate } from '../../common/customer.ts';
import { PERMISSIONS } from '../../common/permissions.ts';
import { accountSettingsSchema, type AccountSettings } from '../../common/settings.ts';
import { insertAccount } from '../accounts/account.repository.ts';
import { newId } from '../db/ids.ts';
import type { Principal } from '../agents/principal.ts';
import type { Services } from '../services.ts';

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

export async function createTestAccount(services: Services): Promise<TestAccount> {
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
  const accountId = newId();
  await insertAccount(services.db.kysely, {
    id: accountId,
    name: unique('Bare '),
    settings: { ...accountSettingsSchema.parse({}), ...settings },
    createdAt: new Date().toISOString(),
  });
  return {
    accountId,
    principal: {
      accountId,
      type: 'user',
      userId: newId(),
      name: 'Test Agent',
      permissions: new Set(PERMISSIONS),
      locale: 'en',
    },
  };
}
