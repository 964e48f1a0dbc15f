// Factories for service and HTTP tests: an account with an administrator, an agent of a
// given role, and customers with sensible unique defaults.
import type { CustomerCreate } from '../../common/customer.ts';
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
