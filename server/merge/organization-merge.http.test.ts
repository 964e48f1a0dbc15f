// Merging two organizations over real HTTP on both databases (issue 15, must-deliver 3): a merge
// of organizations holding every kind of related data moves all of it to the survivor, the dry
// run answers what the merge then does, the duplicate answers as a pointer and takes no writes,
// new customers of its domain land in the survivor; the undo puts back every API representation
// byte for byte and the domain matches the duplicate again. Self-merges, another account's and
// out-of-scope organizations are refused, and so is an undo that is late, repeated or would
// overwrite a later change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { insertRole } from '../agents/agent.repository.ts';
import { newId } from '../db/ids.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Body = Record<string, unknown>;

describe.each(testDialects())('organization merge over HTTP on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let foreignAdmin: string;
  let accountId: string;

  async function call(token: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
  }
  async function create(path: string, body: unknown, token = admin): Promise<string> {
    const res = await call(token, 'POST', path, body);
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }
  async function get(path: string, token = admin) {
    const res = await call(token, 'GET', path);
    expect(res.status, path).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    accountId = account.accountId;
    const agents = server.services.agents;
    admin = (await agents.createToken(accountId, account.admin.userId ?? '', 't')).token;
    const other = await createTestAccount(server.services);
    foreignAdmin = (await agents.createToken(other.accountId, other.admin.userId ?? '', 't')).token;
    for (const key of ['tier', 'region'])
      await create('/api/v1/custom-fields', {
        entity: 'organization',
        key,
        label: key,
        type: 'text',
      });
  }, 60_000);
  afterAll(() => server.close());

  /** Two organizations with one of every kind of thing that names an organization. */
  async function buildPair() {
    const tag = unique('m')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const domainA = `${tag}-a.example`;
    const domainB = `${tag}-b.example`;
    const a = await create('/api/v1/organizations', {
      name: `Acme ${tag}`,
      notes: 'Survivor notes',
      domains: [domainA],
      customFields: { tier: 'gold' },
    });
    const b = await create('/api/v1/organizations', {
      name: `Acme AS ${tag}`,
      domains: [domainB],
      customFields: { tier: 'silver', region: 'north' },
    });
    const user = await create('/api/v1/users', {
      email: `agent.${tag}@agents.example`,
      name: 'Support Agent',
      password: 'correct horse battery',
    });
    const teams = await Promise.all(
      ['one', 'two', 'three'].map((n) => create('/api/v1/teams', { name: `Team ${n} ${tag}` })),
    );
    const [team1, team2, team3] = teams as [string, string, string];
    await call(admin, 'PATCH', `/api/v1/teams/${team3}`, {
      access: 'organizations',
      organizations: [{ organizationId: b }],
    });
    await create(`/api/v1/organizations/${a}/rules`, { teamId: team1 });
    await create(`/api/v1/organizations/${b}/rules`, { teamId: team2 });
    await create(`/api/v1/organizations/${a}/locations`, { name: 'Oslo' });
    await create(`/api/v1/organizations/${b}/locations`, { name: 'Oslo' });
    const bergen = await create(`/api/v1/organizations/${b}/locations`, { name: 'Bergen' });
    const floor = await create(`/api/v1/organizations/${b}/locations/${bergen}/areas`, {
      name: 'Floor 2',
    });
    const a1 = await create(`/api/v1/organizations/${a}/contacts`, { email: `ann@${domainA}` });
    const b1 = await create('/api/v1/customers', { firstName: 'Bo', email: `bo@${domainB}` });
    const b2 = await create(`/api/v1/organizations/${b}/contacts`, { email: `bea@${domainB}` });
    const patched = await call(admin, 'PATCH', `/api/v1/customers/${b1}`, {
      defaultLocationId: bergen,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const ticket = await create('/api/v1/tickets', {
      subject: 'Printer',
      message: 'It jams',
      requesterId: b1,
      locationId: bergen,
      areaId: floor,
    });
    const contract = await create(`/api/v1/organizations/${b}/contracts`, {
      description: 'Support 2027',
      customerContactId: b1,
      supportContactId: user,
    });
    await create(`/api/v1/tickets/${ticket}/time-entries`, { minutes: 30, workDate: '2026-12-01' });
    await create(`/api/v1/organizations/${a}/notification-groups`, {
      name: 'Alerts',
      events: ['ticket_created'],
    });
    await create(`/api/v1/organizations/${b}/notification-groups`, {
      name: 'Alerts',
      events: ['ticket_created'],
    });
    for (const [customer, orgs] of [
      [b2, [b]],
      [a1, [a, b]],
    ] as const) {
      const res = await call(admin, 'PUT', `/api/v1/customers/${customer}/hub/organizations`, {
        organizationIds: orgs,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    return { a, b, a1, b1, b2, ticket, contract, team3, domainA, domainB, bergen, tag };
  }

  /** Everything the API shows of the pair: what an undo must give back byte for byte. */
  async function snapshot(p: Awaited<ReturnType<typeof buildPair>>) {
    const out: Record<string, unknown> = {};
    for (const org of [p.a, p.b]) {
      out[`org ${org}`] = await get(`/api/v1/organizations/${org}`);
      for (const sub of ['locations', 'contacts', 'contracts', 'rules', 'notification-groups'])
        out[`${sub} ${org}`] = await get(`/api/v1/organizations/${org}/${sub}`);
    }
    for (const customer of [p.a1, p.b1, p.b2]) {
      out[`customer ${customer}`] = await get(`/api/v1/customers/${customer}`);
      out[`hub ${customer}`] = await get(`/api/v1/customers/${customer}/hub`);
    }
    out.ticket = await get(`/api/v1/tickets/${p.ticket}`);
    out.teams = await get('/api/v1/teams');
    return out;
  }

  it('moves everything to the survivor as the dry run said, and undo puts it all back', async () => {
    const p = await buildPair();
    const before = await snapshot(p);
    const request = {
      duplicateId: p.b,
      keep: { name: 'duplicate', 'customFields.tier': 'duplicate' },
    };

    const preview = await call(
      admin,
      'POST',
      `/api/v1/organizations/${p.a}/merge?dryRun=true`,
      request,
    );
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(await snapshot(p)).toEqual(before); // a dry run changes nothing
    expect(preview.body.moves).toMatchObject({
      domains: 1,
      customers: 2,
      tickets: 1,
      locations: 2,
      areas: 1,
      contracts: 1,
      timeEntries: 1,
      routingRules: 1,
      notificationGroups: 1,
      teamAccess: 1,
      hubGrants: 2,
    });
    const conflicts = preview.body.conflicts as { field: string; kept: string }[];
    expect(conflicts.map((c) => `${c.field}:${c.kept}`).sort()).toEqual([
      'customFields.tier:duplicate',
      'name:duplicate',
    ]);

    const merged = await call(admin, 'POST', `/api/v1/organizations/${p.a}/merge`, request);
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const { updatedAt: _p, ...previewed } = preview.body.result as Body;
    const { updatedAt: _r, ...result } = merged.body.organization as Body;
    expect(result).toEqual(previewed);
    expect(merged.body.moved).toEqual(preview.body.moves);
    expect(result).toMatchObject({
      name: `Acme AS ${p.tag}`,
      notes: 'Survivor notes',
      customFields: { tier: 'silver', region: 'north' },
      domains: [p.domainA, p.domainB].sort(),
      customerCount: 3,
      mergedInto: null,
    });

    // The duplicate is a pointer: shown with mergedInto, never listed, never written.
    const pointer = await get(`/api/v1/organizations/${p.b}`);
    expect(pointer.mergedInto).toBe(p.a);
    const listed = await get(`/api/v1/organizations?q=${p.tag}`);
    expect((listed.items as Body[]).map((o) => o.id)).toEqual([p.a]);
    const edit = await call(admin, 'PATCH', `/api/v1/organizations/${p.b}`, { notes: 'x' });
    expect([edit.status, edit.body.code]).toEqual([409, 'organization_merged']);
    const again = await call(admin, 'POST', `/api/v1/organizations/${p.a}/merge`, request);
    expect([again.status, again.body.code]).toEqual([409, 'organization_merged']);

    // What moved, seen where a user looks.
    expect(await get(`/api/v1/customers/${p.b1}`)).toMatchObject({
      organizationId: p.a,
      defaultLocationId: p.bergen,
    });
    expect((await get(`/api/v1/tickets/${p.ticket}`)).organizationId).toBe(p.a);
    const locations = (await get(`/api/v1/organizations/${p.a}/locations`)).items as Body[];
    expect(locations.map((l) => l.name).sort()).toEqual(
      ['Bergen', 'Oslo', `Oslo (Acme AS ${p.tag})`].sort(),
    );
    const contracts = (await get(`/api/v1/organizations/${p.a}/contracts`)).items as Body[];
    expect(contracts.map((c) => c.id)).toContain(p.contract);
    const hub = await get(`/api/v1/customers/${p.a1}/hub`);
    expect(JSON.stringify(hub)).not.toContain(p.b);
    const audit = await get(`/api/v1/customers/${p.b1}/audit`);
    // One audit entry for the move (the trail shows each organization by its name now).
    expect((audit.items as Body[])[0]?.changes).toEqual({
      organization: { from: `Acme AS ${p.tag}`, to: `Acme AS ${p.tag}` },
    });

    // A new customer at the duplicate's domain joins the survivor.
    const joined = await call(admin, 'POST', '/api/v1/customers', { email: `new@${p.domainB}` });
    expect(joined.body.organizationId).toBe(p.a);
    await call(admin, 'POST', `/api/v1/organizations/none/customers`, {
      customerIds: [joined.body.id],
    });
    const history = await get(`/api/v1/organizations/${p.a}/merges`);
    const record = (history.items as Body[])[0];
    expect(record).toMatchObject({ survivorId: p.a, duplicateId: p.b, undoBlockedBy: null });

    const undone = await call(
      admin,
      'POST',
      `/api/v1/organization-merges/${String(record?.id)}/undo`,
    );
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const after = await snapshot(p);
    expect(after).toEqual(before);
    const back = await call(admin, 'POST', '/api/v1/customers', { email: `back@${p.domainB}` });
    expect(back.body.organizationId).toBe(p.b);
    const twice = await call(
      admin,
      'POST',
      `/api/v1/organization-merges/${String(record?.id)}/undo`,
    );
    expect([twice.status, twice.body.code]).toEqual([409, 'merge_undone']);
  }, 60_000);

  // The customers move through the write model (writeCustomers): the row as buildChange makes
  // it, its search text built with every identity it holds, one version up, one audit entry.
  it('moves its customers as the write model writes them, additional identities kept', async () => {
    const tag = unique('wm')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const survivorId = await create('/api/v1/organizations', { name: `WM kept ${tag}` });
    const duplicateId = await create('/api/v1/organizations', { name: `WM dup ${tag}` });
    const extra = `second-${tag}@other.example`;
    const customerId = await create('/api/v1/customers', {
      email: `first-${tag}@wm.example`,
      additionalEmails: [extra],
      organizationId: duplicateId,
    });
    const before = await get(`/api/v1/customers/${customerId}`);
    const merged = await call(admin, 'POST', `/api/v1/organizations/${survivorId}/merge`, {
      duplicateId,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const after = await get(`/api/v1/customers/${customerId}`);
    expect(after.organizationId).toBe(survivorId);
    expect(after.version).toBe((before.version as number) + 1);
    expect(after.additionalEmails).toEqual([extra]);
    // Found by the additional address: the search text the write model rebuilt holds it.
    const found = await get(`/api/v1/customers?q=${encodeURIComponent(extra)}`);
    expect((found.items as Body[]).map((c) => c.id)).toEqual([customerId]);
    const trail = await get(`/api/v1/customers/${customerId}/audit?limit=10`);
    const entry = (trail.items as Body[])[0] as Body;
    expect(entry.action).toBe('updated');
    expect(Object.keys(entry.changes as Body)).toEqual(['organization']);
    // And the undo puts back the very version and updated_at the customer had.
    const undone = await call(
      admin,
      'POST',
      `/api/v1/organization-merges/${(merged.body.merge as Body).id as string}/undo`,
    );
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const restored = await get(`/api/v1/customers/${customerId}`);
    expect([restored.organizationId, restored.version, restored.updatedAt]).toEqual([
      duplicateId,
      before.version,
      before.updatedAt,
    ]);
  });

  it('refuses a self-merge, another account’s organization and an unknown field', async () => {
    const a = await create('/api/v1/organizations', { name: unique('Self ') });
    const self = await call(admin, 'POST', `/api/v1/organizations/${a}/merge`, { duplicateId: a });
    expect(self.status).toBe(422);
    expect(JSON.stringify(self.body)).toContain('merge_with_itself');
    const theirs = await create('/api/v1/organizations', { name: unique('Theirs ') }, foreignAdmin);
    const foreign = await call(admin, 'POST', `/api/v1/organizations/${a}/merge`, {
      duplicateId: theirs,
    });
    expect(foreign.status).toBe(404);
    const foreignPath = await call(admin, 'POST', `/api/v1/organizations/${theirs}/merge`, {
      duplicateId: a,
    });
    expect(foreignPath.status).toBe(404);
    const b = await create('/api/v1/organizations', { name: unique('Other ') });
    const unknown = await call(admin, 'POST', `/api/v1/organizations/${a}/merge?dryRun=true`, {
      duplicateId: b,
      keep: { colour: 'duplicate' },
    });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('keep.colour');
    expect((await get(`/api/v1/organizations/${theirs}`, foreignAdmin)).mergedInto).toBeNull();
  });

  it('lets a scoped agent merge only organizations their teams serve whole', async () => {
    const served = await create('/api/v1/organizations', { name: unique('Served ') });
    const alsoServed = await create('/api/v1/organizations', { name: unique('Also ') });
    const partly = await create('/api/v1/organizations', { name: unique('Partly ') });
    const place = await create(`/api/v1/organizations/${partly}/locations`, { name: 'Site' });
    const hidden = await create('/api/v1/organizations', { name: unique('Hidden ') });
    const roleId = newId();
    await insertRole(
      server.services.db.kysely,
      accountId,
      {
        id: roleId,
        name: unique('Scoped '),
        permissions: PERMISSIONS.filter((x) => x !== 'scope.all'),
        builtIn: null,
      },
      new Date().toISOString(),
    );
    const user = await server.services.agents.createUser(accountId, {
      email: `${unique('scoped')}@example.com`,
      name: 'Scoped Agent',
      password: 'correct horse battery',
      roleId,
    });
    await create('/api/v1/teams', {
      name: unique('Scoped team '),
      memberIds: [user.id],
      access: 'organizations',
      organizations: [
        { organizationId: served },
        { organizationId: alsoServed },
        { organizationId: partly, locationId: place },
      ],
    });
    const scoped = (await server.services.agents.createToken(accountId, user.id, 't')).token;
    const dry = (id: string, duplicateId: string) =>
      call(scoped, 'POST', `/api/v1/organizations/${id}/merge?dryRun=true`, { duplicateId });
    expect((await dry(served, alsoServed)).status).toBe(200);
    expect((await dry(served, hidden)).status).toBe(404);
    expect((await dry(hidden, served)).status).toBe(404);
    expect((await dry(served, partly)).status).toBe(403);
  });

  it('refuses an undo that would overwrite a later change, or comes too late', async () => {
    const p = await buildPair();
    const merged = await call(admin, 'POST', `/api/v1/organizations/${p.a}/merge`, {
      duplicateId: p.b,
    });
    expect(merged.status).toBe(200);
    const mergeId = (merged.body.merge as Body).id as string;
    await call(admin, 'POST', '/api/v1/organizations/none/customers', { customerIds: [p.b2] });
    const changed = await call(admin, 'POST', `/api/v1/organization-merges/${mergeId}/undo`);
    expect([changed.status, changed.body.code]).toEqual([409, 'merge_changed_since']);
    expect(String(changed.body.detail)).toContain('customers (1)');
    const listed = await get(`/api/v1/organizations/${p.a}/merges`);
    expect((listed.items as Body[])[0]?.undoBlockedBy).toBe('changed_since');
    // Nothing was undone: the duplicate is still a pointer.
    expect((await get(`/api/v1/organizations/${p.b}`)).mergedInto).toBe(p.a);

    await call(admin, 'POST', `/api/v1/organizations/${p.a}/customers`, { customerIds: [p.b2] });
    await server.services.db.kysely
      .updateTable('organization_merges')
      .set({ undo_until: '2026-01-01T00:00:00.000Z' })
      .where('account_id', '=', accountId)
      .where('id', '=', mergeId)
      .execute();
    const late = await call(admin, 'POST', `/api/v1/organization-merges/${mergeId}/undo`);
    expect([late.status, late.body.code]).toEqual([409, 'merge_undo_expired']);
    const foreign = await call(foreignAdmin, 'POST', `/api/v1/organization-merges/${mergeId}/undo`);
    expect(foreign.status).toBe(404);
  }, 60_000);
});
