// The permission matrix's Customer Hub (server/http/permission-matrix.test.ts): each account's
// Hub turned on as its administrator would (PATCH /api/v1/settings/hub), and in each set of
// objects the set's customer's own ticket raised in the Hub with a file, so the Hub rows have a
// ticket and an attachment that are the Hub customer's (the own set), another customer's of the
// same account (the out-of-scope set) and another account's. The Hub customer is the own set's
// customer; its session is a kunde_hub cookie from startHubSession, as a sign-in would give.
import { HUB_SESSION_COOKIE } from '../../common/hub.ts';
import { startHubSession } from '../hub/hub-principal.ts';
import type { Services } from '../services.ts';
import { unique } from './factories.ts';
import type { AccountObjects, Api } from './permission-fixtures.ts';

/** Turns the account's Hub on with every way in (passwords, links, open registration). */
export async function enableHub(api: Api): Promise<string> {
  const slug = unique('matrix')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  const answer = await api.send('PATCH', '/api/v1/settings/hub', {
    enabled: true,
    slug,
    passwordSignIn: true,
    linkSignIn: true,
    selfRegistration: true,
    registrationDomains: [],
  });
  if (answer.status !== 200) throw new Error(`fixture Hub: ${answer.status} ${answer.text}`);
  return slug;
}

/** A new Hub session for the customer: the cookie header the Hub's pages send. */
export async function hubSessionHeaders(services: Services, accountId: string, customerId: string) {
  const cookie = await startHubSession(services.db.kysely, accountId, customerId);
  return { cookie: `${HUB_SESSION_COOKIE}=${cookie}` };
}

/** The set's customer raises a ticket in the Hub with one file: its hubTicket, hubAttachment. */
export async function addHubObjects(
  baseUrl: string,
  services: Services,
  objects: AccountObjects,
  slug: string,
): Promise<void> {
  const headers = await hubSessionHeaders(services, objects.accountId, objects.customer);
  const form = new FormData();
  form.set('subject', 'Matrix Hub ticket');
  form.set('message', 'Raised in the Hub');
  form.append('files', new Blob(['matrix\n'], { type: 'text/plain' }), 'matrix.txt');
  const created = await fetch(`${baseUrl}/api/hub/v1/tickets`, {
    method: 'POST',
    headers,
    body: form,
  });
  const ticket = (await created.json()) as { id?: string };
  if (created.status !== 201 || !ticket.id) {
    throw new Error(`fixture Hub ticket: ${created.status} ${JSON.stringify(ticket)}`);
  }
  const read = await fetch(`${baseUrl}/api/hub/v1/tickets/${ticket.id}`, { headers });
  const body = (await read.json()) as { messages?: { attachments: { id: string }[] }[] };
  const attachment = body.messages?.flatMap((m) => m.attachments)[0]?.id;
  if (!attachment) throw new Error(`fixture Hub attachment: ${JSON.stringify(body)}`);
  Object.assign(objects, { hubSite: slug, hubTicket: ticket.id, hubAttachment: attachment });
}
