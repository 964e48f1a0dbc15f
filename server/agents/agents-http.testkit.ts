// Helpers for the agent administration tests over real HTTP: calls with a session cookie or a
// bearer token, logging in, and reading the set-password link out of the outbox.
import type { TestServer } from '../test/server.ts';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export type Credential = { cookie: string } | { token: string } | undefined;

export async function call(
  server: TestServer,
  who: Credential,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (who && 'cookie' in who) headers.cookie = who.cookie;
  if (who && 'token' in who) headers.authorization = `Bearer ${who.token}`;
  if (method !== 'GET') headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Logs in over HTTP; the session cookie, or the refusal's status. */
export async function login(
  server: TestServer,
  email: string,
  password: string,
): Promise<{ status: number; cookie: string }> {
  const response = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await response.text();
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: response.status, cookie };
}

/** The newest outbox mail to this address, and the set-password token in its link. */
export async function passwordMail(server: TestServer, accountId: string, to: string) {
  const mails = await server.services.db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('to_address', '=', to)
    .orderBy('created_at', 'desc')
    .execute();
  const mail = mails[0];
  const token = /\/set-password#(\S+)/.exec(mail?.body_text ?? '')?.[1] ?? '';
  return { mail, count: mails.length, token };
}
