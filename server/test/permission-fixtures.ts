// Fixtures for the permission matrix (server/http/permission-matrix.test.ts): one real object of
// every kind a route's path names, made over HTTP as each account's administrator, in the test
// account and in its neighbour (so "another account's object" is a real row, not a random id);
// fresh ones on demand for the cells that consume theirs (deletions, used-up links). The
// principals' agents and sessions are in permission-agents.ts.
import fs from 'node:fs';
import type { ObjectKind } from '../http/permission-matrix.ts';
import type { Services } from '../services.ts';
import { unique } from './factories.ts';

export interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown>;
}

/** One agent's HTTP client over the test server (keep-alive: Node's fetch pools connections). */
export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  async send(method: string, url: string, body?: unknown): Promise<Answer> {
    const raw = isRawBody(body) ? body : undefined;
    const response = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: {
        ...this.headers,
        ...(raw ? { 'content-type': raw.type } : {}),
        ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
      },
      body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // CSV, zip and .eml answers
    }
    return { status: response.status, text, json };
  }

  /** POSTs and returns the new object's id; fails loudly, as a missing fixture tests nothing. */
  async create(url: string, body: unknown, pick = (json: Record<string, unknown>) => json.id) {
    const answer = await this.send('POST', url, body);
    if (answer.status !== 201 && answer.status !== 202 && answer.status !== 200) {
      throw new Error(`fixture ${url}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    return String(pick(answer.json));
  }
}

export function isRawBody(
  body: unknown,
): body is { type: string; data: string | Uint8Array<ArrayBuffer> } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'type' in body &&
    'data' in body &&
    Object.keys(body).length === 2
  );
}

/**
 * A webhook endpoint at a name that never resolves (.invalid, RFC 6761): its test event fails at
 * once, so its delivery stays failed and can be retried in every cell.
 */
export const WEBHOOK_BODY = {
  url: 'https://hooks.matrix.invalid/in',
  events: ['customer.created'],
};

/** A message with a small attachment, as a mail provider would post it. */
const WITH_ATTACHMENT = fs.readFileSync(
  new URL('./fixtures/with-attachment.eml', import.meta.url),
  'latin1',
);

/** The ids of one account's objects, by kind, plus what bodies refer to by property name. */
export type AccountObjects = Record<ObjectKind, string> & {
  accountId: string;
  domainName: string;
  email: string;
};

/**
 * Makes one of every kind in an account, as its administrator, all in one new organization
 * (its customer, contact, ticket and the mailed attachment's ticket too, by its domain): the
 * scoped agent's team serves the own one, a second set of the same account is out of scope.
 */
export async function buildObjects(
  api: Api,
  services: Services,
  accountId: string,
): Promise<AccountObjects> {
  const tag = unique('m');
  const domain = `${tag}.matrix.example`;
  const email = `${tag}@${domain}`;
  const o: Partial<AccountObjects> = { accountId, domainName: domain, email };
  o.organization = await api.create('/api/v1/organizations', {
    name: `Matrix ${tag}`,
    domains: [domain],
  });
  o.domain = domain;
  o.customer = await api.create('/api/v1/customers', { firstName: 'Matrix', email });
  o.contact = await api.create(`/api/v1/organizations/${o.organization}/contacts`, {
    email: `contact.${email}`,
  });
  o.user = await api.create('/api/v1/users', {
    email: `agent.${email}`,
    name: 'Matrix Agent',
    password: 'correct horse battery',
  });
  o.role = await api.create('/api/v1/roles', {
    name: `Role ${tag}`,
    permissions: ['customers.view'],
  });
  o.passwordLink = await passwordLink(api, services, accountId);
  // The fixtures turn no Hub on: a Hub address answers 404 hub_not_found (the Hub's own tests
  // sign in: server/hub/hub-auth.http.test.ts).
  o.hubSite = `matrix-${tag.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  o.team = await api.create('/api/v1/teams', { name: `Team ${tag}` });
  o.rule = await api.create(`/api/v1/organizations/${o.organization}/rules`, { teamId: o.team });
  o.location = await api.create(`/api/v1/organizations/${o.organization}/locations`, {
    name: 'Office',
  });
  o.area = await api.create(
    `/api/v1/organizations/${o.organization}/locations/${o.location}/areas`,
    { name: 'Floor' },
  );
  o.customField = await api.create('/api/v1/custom-fields', {
    entity: 'customer',
    key: `f_${tag.replace(/\W/g, '_')}`.slice(0, 40),
    label: 'Matrix field',
    type: 'text',
  });
  o.customerType = await api.create('/api/v1/customer-types', { name: `Type ${tag}` });
  o.ticket = await api.create('/api/v1/tickets', {
    subject: 'Matrix',
    message: 'Hello',
    requester: { email },
  });
  o.contract = await api.create(`/api/v1/organizations/${o.organization}/contracts`, {
    description: 'Matrix contract',
    customerContactId: o.contact,
    supportContactId: o.user,
  });
  o.timeEntry = await api.create(`/api/v1/tickets/${o.ticket}/time-entries`, {
    minutes: 5,
    workDate: '2026-12-01',
  });
  o.notificationGroup = await api.create(
    `/api/v1/organizations/${o.organization}/notification-groups`,
    { name: 'Matrix group', events: ['ticket_created'] },
  );
  o.member = await addMember(api, o.notificationGroup, `member.${email}`);
  o.token = await api.create('/api/v1/tokens', { name: 'matrix victim' });
  o.webhook = await api.create('/api/v1/webhooks', WEBHOOK_BODY);
  o.webhookDelivery = await api.create(`/api/v1/webhooks/${o.webhook}/test`, undefined);
  o.import = await api.create(
    '/api/v1/customer-imports',
    { type: 'text/csv', data: `email,first_name\r\nrow.${email},Row\r\n` },
    (json) => (json.import as { id: string }).id,
  );
  o.export = await api.create(`/api/v1/customers/${o.customer}/exports`, undefined);
  o.duplicateSuggestion = await duplicateSuggestion(api, o.customer, `${tag}+twin@${domain}`);
  const mail = await api.send('POST', '/api/v1/inbound/email', {
    type: 'message/rfc822',
    data: WITH_ATTACHMENT.replaceAll('@attachments.example', `.${tag}@${domain}`),
  });
  o.inboundEmail = String(mail.json.inboundId);
  const mailTicket = await api.send('GET', `/api/v1/tickets/${String(mail.json.ticketId)}`);
  const messages = mailTicket.json.messages as { attachments: { id: string }[] }[] | undefined;
  o.attachment = messages?.flatMap((m) => m.attachments)[0]?.id ?? '';
  if (!o.attachment) throw new Error(`fixture attachment: ${mail.text} ${mailTicket.text}`);
  o.mergeDuplicate = await api.create('/api/v1/customers', {
    email: `duplicate.${email}`,
    organizationId: o.organization,
  });
  o.customerMerge = await mergeFresh(api, o.organization);
  o.outboxEmail = await heldEmail(api, o.ticket);
  await services.worker.drain(); // the export's archive, so its download is there
  return o as AccountObjects;
}

/** A reply to the ticket, held in the outbox (no SMTP_URL): its outbox id (issue 16). */
async function heldEmail(api: Api, ticketId: string) {
  const replied = await api.send('POST', `/api/v1/tickets/${ticketId}/messages`, {
    text: 'Matrix reply',
  });
  const messages = replied.json.messages as { delivery: { outboxId: string } | null }[] | undefined;
  const id = messages?.at(-1)?.delivery?.outboxId;
  if (!id) throw new Error(`fixture outbox email: ${replied.text}`);
  return id;
}

/**
 * A duplicate suggestion (issue 15): a second customer with the first one's address and a
 * subaddress, in the same organization (by its domain); upkeep makes the pair as it is created.
 */
async function duplicateSuggestion(api: Api, customerId: string, twin: string) {
  await api.create('/api/v1/customers', { firstName: 'Twin', email: twin });
  const found = await api.send('GET', `/api/v1/duplicate-suggestions?customerId=${customerId}`);
  const id = (found.json.items as { id: string }[] | undefined)?.[0]?.id;
  if (!id) throw new Error(`fixture duplicate suggestion: ${found.text}`);
  return id;
}

/** Issue 15: two new customers of the organization, the second merged into the first. */
async function mergeFresh(api: Api, organizationId: string) {
  const [survivor, duplicate] = [
    await api.create('/api/v1/customers', {
      email: `${unique('ms')}@fresh.example`,
      organizationId,
    }),
    await api.create('/api/v1/customers', {
      email: `${unique('md')}@fresh.example`,
      organizationId,
    }),
  ];
  return api.create(
    `/api/v1/customers/${survivor}/merge`,
    { duplicateId: duplicate },
    (json) => (json.merge as { id: string }).id,
  );
}

/** Adding a member answers with the group: the new member is the one with this address. */
function addMember(api: Api, groupId: string, address: string) {
  return api.create(
    `/api/v1/notification-groups/${groupId}/members`,
    { email: address },
    (json) =>
      (json.members as { id: string; email: string | null }[]).find((m) => m.email === address)?.id,
  );
}

/**
 * A set-password link: an agent invited over HTTP, the token read from their invitation in the
 * outbox (as password-links.http.test.ts does).
 */
async function passwordLink(api: Api, services: Services, accountId: string) {
  const address = `${unique('invited')}@links.example`;
  await api.create('/api/v1/users', { email: address, name: 'Invited Agent' });
  const mail = await services.db.kysely
    .selectFrom('outbox')
    .select('body_text')
    .where('account_id', '=', accountId)
    .where('to_address', '=', address)
    .executeTakeFirst();
  const token = /\/set-password#(\S+)/.exec(mail?.body_text ?? '')?.[1];
  if (!token) throw new Error(`fixture password link: no invitation to ${address}`);
  return token;
}

/**
 * A new object of a kind a cell consumes, in the account (and organization) whose objects
 * these are.
 */
export async function freshObject(
  api: Api,
  services: Services,
  objects: AccountObjects,
  kind: ObjectKind,
) {
  const tag = unique('f');
  const parent = objects.organization;
  switch (kind) {
    case 'customer':
      return api.create('/api/v1/customers', {
        email: `${tag}@fresh.example`,
        organizationId: parent,
      });
    case 'organization':
      return api.create('/api/v1/organizations', { name: `Fresh ${tag}` });
    case 'domain': {
      const domain = `${tag}.fresh.example`;
      await api.create(`/api/v1/organizations/${parent}/domains`, { domain });
      return domain;
    }
    case 'rule':
      return api.create(`/api/v1/organizations/${parent}/rules`, { teamId: objects.team });
    case 'customField':
      return api.create('/api/v1/custom-fields', {
        entity: 'customer',
        key: `f_${tag.replace(/\W/g, '_')}`.slice(0, 40),
        label: 'Fresh field',
        type: 'text',
      });
    case 'customerType':
      return api.create('/api/v1/customer-types', { name: `Fresh ${tag}` });
    case 'contract':
      return api.create(`/api/v1/organizations/${parent}/contracts`, {
        description: 'Fresh contract',
        customerContactId: objects.contact,
        supportContactId: objects.user,
      });
    case 'timeEntry':
      return api.create(`/api/v1/tickets/${objects.ticket}/time-entries`, {
        minutes: 1,
        workDate: '2026-12-01',
      });
    case 'notificationGroup':
      return api.create(`/api/v1/organizations/${parent}/notification-groups`, {
        name: `Fresh ${tag}`,
        events: ['ticket_created'],
      });
    case 'member':
      return addMember(api, objects.notificationGroup, `${tag}@fresh.example`);
    case 'team':
      return api.create('/api/v1/teams', { name: `Fresh ${tag}` });
    case 'token':
      return api.create('/api/v1/tokens', { name: `fresh ${tag}` });
    case 'import':
      return api.create(
        '/api/v1/customer-imports',
        { type: 'text/csv', data: `email\r\n${tag}@fresh.example\r\n` },
        (json) => (json.import as { id: string }).id,
      );
    case 'user':
      return api.create('/api/v1/users', {
        email: `${tag}@fresh.example`,
        name: 'Fresh Agent',
        password: 'correct horse battery',
      });
    case 'role':
      // For the roles API (issue 13, branch i13-agents): a custom role that can be removed.
      return api.create('/api/v1/roles', { name: `Fresh ${tag}`, permissions: ['customers.view'] });
    case 'customerMerge':
      return mergeFresh(api, parent);
    case 'passwordLink':
      return passwordLink(api, services, objects.accountId);
    case 'webhook':
      return api.create('/api/v1/webhooks', WEBHOOK_BODY);
    case 'outboxEmail':
      return heldEmail(api, objects.ticket);
    default:
      throw new Error(`no fresh ${kind}: add a case here`);
  }
}
