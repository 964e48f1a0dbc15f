// The Hub's object-level access matrix (issue 14, item 7): every Hub ticket route, acting as
// Kari, on each kind of ticket (her own; her colleague Per's with no grant; one of an
// organization she was granted; one of an organization whose grant was removed; another
// account's), by id in the URL and by organizationId in the bodies and the list's query. Each
// cell's expected status is written in the table below; 0 unexpected allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNeighbour } from '../test/factories.ts';
import { testDialects } from '../test/databases.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { findTicket } from '../tickets/ticket.repository.ts';
import { startHubSession } from './hub-principal.ts';
import {
  call,
  createHubWorld,
  enableHub,
  grant,
  revoke,
  type HubWorld,
} from './hub-ticket-fixtures.ts';

const OBJECTS = ['own', 'colleagueNoGrant', 'granted', 'grantRevoked', 'otherAccount'] as const;
type ObjectName = (typeof OBJECTS)[number];

/** Routes naming a ticket (or its attachment) in the URL: the status each object must get. */
const URL_CELLS: Record<string, Record<ObjectName, number>> = {
  'GET /api/hub/v1/tickets/:id': {
    own: 200,
    colleagueNoGrant: 404,
    granted: 200,
    grantRevoked: 404,
    otherAccount: 404,
  },
  'GET /api/hub/v1/attachments/:id': {
    own: 200,
    colleagueNoGrant: 404,
    granted: 200,
    grantRevoked: 404,
    otherAccount: 404,
  },
  'POST /api/hub/v1/tickets/:id/messages': {
    own: 201,
    colleagueNoGrant: 404,
    granted: 201,
    grantRevoked: 404,
    otherAccount: 404,
  },
  'POST /api/hub/v1/tickets/:id/resolve': {
    own: 200,
    colleagueNoGrant: 404,
    granted: 403,
    grantRevoked: 404,
    otherAccount: 404,
  },
};

/** Routes naming an organization in the body or query: own = Kari's own organization, not granted. */
const BODY_CELLS: Record<string, Record<ObjectName | 'unknown', number>> = {
  'POST /api/hub/v1/tickets {organizationId}': {
    own: 201,
    colleagueNoGrant: 201,
    granted: 201,
    grantRevoked: 422,
    otherAccount: 422,
    unknown: 422,
  },
  'GET /api/hub/v1/tickets?view=organization&organizationId': {
    own: 404,
    colleagueNoGrant: 404,
    granted: 200,
    grantRevoked: 404,
    otherAccount: 404,
    unknown: 404,
  },
};

