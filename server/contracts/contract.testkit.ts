// For contract and notification-group tests over real HTTP: an account on a real server with an
// organization, customer contacts, agents and contracts made through the API, and the outbox.
import { createTestAccount, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import type { Dialect } from '../db/connect.ts';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export interface ContractWorld {
  server: TestServer;
  account: TestAccount;
  adminId: string;
  token: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<Answer>;
  organization(): Promise<{ id: string; domain: string }>;
  contact(organizationId: string, name?: string): Promise<{ id: string; email: string }>;
  agent(name?: string): Promise<{ id: string; email: string }>;
  ticketFor(contactEmail: string, subject?: string): Promise<Record<string, unknown>>;
  outbox(): Promise<{ to: string; subject: string; text: string; ticketId: string | null }[]>;
}

export async function contractWorld(
  dialect: Dialect,
  options: { smtpUrl?: string } = {},
): Promise<ContractWorld> {
  const server = await startTestServer({ dialect, ...options });
  const account = await createTestAccount(server.services);
  const adminId = account.admin.userId ?? '';
  const token = (await server.services.agents.createToken(account.accountId, adminId, 't')).token;
  async function call(method: string, path: string, body?: unknown, as = token): Promise<Answer> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    if (text && (response.headers.get('content-type') ?? '').includes('json'))
      parsed = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, body: parsed, text, headers: response.headers };
  }
  async function created(answer: Answer): Promise<Record<string, unknown>> {
    if (answer.status !== 201)
      throw new Error(`expected 201, got ${answer.status}: ${answer.text}`);
    return Promise.resolve(answer.body);
  }
  return {
    server,
    account,
    adminId,
    token,
    call,
    organization: async () => {
      const domain = `${unique('kontrakt').replace(/[^a-z0-9]/g, '')}.no`;
      const body = await created(
        await call('POST', '/api/v1/organizations', {
          name: unique('Bedrift '),
          domains: [domain],
        }),
      );
      return { id: body.id as string, domain };
    },
    contact: async (organizationId, name = 'Kari') => {
      const email = `${unique(name.toLowerCase())}@kunde-kontakt.no`;
      const body = await created(
        await call('POST', '/api/v1/customers', {
          firstName: name,
          lastName: 'Kontakt',
          email,
          organizationId,
        }),
      );
      return { id: body.id as string, email };
    },
    agent: async (name = 'Siv Support') => {
      const email = `${unique('agent')}@support.example`;
      const body = await created(
        await call('POST', '/api/v1/users', { email, name, password: 'correct horse battery' }),
      );
      return { id: body.id as string, email };
    },
    ticketFor: async (contactEmail, subject = 'Printer on fire') =>
      created(
        await call('POST', '/api/v1/tickets', {
          subject,
          message: 'Please help',
          requester: { email: contactEmail },
        }),
      ),
    outbox: async () =>
      (await call('GET', '/api/v1/outbox')).body.items as {
        to: string;
        subject: string;
        text: string;
        ticketId: string | null;
      }[],
  };
}
