// Locations and areas over real HTTP on both databases (issue 12 item 2): an organization's
// places, and a ticket's organization › location › area, validated: a place of another
// organization or account is a 422 naming the field, a deactivated one cannot be newly chosen
// but stays on the tickets that have it, and the ticket list filters by each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { insertRole } from '../agents/agent.repository.ts';
import { newId } from '../db/ids.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, unique } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Body = Record<string, unknown>;

describe.each(testDialects())('locations and areas over HTTP on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let viewer: string;
  /** Another account's location and area: never usable here. */
  let foreign: { organizationId: string; locationId: string; areaId: string };

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

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const account = await createTestAccount(server.services);
    const agents = server.services.agents;
    admin = (await agents.createToken(account.accountId, account.admin.userId ?? '', 't')).token;
    const roleId = newId();
    await insertRole(
      server.services.db.kysely,
      account.accountId,
      {
        id: roleId,
        name: 'Viewer',
        permissions: PERMISSIONS.filter((p) => p !== 'customers.create_edit'),
        builtIn: null,
      },
      new Date().toISOString(),
    );
    const user = await agents.createUser(account.accountId, {
      email: `${unique('viewer')}@example.com`,
      name: 'Vera Viewer',
      password: 'correct horse battery',
      roleId,
    });
    viewer = (await agents.createToken(account.accountId, user.id, 't')).token;

    const other = await createTestAccount(server.services);
    const otherToken = (await agents.createToken(other.accountId, other.admin.userId ?? '', 't'))
      .token;
    const saved = admin;
    admin = otherToken;
    const otherOrg = await organization();
    const otherLocation = await location(otherOrg, 'Elsewhere');
    const otherArea = await area(otherOrg, otherLocation, 'Floor 1');
    foreign = { organizationId: otherOrg, locationId: otherLocation, areaId: otherArea };
    admin = saved;
  }, 60_000);
  afterAll(() => server.close());

  async function organization() {
    const created = await call(admin, 'POST', '/api/v1/organizations', { name: unique('Org ') });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }
  async function location(org: string, name: string, extra: Body = {}) {
    const created = await call(admin, 'POST', `/api/v1/organizations/${org}/locations`, {
      name,
      ...extra,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }
  async function area(org: string, loc: string, name: string) {
    const created = await call(
      admin,
      'POST',
      `/api/v1/organizations/${org}/locations/${loc}/areas`,
      {
        name,
      },
    );
    expect(created.status).toBe(201);
    return created.body.id as string;
  }
  async function contact(org: string) {
    const created = await call(admin, 'POST', `/api/v1/organizations/${org}/contacts`, {
      firstName: 'Kari',
      email: `${unique('kari')}@gmail.com`,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }
  const ticket = (body: Body) =>
    call(admin, 'POST', '/api/v1/tickets', { subject: 'Printer', message: 'Broken', ...body });

  it("keeps an organization's locations with their areas, names unique in any case", async () => {
    const org = await organization();
    const created = await call(admin, 'POST', `/api/v1/organizations/${org}/locations`, {
      name: 'Head office',
      addressLine1: 'Karl Johans gate 1',
      postalCode: '0154',
      city: 'Oslo',
      country: 'Norway',
      phone: '+47 22 00 00 00',
      notes: 'Reception on the ground floor',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      organizationId: org,
      name: 'Head office',
      addressLine1: 'Karl Johans gate 1',
      addressLine2: null,
      postalCode: '0154',
      city: 'Oslo',
      active: true,
      areas: [],
    });
    const id = created.body.id as string;
    const floor = await call(admin, 'POST', `/api/v1/organizations/${org}/locations/${id}/areas`, {
      name: '3rd floor',
      description: 'Accounting',
    });
    expect(floor.body).toMatchObject({ locationId: id, name: '3rd floor', active: true });
    const taken = await call(admin, 'POST', `/api/v1/organizations/${org}/locations`, {
      name: 'HEAD OFFICE',
    });
    expect(taken).toMatchObject({
      status: 409,
      body: { code: 'location_name_taken', errors: [{ field: 'name' }] },
    });
    const areaTaken = await call(
      admin,
      'POST',
      `/api/v1/organizations/${org}/locations/${id}/areas`,
      {
        name: '3RD FLOOR',
      },
    );
    expect(areaTaken.body.code).toBe('area_name_taken');
    const edited = await call(admin, 'PATCH', `/api/v1/organizations/${org}/locations/${id}`, {
      addressLine2: 'Entrance B',
      city: '',
    });
    expect(edited.body).toMatchObject({
      addressLine2: 'Entrance B',
      city: null,
      name: 'Head office',
    });
    const list = await call(viewer, 'GET', `/api/v1/organizations/${org}/locations`);
    expect(list.body.items).toMatchObject([{ id, areas: [{ name: '3rd floor' }] }]);

    // Another account's organization and location are not found from here.
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${foreign.organizationId}/locations`))
        .status,
    ).toBe(404);
    expect(
      (
        await call(admin, 'PATCH', `/api/v1/organizations/${org}/locations/${foreign.locationId}`, {
          name: 'Mine',
        })
      ).status,
    ).toBe(404);
    // Only Create/Edit Customers changes them.
    const refused = await call(viewer, 'POST', `/api/v1/organizations/${org}/locations`, {
      name: 'X',
    });
    expect(refused).toMatchObject({ status: 403, body: { permission: 'customers.create_edit' } });
    const bad = await call(admin, 'POST', `/api/v1/organizations/${org}/locations`, {
      name: 'Lab\u0000',
      postalCode: 'x'.repeat(21),
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      {
        field: 'name',
        code: 'control_character',
        params: { character: 'U+0000' },
        message: 'contains a control character (U+0000)',
      },
    ]);
    const long = await call(admin, 'POST', `/api/v1/organizations/${org}/locations`, {
      name: 'Lab',
      postalCode: 'x'.repeat(21),
    });
    expect(long).toMatchObject({
      status: 422,
      body: {
        errors: [
          {
            field: 'postalCode',
            code: 'too_long',
            params: { max: 20 },
            message: 'at most 20 characters',
          },
        ],
      },
    });
  });

  it('puts a ticket at a location and area of its organization, and filters the list by each', async () => {
    const org = await organization();
    const requesterId = await contact(org);
    const office = await location(org, 'Office');
    const floor = await area(org, office, 'Floor 2');
    const warehouse = await location(org, 'Warehouse');
    const created = await ticket({ requesterId, locationId: office, areaId: floor });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      requesterId,
      organizationId: org,
      locationId: office,
      locationName: 'Office',
      areaId: floor,
      areaName: 'Floor 2',
    });
    // An area alone brings its location.
    const byArea = await ticket({ requesterId, areaId: floor });
    expect(byArea.body).toMatchObject({ locationId: office, areaId: floor });
    const atWarehouse = await ticket({ requesterId, locationId: warehouse });
    expect(atWarehouse.body).toMatchObject({ locationId: warehouse, areaId: null });

    const ids = async (q: string) =>
      ((await call(admin, 'GET', `/api/v1/tickets?${q}`)).body.items as { id: string }[]).map(
        (t) => t.id,
      );
    expect(await ids(`organizationId=${org}`)).toHaveLength(3);
    expect(await ids(`locationId=${office}`)).toEqual([byArea.body.id, created.body.id]);
    expect(await ids(`areaId=${floor}`)).toEqual([byArea.body.id, created.body.id]);
    expect(await ids(`organizationId=${org}&locationId=${warehouse}`)).toEqual([
      atWarehouse.body.id,
    ]);

    // Moving the ticket to another location drops the area that is not in it.
    const moved = await call(admin, 'PATCH', `/api/v1/tickets/${created.body.id as string}`, {
      locationId: warehouse,
    });
    expect(moved.body).toMatchObject({ locationId: warehouse, areaId: null });
    const cleared = await call(admin, 'PATCH', `/api/v1/tickets/${byArea.body.id as string}`, {
      areaId: null,
    });
    expect(cleared.body).toMatchObject({ locationId: office, areaId: null });
  });

  it('refuses a place of another organization or account with a 422 naming the field', async () => {
    const org = await organization();
    const otherOrg = await organization();
    const requesterId = await contact(org);
    const office = await location(org, 'Office');
    const theirs = await location(otherOrg, 'Their office');
    const theirArea = await area(otherOrg, theirs, 'Their floor');
    const ourOtherLocation = await location(org, 'Depot');
    const depotArea = await area(org, ourOtherLocation, 'Yard');
    const cases: [Body, string, string][] = [
      [{ locationId: theirs }, 'locationId', "not a location of the ticket's organization"],
      [
        { locationId: foreign.locationId },
        'locationId',
        "not a location of the ticket's organization",
      ],
      [{ locationId: newId() }, 'locationId', "not a location of the ticket's organization"],
      [{ areaId: theirArea }, 'areaId', "not an area of the ticket's organization"],
      [
        { locationId: office, areaId: foreign.areaId },
        'areaId',
        "not an area of the ticket's organization",
      ],
      [{ locationId: office, areaId: depotArea }, 'areaId', 'not an area of the chosen location'],
    ];
    for (const [place, field, message] of cases) {
      const refused = await ticket({ requesterId, ...place });
      expect(refused.status, JSON.stringify(place)).toBe(422);
      const code = message.endsWith('chosen location') ? 'not_of_location' : 'not_of_organization';
      expect(refused.body.errors).toEqual([{ field, code, message }]);
    }
    const before = (await call(admin, 'GET', `/api/v1/tickets?organizationId=${org}`)).body.total;
    expect(before).toBe(0);
    // A requester without an organization has nowhere to be.
    const loner = await ticket({
      requester: { email: `${unique('solo')}@gmail.com` },
      locationId: office,
    });
    expect(loner).toMatchObject({
      status: 422,
      body: {
        errors: [
          {
            field: 'locationId',
            code: 'no_organization',
            message: 'the requester belongs to no organization',
          },
        ],
      },
    });
    const unknown = await ticket({ requesterId: newId() });
    expect(unknown.body.errors).toEqual([
      { field: 'requesterId', code: 'unknown_reference', message: 'no such customer' },
    ]);
    const both = await ticket({ requesterId, requester: { email: 'a@b.no' } });
    expect(both.status).toBe(422);
    // The same on an existing ticket.
    const existing = await ticket({ requesterId, locationId: office });
    const patch = await call(admin, 'PATCH', `/api/v1/tickets/${existing.body.id as string}`, {
      locationId: foreign.locationId,
    });
    expect(patch).toMatchObject({ status: 422, body: { errors: [{ field: 'locationId' }] } });
    expect(
      (await call(admin, 'GET', `/api/v1/tickets/${existing.body.id as string}`)).body.locationId,
    ).toBe(office);
  });

  it('keeps a deactivated place on old tickets but refuses it on new ones', async () => {
    const org = await organization();
    const requesterId = await contact(org);
    const office = await location(org, 'Office');
    const floor = await area(org, office, 'Floor 1');
    const old = await ticket({ requesterId, locationId: office, areaId: floor });
    const off = await call(
      admin,
      'PATCH',
      `/api/v1/organizations/${org}/locations/${office}/areas/${floor}`,
      {
        active: false,
      },
    );
    expect(off.body.active).toBe(false);
    expect((await ticket({ requesterId, areaId: floor })).body.errors).toEqual([
      { field: 'areaId', code: 'deactivated', message: 'the area is deactivated' },
    ]);
    expect(
      (
        await call(admin, 'PATCH', `/api/v1/organizations/${org}/locations/${office}`, {
          active: false,
        })
      ).body.active,
    ).toBe(false);
    expect((await ticket({ requesterId, locationId: office })).body.errors).toEqual([
      { field: 'locationId', code: 'deactivated', message: 'the location is deactivated' },
    ]);
    // The old ticket still shows both, and an edit of something else keeps them.
    const id = old.body.id as string;
    const edited = await call(admin, 'PATCH', `/api/v1/tickets/${id}`, { status: 'pending' });
    expect(edited.body).toMatchObject({
      locationName: 'Office',
      areaName: 'Floor 1',
      status: 'pending',
    });
    const resent = await call(admin, 'PATCH', `/api/v1/tickets/${id}`, {
      locationId: office,
      areaId: floor,
    });
    expect(resent.status).toBe(200);
    // Pickers ask for active places only; the organization page sees them all.
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${org}/locations?status=active`)).body.items,
    ).toEqual([]);
    expect(
      (await call(admin, 'GET', `/api/v1/organizations/${org}/locations`)).body.items,
    ).toMatchObject([{ id: office, active: false, areas: [{ id: floor, active: false }] }]);

    // Deleting the organization takes its places with it; the ticket keeps the ids, no names.
    expect((await call(admin, 'DELETE', `/api/v1/organizations/${org}`)).status).toBe(200);
    expect((await call(admin, 'GET', `/api/v1/organizations/${org}/locations`)).status).toBe(404);
    expect((await call(admin, 'GET', `/api/v1/tickets/${id}`)).body).toMatchObject({
      locationId: office,
      locationName: null,
      areaName: null,
    });
  });
  it('gives a contact a default location their new tickets start at, dropped when they leave', async () => {
    const org = await organization();
    const otherOrg = await organization();
    const requesterId = await contact(org);
    const office = await location(org, 'Office');
    const depot = await location(org, 'Depot');
    const theirs = await location(otherOrg, 'Theirs');
    const path = `/api/v1/organizations/${org}/contacts/${requesterId}`;
    const set = await call(admin, 'PATCH', path, { defaultLocationId: office });
    expect(set).toMatchObject({ status: 200, body: { defaultLocationId: office } });
    expect((await ticket({ requesterId })).body).toMatchObject({
      locationId: office,
      locationName: 'Office',
    });
    // Asked for explicitly, nowhere is nowhere.
    expect((await ticket({ requesterId, locationId: null })).body.locationId).toBeNull();
    for (const [value, message] of [
      [theirs, "not a location of the customer's organization"],
      [foreign.locationId, "not a location of the customer's organization"],
    ] as const) {
      const refused = await call(admin, 'PATCH', path, { defaultLocationId: value });
      expect(refused.body.errors).toEqual([
        { field: 'defaultLocationId', code: 'not_of_organization', message },
      ]);
    }
    await call(admin, 'PATCH', `/api/v1/organizations/${org}/locations/${depot}`, {
      active: false,
    });
    expect((await call(admin, 'PATCH', path, { defaultLocationId: depot })).body.errors).toEqual([
      { field: 'defaultLocationId', code: 'deactivated', message: 'the location is deactivated' },
    ]);
    // A deactivated default is not where a new ticket starts (and does not refuse the ticket).
    await call(admin, 'PATCH', `/api/v1/organizations/${org}/locations/${office}`, {
      active: false,
    });
    const later = await ticket({ requesterId });
    expect(later).toMatchObject({ status: 201, body: { locationId: null } });

    // Moving the customer to another organization drops a location that is not theirs any more.
    const moved = await call(admin, 'POST', `/api/v1/organizations/${otherOrg}/customers`, {
      customerIds: [requesterId],
    });
    expect(moved.body.moved).toBe(1);
    expect((await call(admin, 'GET', `/api/v1/customers/${requesterId}`)).body).toMatchObject({
      organizationId: otherOrg,
      defaultLocationId: null,
    });
    const trail = (await call(admin, 'GET', `/api/v1/customers/${requesterId}/audit`)).body
      .items as { changes: Record<string, unknown> }[];
    expect(trail[0]?.changes.defaultLocation).toEqual({ from: 'Office', to: null });
    expect(trail[1]?.changes.defaultLocation).toEqual({ from: null, to: 'Office' });
    expect(JSON.stringify(trail.map((e) => e.changes))).not.toMatch(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/,
    );
  });
});
