// Test fixtures for the Hub's ticket routes: an account with the Hub on, an organization with
// two customers (Kari and her colleague Per), a grant written the way the agent-side route
// writes it, and Hub sessions started directly (the sign-in routes are tested on their own).
import { expect } from 'vitest';
import { HUB_SESSION_COOKIE } from '../../common/hub.ts';
import { findAccount, updateAccountSettings } from '../accounts/account.repository.ts';
import { nowIso } from '../db/ids.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import type { TestServer } from '../test/server.ts';
import { startHubSession } from './hub-principal.ts';

export interface HubCall {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One request over real HTTP; `as` is a Hub cookie value or an agent's bearer token. */
export async function call(
  server: TestServer,
  as: { hub: string } | { token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<HubCall> {
  const headers: Record<string, string> =
    'hub' in as
      ? { cookie: `${HUB_SESSION_COOKIE}=${as.hub}` }
      : { authorization: `Bearer ${as.token}` };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface HubWorld {
  accountId: string;
  token: string;
  adminId: string;
  organizationId: string;
  /** Another organization of the account, which nobody was granted at first. */
  otherOrganizationId: string;
  kari: { id: string; cookie: string; email: string };
  per: { id: string; cookie: string; email: string };
}

export async function enableHub(server: TestServer, accountId: string): Promise<void> {
  const db = server.services.db.kysely;
  const account = await findAccount(db, accountId);
  if (!account) throw new Error('no account');
  await updateAccountSettings(db, accountId, {
    ...account.settings,
    hub: { ...account.settings.hub, enabled: true },
  });
}

export async function grant(
  server: TestServer,
  accountId: string,
  customerId: string,
  organizationId: string,
): Promise<void> {
  await server.services.db.kysely
    .insertInto('hub_organization_grants')
    .values({
      account_id: accountId,
      customer_id: customerId,
      organization_id: organizationId,
      created_at: nowIso(),
      created_by: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function revoke(
  server: TestServer,
  accountId: string,
  customerId: string,
  organizationId: string,
): Promise<void> {
  await server.services.db.kysely
    .deleteFrom('hub_organization_grants')
    .where('account_id', '=', accountId)
    .where('customer_id', '=', customerId)
    .where('organization_id', '=', organizationId)
    .execute();
}

/** An account with the Hub on, an organization with Kari and Per, both signed in to the Hub. */
export async function createHubWorld(server: TestServer): Promise<HubWorld> {
  const account = await createTestAccount(server.services);
  const adminId = account.admin.userId ?? '';
  const token = (await server.services.agents.createToken(account.accountId, adminId, 't')).token;
  await enableHub(server, account.accountId);
  const agent = { token };
  const domain = `${unique('hub').replace(/[^a-z0-9]/g, '')}.no`;
  const organization = await call(server, agent, 'POST', '/api/v1/organizations', {
    name: unique('Fjord AS '),
    domains: [domain],
  });
  expect(organization.status).toBe(201);
  const other = await call(server, agent, 'POST', '/api/v1/organizations', {
    name: unique('Other AS '),
    domains: [`other${domain}`],
  });
  const customer = async (firstName: string) => {
    const email = `${firstName.toLowerCase()}.${unique('c')}@${domain}`;
    const created = await call(server, agent, 'POST', '/api/v1/customers', {
      firstName,
      lastName: 'Hansen',
      email,
    });
    expect(created.status).toBe(201);
    expect(created.body.organizationId).toBe(organization.body.id);
    const id = created.body.id as string;
    const cookie = await startHubSession(server.services.db.kysely, account.accountId, id);
    return { id, cookie, email };
  };
  return {
    accountId: account.accountId,
    token,
    adminId,
    organizationId: organization.body.id as string,
    otherOrganizationId: other.body.id as string,
    kari: await customer('Kari'),
    per: await customer('Per'),
  };
}
