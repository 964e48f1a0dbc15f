// Helpers for the Customer Hub's sign-in tests over real HTTP: turning an account's Hub on (its
// settings and its address, as Administration → Customer Hub leaves them), a customer with a Hub
// password, calls with the Hub cookie, and the newest Hub link read out of the outbox.
import type { HubStoredSettings } from '../../common/settings.ts';
import { findAccount, updateAccountSettings } from '../accounts/account.repository.ts';
import { hashPassword } from '../agents/password.ts';
import { systemPrincipal } from '../agents/principal.ts';
import { nowIso } from '../db/ids.ts';
import type { TestServer } from '../test/server.ts';
import { saveHubLogin } from './hub-login.repository.ts';

export async function enableHub(
  server: TestServer,
  accountId: string,
  slug: string,
  hub: Partial<HubStoredSettings> = {},
): Promise<void> {
  const db = server.services.db.kysely;
  const account = await findAccount(db, accountId);
  if (!account) throw new Error('no account');
  await updateAccountSettings(db, accountId, {
    ...account.settings,
    hub: { ...account.settings.hub, enabled: true, ...hub },
  });
  await db.deleteFrom('hub_addresses').where('account_id', '=', accountId).execute();
  await db.insertInto('hub_addresses').values({ slug, account_id: accountId }).execute();
}

export async function hubCustomer(
  server: TestServer,
  accountId: string,
  email: string,
  password?: string,
  name = 'Hanne Hub',
): Promise<string> {
  const [firstName, lastName] = name.split(' ');
  const customer = await server.services.customers.create(
    systemPrincipal(accountId),
    { email, firstName, lastName },
    'agent',
  );
  if (password)
    await saveHubLogin(
      server.services.db.kysely,
      accountId,
      customer.id,
      { passwordHash: await hashPassword(password, server.passwordCost) },
      nowIso(),
    );
  return customer.id;
}

export interface HubReply {
  status: number;
  body: Record<string, unknown>;
  cookie: string;
  headers: Headers;
}

export async function hubCall(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<HubReply> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    status: response.status,
    body: parsed,
    cookie: setCookie.split(';')[0] ?? '',
    headers: response.headers,
  };
}

export function signIn(
  server: TestServer,
  slug: string,
  email: string,
  password: string,
  cookie?: string,
) {
  return hubCall(server, 'POST', `/api/hub/v1/sites/${slug}/sign-in`, { email, password }, cookie);
}

/** The newest outbox mail to this address and the Hub link's token in it. */
export async function hubMail(server: TestServer, accountId: string, to: string) {
  const mails = await server.services.db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('to_address', '=', to)
    .orderBy('created_at', 'desc')
    .execute();
  const mail = mails[0];
  const match = /\/hub\/([a-z0-9-]+)\/(link|password)\?token=(\S+)/.exec(mail?.body_text ?? '');
  return { mail, count: mails.length, page: match?.[2] ?? '', token: match?.[3] ?? '' };
}