describe.each(testDialects())('Hub access matrix on %s', (dialect) => {
  let server: TestServer;
  let w: HubWorld;
  const tickets = {} as Record<ObjectName, string>;
  const attachments = {} as Record<ObjectName, string>;
  const organizations = {} as Record<ObjectName | 'unknown', string>;

  /** A ticket raised in the Hub by this customer, for this organization, with one attachment. */
  async function raise(cookie: string, organizationId?: string) {
    const form = new FormData();
    form.set('subject', 'Matrix');
    form.set('message', 'A cell');
    if (organizationId) form.set('organizationId', organizationId);
    form.append('files', new Blob(['cell']), 'cell.txt');
    const created = await call(server, { hub: cookie }, 'POST', '/api/hub/v1/tickets', form);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const read = await call(server, { hub: cookie }, 'GET', `/api/hub/v1/tickets/${id}`);
    const [first] = read.body.messages as { attachments: { id: string }[] }[];
    return { id, attachmentId: first?.attachments[0]?.id ?? '' };
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    w = await createHubWorld(server);
    const agent = { token: w.token };
    const third = await call(server, agent, 'POST', '/api/v1/organizations', {
      name: `Third ${w.accountId}`,
    });
    const thirdId = third.body.id as string;
    // Ola: a customer of the other organization; he raises its ticket, then one of the third's.
    const ola = await call(server, agent, 'POST', '/api/v1/customers', {
      firstName: 'Ola',
      phone: '+4790000001',
    });
    const olaId = ola.body.id as string;
    await grant(server, w.accountId, olaId, w.otherOrganizationId);
    await grant(server, w.accountId, olaId, thirdId);
    const olaCookie = await startHubSession(server.services.db.kysely, w.accountId, olaId);

    const own = await raise(w.kari.cookie);
    const colleague = await raise(w.per.cookie);
    const granted = await raise(olaCookie, w.otherOrganizationId);
    const revoked = await raise(olaCookie, thirdId);
    const neighbour = await ensureNeighbour(server.services);
    await enableHub(server, neighbour.accountId);
    const neighbourTicket = await findTicket(
      server.services.db.kysely,
      neighbour.accountId,
      neighbour.ticketId,
    );
    if (!neighbourTicket) throw new Error('the neighbour has a ticket');
    await server.services.db.kysely.transaction().execute((trx) =>
      server.services.tickets.addCustomerMessage(trx, neighbour.accountId, neighbourTicket, {
        customerId: neighbourTicket.requester_id,
        authorName: 'Neighbour',
        channel: 'hub',
        text: 'theirs',
        attachments: [
          { filename: 'theirs.txt', contentType: 'text/plain', content: Buffer.from('x') },
        ],
      }),
    );
    const neighbourAttachment = await server.services.db.kysely
      .selectFrom('ticket_attachments')
      .select('id')
      .where('account_id', '=', neighbour.accountId)
      .where('ticket_id', '=', neighbour.ticketId)
      .executeTakeFirstOrThrow();

    Object.assign(tickets, {
      own: own.id,
      colleagueNoGrant: colleague.id,
      granted: granted.id,
      grantRevoked: revoked.id,
      otherAccount: neighbour.ticketId,
    });
    Object.assign(attachments, {
      own: own.attachmentId,
      colleagueNoGrant: colleague.attachmentId,
      granted: granted.attachmentId,
      grantRevoked: revoked.attachmentId,
      otherAccount: neighbourAttachment.id,
    });
    Object.assign(organizations, {
      own: w.organizationId,
      colleagueNoGrant: w.organizationId,
      granted: w.otherOrganizationId,
      grantRevoked: thirdId,
      otherAccount: neighbour.organizationId,
      unknown: '01a20fe0-4b98-7366-b276-ebcf97e684f7',
    });
    // Kari: granted the other organization; the third granted and then removed.
    await grant(server, w.accountId, w.kari.id, w.otherOrganizationId);
    await grant(server, w.accountId, w.kari.id, thirdId);
    await revoke(server, w.accountId, w.kari.id, thirdId);
  }, 60_000);
  afterAll(() => server.close());

  it('answers every cell as the table says, with 0 unexpected allows', async () => {
    const kari = { hub: w.kari.cookie };
    const wrong: string[] = [];
    const allows: string[] = [];
    let cells = 0;
    const check = (cell: string, expected: number, status: number, detail: unknown) => {
      cells += 1;
      if (status >= 200 && status < 300 && !(expected >= 200 && expected < 300))
        allows.push(`${cell}: ${status}, the table says ${expected}`);
      if (status !== expected)
        wrong.push(`${cell}: expected ${expected}, got ${status} ${JSON.stringify(detail)}`);
    };
    for (const [route, row] of Object.entries(URL_CELLS)) {
      const [method = 'GET', url = ''] = route.split(' ');
      for (const object of OBJECTS) {
        const id = url.includes('attachments') ? attachments[object] : tickets[object];
        const body = url.endsWith('/messages') ? { text: 'A reply from the matrix' } : undefined;
        const answer = await call(server, kari, method, url.replace(':id', id), body);
        check(
          `${route} on ${object}`,
          row[object],
          answer.status,
          answer.body.code ?? answer.body.raw,
        );
      }
    }
    for (const [route, row] of Object.entries(BODY_CELLS)) {
      for (const object of [...OBJECTS, 'unknown'] as const) {
        const organizationId = organizations[object];
        const answer = route.startsWith('POST')
          ? await call(server, kari, 'POST', '/api/hub/v1/tickets', {
              subject: 'By body',
              message: 'x',
              organizationId,
            })
          : await call(
              server,
              kari,
              'GET',
              `/api/hub/v1/tickets?view=organization&organizationId=${organizationId}`,
            );
        check(`${route} = ${object}`, row[object], answer.status, answer.body.code);
        // What a list answers holds only tickets Kari may see: hers, or the granted organization's.
        if (answer.status === 200 && Array.isArray(answer.body.items))
          for (const item of answer.body.items as {
            id: string;
            organizationId: string;
            mine: boolean;
          }[])
            if (!item.mine && item.organizationId !== w.otherOrganizationId)
              allows.push(
                `${route} = ${object} listed ticket ${item.id} of ${item.organizationId}`,
              );
      }
    }
    console.info(
      `Hub access matrix ${dialect}: ${cells} cells, ${allows.length} unexpected allows`,
    );
    expect(allows, 'unexpected allows').toEqual([]);
    expect(wrong).toEqual([]);
    expect(cells).toBe(4 * 5 + 2 * 6);
  });
});
