// Tickets in the Customer Hub over real HTTP (issue 14, item 4): lists with search and status,
// new tickets and replies with real multipart attachments, the size limit, resolving, agents'
// internal notes kept out, "seen in the Hub", routing and last activity, and a grant removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ATTACHMENT_MAX_BYTES, HUB_ATTACHMENT_MAX_FILES } from '../../common/hub.ts';
import { testDialects } from '../test/databases.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { call, createHubWorld, grant, revoke, type HubWorld } from './hub-ticket-fixtures.ts';

describe.each(testDialects())('Hub tickets over HTTP on %s', (dialect) => {
  let server: TestServer;
  let w: HubWorld;
  const kari = () => ({ hub: w.kari.cookie });
  const per = () => ({ hub: w.per.cookie });
  const agent = () => ({ token: w.token });

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    w = await createHubWorld(server);
  });
  afterAll(() => server.close());

  async function raise(subject: string, as = kari()) {
    const created = await call(server, as, 'POST', '/api/hub/v1/tickets', {
      subject,
      message: `About ${subject}`,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  it('raises a ticket through the ticket service: channel hub, routing rule, last activity', async () => {
    const rule = await call(
      server,
      agent(),
      'POST',
      `/api/v1/organizations/${w.organizationId}/rules`,
      {
        assigneeId: w.adminId,
      },
    );
    expect(rule.status).toBe(201);
    const before = new Date().toISOString();
    const created = await call(server, kari(), 'POST', '/api/hub/v1/tickets', {
      subject: 'Router blinks red',
      message: 'Since this morning',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      subject: 'Router blinks red',
      status: 'open',
      mine: true,
      requesterName: 'Kari Hansen',
      organizationId: w.organizationId,
      messageCount: 1,
    });
    const seenByAgent = await call(
      server,
      agent(),
      'GET',
      `/api/v1/tickets/${created.body.id as string}`,
    );
    expect(seenByAgent.body).toMatchObject({
      channel: 'hub',
      requesterId: w.kari.id,
      assigneeId: w.adminId,
    });
    const activity = await server.services.db.kysely
      .selectFrom('customers')
      .select('last_activity_at')
      .where('account_id', '=', w.accountId)
      .where('id', '=', w.kari.id)
      .executeTakeFirstOrThrow();
    expect(activity.last_activity_at! >= before).toBe(true);
    await call(
      server,
      agent(),
      'DELETE',
      `/api/v1/organizations/${w.organizationId}/rules/${rule.body.id as string}`,
    );
  });

  it('takes attachments as multipart, serves them back as downloads, and refuses one over the limit by name', async () => {
    const form = new FormData();
    form.set('subject', 'Invoice wrong');
    form.set('message', 'See the attached');
    form.append('files', new Blob(['line one\nline two\n'], { type: 'text/plain' }), 'notes.txt');
    form.append(
      'files',
      new Blob([Buffer.from([0, 1, 2, 255])], { type: 'application/pdf' }),
      'Faktura æøå.pdf',
    );
    const created = await call(server, kari(), 'POST', '/api/hub/v1/tickets', form);
    expect(created.status).toBe(201);
    const ticket = await call(
      server,
      kari(),
      'GET',
      `/api/hub/v1/tickets/${created.body.id as string}`,
    );
    const [first] = ticket.body.messages as {
      author: string;
      attachments: { url: string; filename: string; sizeBytes: number }[];
    }[];
    expect(first?.author).toBe('me');
    expect(first?.attachments.map((a) => [a.filename, a.sizeBytes])).toEqual([
      ['notes.txt', 18],
      ['Faktura æøå.pdf', 4],
    ]);
    const download = await fetch(`${server.url}${first?.attachments[1]?.url ?? ''}`, {
      headers: { cookie: `kunde_hub=${w.kari.cookie}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(download.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''Faktura%20%C3%A6%C3%B8%C3%A5.pdf",
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');

    // The reply: multipart too, onto the same ticket.
    const reply = new FormData();
    reply.set('text', 'And a screenshot');
    reply.append('files', new Blob(['png?'], { type: 'image/png' }), 'screen.png');
    const replied = await call(
      server,
      kari(),
      'POST',
      `/api/hub/v1/tickets/${created.body.id as string}/messages`,
      reply,
    );
    expect(replied.status).toBe(201);
    expect(replied.body).toMatchObject({ author: 'me', text: 'And a screenshot' });
    expect((replied.body.attachments as { filename: string }[])[0]?.filename).toBe('screen.png');

    // One byte over the limit: refused, naming the file and the limit; nothing is kept.
    const big = new FormData();
    big.set('subject', 'Too big');
    big.set('message', 'Huge');
    big.append('files', new Blob([Buffer.alloc(HUB_ATTACHMENT_MAX_BYTES + 1)]), 'huge.bin');
    const refused = await call(server, kari(), 'POST', '/api/hub/v1/tickets', big);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({
      code: 'attachment_too_large',
      filename: 'huge.bin',
      maxBytes: HUB_ATTACHMENT_MAX_BYTES,
    });
    expect(refused.body.detail).toBe(
      'huge.bin is larger than 10 MB, the most one attachment may be',
    );
    const many = new FormData();
    many.set('subject', 'Many');
    many.set('message', 'Files');
    for (let i = 0; i <= HUB_ATTACHMENT_MAX_FILES; i++)
      many.append('files', new Blob(['x']), `f${i}.txt`);
    const tooMany = await call(server, kari(), 'POST', '/api/hub/v1/tickets', many);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toEqual([
      {
        field: 'files',
        code: 'too_many',
        params: { max: 5 },
        message: 'at most 5 attachments in one message',
      },
    ]);
    const mine = await call(server, kari(), 'GET', '/api/hub/v1/tickets?q=Too+big');
    expect(mine.body.total).toBe(0);

    // A malformed body is the client's fault, 400; a form missing its subject names the field.
    const malformed = await fetch(`${server.url}/api/hub/v1/tickets`, {
      method: 'POST',
      headers: {
        cookie: `kunde_hub=${w.kari.cookie}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="subject"\r\n\r\nHalf',
    });
    expect(malformed.status).toBe(400);
    const noSubject = new FormData();
    noSubject.set('message', 'no subject');
    const missing = await call(server, kari(), 'POST', '/api/hub/v1/tickets', noSubject);
    expect(missing.status).toBe(422);
    expect((missing.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['subject']);
    const nul = new FormData();
    nul.set('subject', 'a\u0000b');
    nul.set('message', 'x');
    const withNul = await call(server, kari(), 'POST', '/api/hub/v1/tickets', nul);
    expect(withNul.status).toBe(422);
    expect(withNul.body.errors).toEqual([
      expect.objectContaining({ field: 'subject', code: 'control_character' }),
    ]);
  });

  it('shows agent replies (also emailed) without internal notes, and marks them seen for the requester only', async () => {
    const id = await raise('Printer jams');
    await grant(server, w.accountId, w.per.id, w.organizationId);
    const replied = await call(server, agent(), 'POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Open the tray',
    });
    expect(replied.status).toBe(201);
    const noted = await call(server, agent(), 'POST', `/api/v1/tickets/${id}/messages`, {
      text: 'Customer printer is ancient, internal only',
      internal: true,
    });
    expect(noted.status).toBe(201);
    const outbox = await call(server, agent(), 'GET', '/api/v1/outbox');
    const mail = (outbox.body.items as { ticketId: string; text: string }[]).filter(
      (m) => m.ticketId === id,
    );
    expect(mail.map((m) => m.text)).toEqual(['Open the tray']);

    // A colleague with the grant reads it: nothing is marked seen.
    const byPer = await call(server, per(), 'GET', `/api/hub/v1/tickets/${id}`);
    expect(byPer.status).toBe(200);
    expect(byPer.body.mine).toBe(false);
    expect((byPer.body.messages as { author: string }[]).map((m) => m.author)).toEqual([
      'customer',
      'agent',
    ]);
    const before = await call(server, agent(), 'GET', `/api/v1/tickets/${id}`);
    const agentMessages = () =>
      before.body.messages as { internal: boolean; hubSeenAt: string | null; text: string }[];
    expect(agentMessages().map((m) => [m.internal, m.hubSeenAt])).toEqual([
      [false, null],
      [false, null],
      [true, null],
    ]);

    const byKari = await call(server, kari(), 'GET', `/api/hub/v1/tickets/${id}`);
    const texts = (byKari.body.messages as { author: string; text: string }[]).map((m) => [
      m.author,
      m.text,
    ]);
    expect(texts).toEqual([
      ['me', 'About Printer jams'],
      ['agent', 'Open the tray'],
    ]);
    expect(JSON.stringify(byKari.body)).not.toContain('ancient');
    expect(byKari.body.messageCount).toBe(2);
    const after = await call(server, agent(), 'GET', `/api/v1/tickets/${id}`);
    const seen = after.body.messages as {
      authorType: string;
      internal: boolean;
      hubSeenAt: string | null;
    }[];
    expect(seen[0]?.hubSeenAt).toBeNull();
    expect(seen[1]?.hubSeenAt).toEqual(expect.any(String));
    expect(seen[2]?.hubSeenAt).toBeNull();
    await revoke(server, w.accountId, w.per.id, w.organizationId);
  });

  it('lists mine and the organization with search, status filters and paging', async () => {
    const printer = await raise('Printer 100%_done');
    const percentLike = await raise('Printer 100 percent');
    const vpn = await raise('VPN down at night');
    const perOwn = await raise('Per laptop broken', per());
    await call(server, agent(), 'PATCH', `/api/v1/tickets/${vpn}`, { status: 'error' });
    const resolved = await call(
      server,
      kari(),
      'POST',
      `/api/hub/v1/tickets/${percentLike}/resolve`,
    );
    expect(resolved.body.status).toBe('resolved');

    const ids = async (query: string, as = kari()) => {
      const page = await call(server, as, 'GET', `/api/hub/v1/tickets?${query}`);
      expect(page.status).toBe(200);
      return (page.body.items as { id: string }[]).map((t) => t.id);
    };
    expect(await ids('q=printer+100')).toEqual([percentLike, printer]);
    // LIKE's wildcards are literal: % and _ find only the subject that has them.
    expect(await ids('q=100%25_')).toEqual([printer]);
    expect(await ids('q=_')).toEqual([printer]);
    expect(await ids('q=PRINTER&status=resolved')).toEqual([percentLike]);
    // error shows as open, and the open filter finds it.
    const open = await call(server, kari(), 'GET', '/api/hub/v1/tickets?status=open&q=vpn');
    expect(open.body.items).toEqual([expect.objectContaining({ id: vpn, status: 'open' })]);
    expect(await ids('q=laptop')).toEqual([]);

    // Per without a grant has no organization view; with one he sees Kari's, newest activity first.
    expect(await ids('view=organization', per())).toEqual([]);
    const notGranted = await call(
      server,
      per(),
      'GET',
      `/api/hub/v1/tickets?view=organization&organizationId=${w.organizationId}`,
    );
    expect(notGranted.status).toBe(404);
    await grant(server, w.accountId, w.per.id, w.organizationId);
    const organization = await ids(
      `view=organization&organizationId=${w.organizationId}&q=printer+100`,
      per(),
    );
    expect(organization).toEqual([percentLike, printer]);
    const all = await call(server, per(), 'GET', '/api/hub/v1/tickets?view=organization&limit=2');
    expect(all.body.items).toEqual([
      expect.objectContaining({ id: perOwn, mine: true }),
      expect.objectContaining({
        id: vpn,
        mine: false,
        organizationName: expect.any(String) as string,
      }),
    ]);
    const next = await call(
      server,
      per(),
      'GET',
      `/api/hub/v1/tickets?view=organization&limit=2&cursor=${all.body.nextCursor as string}`,
    );
    expect((next.body.items as { id: string }[])[0]?.id).toBe(percentLike);
    // A reply moves a ticket to the top.
    await call(server, kari(), 'POST', `/api/hub/v1/tickets/${printer}/messages`, {
      text: 'Still done?',
    });
    expect((await ids('view=organization&limit=1', per()))[0]).toBe(printer);
    expect(all.body.total).toBe(
      (await call(server, agent(), 'GET', `/api/v1/tickets?organizationId=${w.organizationId}`))
        .body.total,
    );
    const mineWithOrganization = await call(
      server,
      per(),
      'GET',
      `/api/hub/v1/tickets?organizationId=${w.organizationId}`,
    );
    expect(mineWithOrganization.status).toBe(422);
    const badCursor = await call(server, per(), 'GET', '/api/hub/v1/tickets?cursor=abc');
    expect(badCursor.status).toBe(422);
    await revoke(server, w.accountId, w.per.id, w.organizationId);
  });

  it('resolves only the requester’s own ticket, reopens on a reply, and stops at a revoked grant on the next request', async () => {
    const id = await raise('Phone lost');
    await grant(server, w.accountId, w.per.id, w.organizationId);
    const byPer = await call(server, per(), 'POST', `/api/hub/v1/tickets/${id}/resolve`);
    expect(byPer.status).toBe(403);
    expect(byPer.body.code).toBe('requester_only');
    const perReply = await call(server, per(), 'POST', `/api/hub/v1/tickets/${id}/messages`, {
      text: 'I found it',
    });
    expect(perReply.status).toBe(201);
    expect(perReply.body).toMatchObject({ author: 'me', authorName: 'Per Hansen' });
    const byKari = await call(server, kari(), 'POST', `/api/hub/v1/tickets/${id}/resolve`);
    expect(byKari.status).toBe(200);
    expect(byKari.body.status).toBe('resolved');
    const agentView = await call(server, agent(), 'GET', `/api/v1/tickets/${id}`);
    expect(agentView.body.status).toBe('resolved');
    const reopened = await call(server, kari(), 'POST', `/api/hub/v1/tickets/${id}/messages`, {
      text: 'Lost again',
    });
    expect(reopened.status).toBe(201);
    expect((await call(server, kari(), 'GET', `/api/hub/v1/tickets/${id}`)).body.status).toBe(
      'open',
    );
    await call(server, agent(), 'PATCH', `/api/v1/tickets/${id}`, { status: 'closed' });
    const closed = await call(server, kari(), 'POST', `/api/hub/v1/tickets/${id}/messages`, {
      text: 'Hello?',
    });
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({
      code: 'ticket_closed',
      detail: 'the ticket is closed: raise a new ticket instead',
    });

    // A ticket raised for the organization on Per's behalf; then the grant goes.
    const forOrganization = await call(server, per(), 'POST', '/api/hub/v1/tickets', {
      subject: 'Office wifi',
      message: 'Down for all of us',
      organizationId: w.organizationId,
    });
    expect(forOrganization.status).toBe(201);
    expect((await call(server, per(), 'GET', `/api/hub/v1/tickets/${id}`)).status).toBe(200);
    await revoke(server, w.accountId, w.per.id, w.organizationId);
    expect((await call(server, per(), 'GET', `/api/hub/v1/tickets/${id}`)).status).toBe(404);
    const otherOrganization = await call(server, per(), 'POST', '/api/hub/v1/tickets', {
      subject: 'Not mine to raise',
      message: 'x',
      organizationId: w.otherOrganizationId,
    });
    expect(otherOrganization.status).toBe(422);
    expect(otherOrganization.body.errors).toEqual([
      expect.objectContaining({ field: 'organizationId', code: 'unknown_reference' }),
    ]);
  });
});
