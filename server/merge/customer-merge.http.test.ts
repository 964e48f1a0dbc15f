// Merging two customers over real HTTP on each dialect (issue 15): a duplicate with every kind of
// related data (tickets and messages, identities, audit entries, custom attributes, Hub sign-in
// and grants, notification groups, a contract) is previewed, merged and undone, and the API's
// representations of both customers, their tickets and trails are the same afterwards as before;
// the dry run is the merge; self-merge, another account's customer and a merged one are
// refused; the merged-away id answers as a pointer and refuses writes; a ticket for the old id
// lands on the survivor; undo is refused when expired, repeated, erased or changed since.
/* eslint-disable @typescript-eslint/restrict-template-expressions -- the bodies are untyped JSON
   and the ids in the paths are strings the API gave out */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../db/ids.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, ensureNeighbour, unique, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Json = Record<string, unknown>;

describe.each(testDialects())('customer merge over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    token = (
      await server.services.agents.createToken(account.accountId, account.admin.userId ?? '', 't')
    ).token;
  });
  afterAll(() => server.close());

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }

  async function ok(method: string, path: string, body?: unknown, status = 200) {
    const r = await call(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body;
  }

  const customer = async (body: Json) => ok('POST', '/api/v1/customers', body, 201);
  const email = (name: string) => `${unique(name)}@merge.example`;

  /** What a person sees of a customer: the customer, its tickets, its trail, its Hub grants. */
  async function snapshot(id: string) {
    return {
      customer: await ok('GET', `/api/v1/customers/${id}`),
      tickets: await ok('GET', `/api/v1/customers/${id}/tickets?limit=200`),
      audit: await ok('GET', `/api/v1/customers/${id}/audit?limit=200`),
      hub: await ok('GET', `/api/v1/customers/${id}/hub`),
    };
  }

  const MERGE_ACTIONS = ['merged', 'merged_into', 'merge_undone'];
  /** Before and after an undo: the same, but for the merge's own entries and the version. */
  function comparable(s: Awaited<ReturnType<typeof snapshot>>) {
    const { version: _v, updatedAt: _u, ...rest } = s.customer;
    const items = (s.audit.items as { action: string }[]).filter(
      (e) => !MERGE_ACTIONS.includes(e.action),
    );
    return { ...s, customer: rest, audit: { items, total: items.length } };
  }

  it('previews, merges every kind of related data and undoes it to what it was', async () => {
    const kysely = server.services.db.kysely;
    const accountId = account.accountId;
    const orgA = await ok('POST', '/api/v1/organizations', { name: unique('Org A ') }, 201);
    const orgB = await ok('POST', '/api/v1/organizations', { name: unique('Org B ') }, 201);
    const survivorEmail = email('ola');
    const duplicateEmail = email('ola.private');
    const survivor = await customer({
      email: survivorEmail,
      firstName: 'Ola',
      organizationId: orgA.id,
      customAttributes: { tier: 'silver' },
    });
    const duplicate = await customer({
      email: duplicateEmail,
      phone: '+4790011223',
      firstName: 'Ola',
      lastName: 'Nordmann',
      organizationId: orgA.id,
      customAttributes: { tier: 'gold', shoe: '42' },
    });
    // Audit entries, tickets with messages, Hub grants, groups, a Hub sign-in and a contract.
    await ok('PATCH', `/api/v1/customers/${duplicate.id}`, { lastName: 'Nordmann-Hansen' });
    await ok('PATCH', `/api/v1/customers/${duplicate.id}`, { lastName: 'Nordmann' });
    for (const subject of ['Printer', 'Invoice'])
      await ok(
        'POST',
        '/api/v1/tickets',
        { subject, message: 'Hei', requesterId: duplicate.id },
        201,
      );
    await ok(
      'POST',
      '/api/v1/tickets',
      { subject: 'Own', message: 'Hei', requesterId: survivor.id },
      201,
    );
    await ok('PUT', `/api/v1/customers/${duplicate.id}/hub/organizations`, {
      organizationIds: [orgB.id],
    });
    const both = await ok(
      'POST',
      `/api/v1/organizations/${orgA.id}/notification-groups`,
      { name: 'Both' },
      201,
    );
    const theirs = await ok(
      'POST',
      `/api/v1/organizations/${orgA.id}/notification-groups`,
      { name: 'Theirs' },
      201,
    );
    for (const [group, who] of [
      [both, survivor],
      [both, duplicate],
      [theirs, duplicate],
    ] as const)
      await ok(
        'POST',
        `/api/v1/notification-groups/${group.id}/members`,
        { customerId: who.id },
        201,
      );
    const now = nowIso();
    await kysely
      .insertInto('hub_logins')
      .values({
        account_id: accountId,
        customer_id: String(duplicate.id),
        password_hash: 'scrypt$test',
        locale: 'nb',
        created_at: now,
        updated_at: now,
        last_sign_in_at: null,
      })
      .execute();
    const contractId = newId();
    await kysely
      .insertInto('contracts')
      .values({
        account_id: accountId,
        id: contractId,
        organization_id: String(orgA.id),
        description: 'Support',
        purchase_order: null,
        customer_contact_id: String(duplicate.id),
        support_contact_id: account.admin.userId ?? '',
        support_manager_id: null,
        start_date: null,
        end_date: null,
        has_hour_restriction: 0,
        budget_minutes: null,
        threshold_minutes: null,
        used_minutes: 0,
        threshold_notified: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const groups = async () => [
      await ok('GET', `/api/v1/notification-groups/${both.id}`),
      await ok('GET', `/api/v1/notification-groups/${theirs.id}`),
    ];
    const before = {
      s: await snapshot(String(survivor.id)),
      d: await snapshot(String(duplicate.id)),
    };
    const groupsBefore = await groups();

    const body = { duplicateId: duplicate.id, keep: { 'customAttributes.tier': 'duplicate' } };
    const preview = await ok('POST', `/api/v1/customers/${survivor.id}/merge?dryRun=true`, body);
    expect(preview.moves).toEqual({
      tickets: 2,
      messages: 2,
      identities: 2,
      auditEntries: 4, // created, two edits, the Hub grants
      other: {
        contracts: 1,
        exports: 0,
        notificationGroups: 2,
        hubLogins: 1,
        hubGrants: 1,
        duplicateSuggestions: 0,
      },
    });
    expect(preview.conflicts).toEqual([
      { field: 'email', survivor: survivorEmail, duplicate: duplicateEmail, kept: 'survivor' },
      { field: 'customAttributes.tier', survivor: 'silver', duplicate: 'gold', kept: 'duplicate' },
    ]);
    expect(preview.result).toMatchObject({
      email: survivorEmail,
      phone: '+4790011223',
      lastName: 'Nordmann',
      additionalEmails: [duplicateEmail],
      customAttributes: { tier: 'gold', shoe: '42' },
      organizationId: orgA.id,
    });
    // The dry run wrote nothing.
    expect(await snapshot(String(survivor.id))).toEqual(before.s);
    expect(await snapshot(String(duplicate.id))).toEqual(before.d);

    const result = await ok('POST', `/api/v1/customers/${survivor.id}/merge`, body);
    const merge = result.merge as Json;
    // Dry run equals result: the same counts, the same survivor (but for when it was written).
    expect(result.moved).toEqual(preview.moves);
    const { updatedAt: _a, ...merged } = result.customer as Json;
    const { updatedAt: _b, ...previewed } = preview.result as Json;
    expect(merged).toEqual(previewed);
    expect(merge).toMatchObject({
      survivorId: survivor.id,
      duplicateId: duplicate.id,
      undoBlockedBy: null,
    });

    // The merged-away id is a pointer; writes on it are refused naming the survivor.
    const pointer = await ok('GET', `/api/v1/customers/${duplicate.id}`);
    expect(pointer).toMatchObject({ status: 'merged', mergedInto: survivor.id });
    const patch = await call('PATCH', `/api/v1/customers/${duplicate.id}`, { firstName: 'X' });
    expect([patch.status, patch.body.code, patch.body.mergedInto]).toEqual([
      409,
      'customer_merged',
      survivor.id,
    ]);
    const again = await call('POST', `/api/v1/customers/${survivor.id}/merge`, body);
    expect([again.status, again.body.code]).toEqual([409, 'customer_merged']);
    // Never listed: not by its old address, not among all customers.
    for (const q of [`&q=${duplicateEmail}`, `&q=Nordmann`, ''])
      expect(
        ((await ok('GET', `/api/v1/customers?status=all&limit=200${q}`)).items as Json[]).map(
          (c) => c.id,
        ),
      ).not.toContain(duplicate.id);
    const after = await snapshot(String(survivor.id));
    expect((after.tickets.items as Json[]).map((t) => t.subject).sort()).toEqual([
      'Invoice',
      'Own',
      'Printer',
    ]);
    const entry = (after.audit.items as Json[])[0] as { action: string; changes: Json };
    expect(entry.action).toBe('merged');
    expect(entry.changes.mergedFrom).toEqual({
      from: null,
      to: { number: duplicate.number, id: duplicate.id },
    });
    expect((after.audit.items as Json[]).length).toBe(
      (before.s.audit.items as Json[]).length + (before.d.audit.items as Json[]).length + 1,
    );
    expect(after.hub).toMatchObject({ organizations: [expect.objectContaining({ id: orgB.id })] });
    const [bothAfter, theirsAfter] = await groups();
    expect((bothAfter!.members as Json[]).map((m) => m.customerId)).toEqual([survivor.id]);
    expect((theirsAfter!.members as Json[]).map((m) => m.customerId)).toEqual([survivor.id]);
    const records = await ok('GET', `/api/v1/customers/${survivor.id}/merges`);
    expect(records.items).toEqual([merge]);

    const undone = await ok('POST', `/api/v1/customer-merges/${merge.id}/undo`);
    expect(undone.merge).toMatchObject({ undoBlockedBy: 'undone', undoneBy: account.admin.name });
    const restored = {
      s: await snapshot(String(survivor.id)),
      d: await snapshot(String(duplicate.id)),
    };
    expect(comparable(restored.s)).toEqual(comparable(before.s));
    expect(comparable(restored.d)).toEqual(comparable(before.d));
    expect(await groups()).toEqual(groupsBefore);
    const login = await kysely
      .selectFrom('hub_logins')
      .select('customer_id')
      .where('account_id', '=', accountId)
      .where('customer_id', 'in', [String(survivor.id), String(duplicate.id)])
      .execute();
    expect(login.map((l) => l.customer_id)).toEqual([duplicate.id]);
    const contract = await kysely
      .selectFrom('contracts')
      .select('customer_contact_id')
      .where('account_id', '=', accountId)
      .where('id', '=', contractId)
      .executeTakeFirstOrThrow();
    expect(contract.customer_contact_id).toBe(duplicate.id);
    const twice = await call('POST', `/api/v1/customer-merges/${merge.id}/undo`);
    expect([twice.status, twice.body.code]).toEqual([409, 'merge_already_undone']);
  });

  it('refuses self-merge, another account’s customer, unknown fields, and keeps totals right', async () => {
    const a = await customer({ email: email('self') });
    const self = await call('POST', `/api/v1/customers/${a.id}/merge`, { duplicateId: a.id });
    expect(self.status).toBe(422);
    expect((self.body.errors as Json[])[0]).toMatchObject({
      field: 'duplicateId',
      code: 'merge_self',
    });
    const neighbour = await ensureNeighbour(server.services);
    const foreign = await call('POST', `/api/v1/customers/${a.id}/merge`, {
      duplicateId: neighbour.customerIds[0],
    });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'customer_not_found']);
    const b = await customer({ email: email('other') });
    const unknown = await call('POST', `/api/v1/customers/${a.id}/merge`, {
      duplicateId: b.id,
      keep: { shoeSize: 'duplicate' },
    });
    expect(unknown.status).toBe(422);
    const total = async () =>
      (await ok('GET', '/api/v1/customers?status=active&limit=1')).total as number;
    const counted = await total();
    await ok('POST', `/api/v1/customers/${a.id}/merge`, { duplicateId: b.id });
    expect(await total()).toBe(counted - 1);
  });

  it('lands a ticket for the merged-away id on the survivor', async () => {
    const s = await customer({ email: email('keep') });
    const d = await customer({ email: email('gone') });
    await ok('POST', `/api/v1/customers/${s.id}/merge`, { duplicateId: d.id });
    const ticket = await ok(
      'POST',
      '/api/v1/tickets',
      { subject: 'Old link', message: 'Hei', requesterId: d.id },
      201,
    );
    expect(ticket.requesterId).toBe(s.id);
    const bySender = await ok(
      'POST',
      '/api/v1/tickets',
      { subject: 'Old address', message: 'Hei', requester: { email: d.email } },
      201,
    );
    expect(bySender.requesterId).toBe(s.id);
  });

  it('refuses an undo once changed since, expired or erased, saying which', async () => {
    const kysely = server.services.db.kysely;
    const pair = async () => {
      const s = await customer({ email: email('s'), firstName: 'Kari' });
      const d = await customer({
        email: email('d'),
        phone: `+4792${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      });
      const r = await ok('POST', `/api/v1/customers/${s.id}/merge`, { duplicateId: d.id });
      return { s, d, mergeId: String((r.merge as Json).id) };
    };
    const changed = await pair();
    await ok('PATCH', `/api/v1/customers/${changed.s.id}`, { firstName: 'Karianne' });
    const refusedChanged = await call('POST', `/api/v1/customer-merges/${changed.mergeId}/undo`);
    expect([refusedChanged.status, refusedChanged.body.code]).toEqual([409, 'merge_changed_since']);
    expect(refusedChanged.body.fields).toEqual(['firstName']);
    const record = await ok('GET', `/api/v1/customer-merges/${changed.mergeId}`);
    expect(record.undoBlockedBy).toBe('changed_since');

    const moved = await pair();
    await ok('PATCH', `/api/v1/customers/${moved.s.id}`, { phone: null });
    const refusedMoved = await call('POST', `/api/v1/customer-merges/${moved.mergeId}/undo`);
    expect([refusedMoved.status, refusedMoved.body.code]).toEqual([409, 'merge_changed_since']);
    expect(refusedMoved.body.identities).toEqual([moved.d.phone]);

    const expired = await pair();
    await kysely
      .updateTable('customer_merges')
      .set({ undo_until: new Date(Date.now() - 1000).toISOString() })
      .where('account_id', '=', account.accountId)
      .where('id', '=', expired.mergeId)
      .execute();
    const refusedExpired = await call('POST', `/api/v1/customer-merges/${expired.mergeId}/undo`);
    expect([refusedExpired.status, refusedExpired.body.code]).toEqual([409, 'merge_undo_expired']);

    const erased = await pair();
    await kysely
      .updateTable('customers')
      .set({ status: 'erasing' })
      .where('account_id', '=', account.accountId)
      .where('id', '=', String(erased.s.id))
      .execute();
    const refusedErased = await call('POST', `/api/v1/customer-merges/${erased.mergeId}/undo`);
    expect([refusedErased.status, refusedErased.body.code]).toEqual([409, 'merge_customer_erased']);
  });
});
