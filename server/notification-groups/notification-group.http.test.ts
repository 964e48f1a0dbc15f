// Notification groups over real HTTP on both databases: adding a group, editing its info and
// notification settings, adding and removing members (contacts of the organization, agents,
// other addresses), and which mail each event queues; members are resolved at send time, so a
// deactivated contact or agent, or a contact who left the organization, gets nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { contractWorld, type ContractWorld } from '../contracts/contract.testkit.ts';

const TODAY = new Date().toISOString().slice(0, 10);

describe.each(testDialects())('notification groups over HTTP on %s', (dialect) => {
  let w: ContractWorld;

  beforeAll(async () => {
    w = await contractWorld(dialect);
  });
  afterAll(() => w.server.close());

  it('adds a group, edits it, adds and removes members, and refuses what does not belong', async () => {
    const org = await w.organization();
    const other = await w.organization();
    const kari = await w.contact(org.id, 'Kari');
    const outsider = await w.contact(other.id, 'Per');
    const siv = await w.agent('Siv Support');
    const url = `/api/v1/organizations/${org.id}/notification-groups`;
    const created = await w.call('POST', url, { name: 'IT-avdelingen', description: 'Drift' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ name: 'IT-avdelingen', events: [], members: [] });
    const id = created.body.id as string;
    expect((await w.call('POST', url, { name: 'it-AVDELINGEN' })).status).toBe(409);
    expect((await w.call('POST', url, { name: '' })).body.errors).toEqual([
      { field: 'name', code: 'required', message: 'a name is required' },
    ]);
    expect((await w.call('POST', url, { name: 'X', events: ['ticket_exploded'] })).status).toBe(
      422,
    );

    const edited = await w.call('PATCH', `/api/v1/notification-groups/${id}`, {
      name: 'IT',
      description: null,
      events: ['ticket_created', 'ticket_created', 'contract_threshold'],
    });
    expect(edited.body).toMatchObject({
      name: 'IT',
      description: null,
      events: ['ticket_created', 'contract_threshold'],
    });

    const members = `/api/v1/notification-groups/${id}/members`;
    expect((await w.call('POST', members, { customerId: kari.id })).status).toBe(201);
    expect((await w.call('POST', members, { agentId: siv.id })).status).toBe(201);
    const withEmail = await w.call('POST', members, { email: 'Leder@Bedrift.no' });
    expect(withEmail.body.members).toEqual([
      expect.objectContaining({
        kind: 'customer',
        customerId: kari.id,
        name: 'Kari Kontakt',
        active: true,
      }),
      expect.objectContaining({
        kind: 'agent',
        agentId: siv.id,
        name: 'Siv Support',
        active: true,
      }),
      expect.objectContaining({ kind: 'email', email: 'leder@bedrift.no', active: true }),
    ]);
    // Adding someone twice changes nothing.
    expect(
      ((await w.call('POST', members, { customerId: kari.id })).body.members as unknown[]).length,
    ).toBe(3);
    expect((await w.call('POST', members, { customerId: outsider.id })).body.errors).toEqual([
      { field: 'customerId', code: 'not_a_contact', message: 'not a contact of this organization' },
    ]);
    expect((await w.call('POST', members, { agentId: kari.id })).body.errors).toEqual([
      { field: 'agentId', code: 'not_an_agent', message: 'not an agent of this account' },
    ]);
    expect((await w.call('POST', members, { email: 'not-an-address' })).status).toBe(422);
    expect((await w.call('POST', members, {})).status).toBe(422);
    expect((await w.call('POST', members, { email: 'a@b.no', agentId: siv.id })).status).toBe(422);

    const emailMember = (withEmail.body.members as { id: string; kind: string }[]).find(
      (m) => m.kind === 'email',
    );
    expect((await w.call('DELETE', `${members}/${emailMember?.id ?? ''}`)).status).toBe(204);
    expect((await w.call('DELETE', `${members}/${emailMember?.id ?? ''}`)).status).toBe(404);
    const listed = await w.call('GET', url);
    expect((listed.body.items as { members: unknown[] }[])[0]?.members).toHaveLength(2);
    expect((await w.call('DELETE', `/api/v1/notification-groups/${id}`)).status).toBe(204);
    expect((await w.call('GET', `/api/v1/notification-groups/${id}`)).status).toBe(404);
  });

  it('forgets an erased contact: out of the group, their tickets and time gone, the contract keeps its hours', async () => {
    const org = await w.organization();
    const kari = await w.contact(org.id, 'Kari');
    const erased = await w.contact(org.id, 'Eli');
    const siv = await w.agent('Siv Support');
    const contract = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, {
      description: 'Avtale',
      customerContactId: kari.id,
      supportContactId: siv.id,
    });
    const group = await w.call('POST', `/api/v1/organizations/${org.id}/notification-groups`, {
      name: 'Alle',
    });
    const groupId = group.body.id as string;
    await w.call('POST', `/api/v1/notification-groups/${groupId}/members`, {
      customerId: erased.id,
    });
    await w.call('POST', `/api/v1/notification-groups/${groupId}/members`, { customerId: kari.id });
    const ticket = await w.ticketFor(erased.email, 'Eli sin sak');
    const logged = await w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
      minutes: 90,
      workDate: TODAY,
      note: `Ringte ${erased.email}`,
    });
    expect(logged.status, logged.text).toBe(201);
    await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, { status: 'closed' });
    // The dry run names the contracts a customer contact leaves behind (Kari's, not Eli's).
    const kariRun = await w.call('GET', `/api/v1/customers/${kari.id}/erasure`);
    expect(kariRun.body.contracts).toEqual([
      { id: contract.body.id, description: 'Avtale', organizationId: org.id },
    ]);
    expect((await w.call('GET', `/api/v1/customers/${erased.id}/erasure`)).body.contracts).toEqual(
      [],
    );
    const accepted = await w.call('DELETE', `/api/v1/customers/${erased.id}`);
    expect(accepted.status, accepted.text).toBe(202);
    await w.server.services.worker.drain();

    const members = (await w.call('GET', `/api/v1/notification-groups/${groupId}`)).body
      .members as { customerId: string }[];
    expect(members.map((m) => m.customerId)).toEqual([kari.id]);
    expect(
      (await w.call('GET', `/api/v1/tickets/${ticket.id as string}/time-entries`)).status,
    ).toBe(404);
    const entries = await w.server.services.db.kysely
      .selectFrom('time_entries')
      .select('id')
      .where('account_id', '=', w.account.accountId)
      .where('ticket_id', '=', ticket.id as string)
      .execute();
    expect(entries).toEqual([]);
    expect(
      (await w.call('GET', `/api/v1/contracts/${contract.body.id as string}`)).body.hoursUsed,
    ).toBe(1.5);
  });

  it('mails each member on the events the group chose, and nobody who is no longer there', async () => {
    const org = await w.organization();
    const kari = await w.contact(org.id, 'Kari');
    const per = await w.contact(org.id, 'Per');
    const gone = await w.contact(org.id, 'Gunn');
    const siv = await w.agent('Siv Support');
    const off = await w.agent('Otto Off');
    const group = await w.call('POST', `/api/v1/organizations/${org.id}/notification-groups`, {
      name: 'Alle',
      events: [
        'ticket_created',
        'agent_reply',
        'ticket_resolved',
        'contract_threshold',
        'contract_exceeded',
      ],
    });
    const groupId = group.body.id as string;
    const quiet = await w.call('POST', `/api/v1/organizations/${org.id}/notification-groups`, {
      name: 'Bare kontrakt',
      events: ['contract_exceeded'],
    });
    for (const member of [
      { customerId: per.id },
      { customerId: gone.id },
      { agentId: siv.id },
      { agentId: off.id },
      { email: 'leder@bedrift.no' },
    ])
      expect(
        (await w.call('POST', `/api/v1/notification-groups/${groupId}/members`, member)).status,
      ).toBe(201);
    await w.call('POST', `/api/v1/notification-groups/${quiet.body.id as string}/members`, {
      email: 'okonomi@bedrift.no',
    });
    // Per is deactivated, Gunn moves to another organization, Otto's login is deactivated.
    expect(
      (await w.call('PATCH', `/api/v1/customers/${per.id}`, { status: 'deactivated' })).status,
    ).toBe(200);
    const elsewhere = await w.organization();
    expect(
      (
        await w.call('POST', `/api/v1/organizations/${elsewhere.id}/customers`, {
          customerIds: [gone.id],
        })
      ).status,
    ).toBeLessThan(300);
    await w.server.services.db.kysely
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('account_id', '=', w.account.accountId)
      .where('id', '=', off.id)
      .execute();
    const shown = await w.call('GET', `/api/v1/notification-groups/${groupId}`);
    expect((shown.body.members as { active: boolean }[]).map((m) => m.active)).toEqual([
      false,
      false,
      true,
      false,
      true,
    ]);

    const mailsFor = async (ticketId: string) =>
      (await w.outbox())
        .filter((m) => m.ticketId === ticketId)
        .map((m) => `${m.to} ${m.subject.split(' ')[0] ?? ''}`)
        .sort();
    const ticket = await w.ticketFor(kari.email, 'Nettet er nede');
    const ticketId = ticket.id as string;
    const everyone = [siv.email, 'leder@bedrift.no'];
    expect(await mailsFor(ticketId)).toEqual(everyone.map((to) => `${to} New`).sort());

    await w.call('POST', `/api/v1/tickets/${ticketId}/messages`, { text: 'Vi ser på det' });
    expect((await mailsFor(ticketId)).filter((m) => m.endsWith(' Reply'))).toEqual(
      everyone.map((to) => `${to} Reply`).sort(),
    );
    await w.call('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'resolved' });
    expect((await mailsFor(ticketId)).filter((m) => m.endsWith(' Ticket'))).toEqual(
      everyone.map((to) => `${to} Ticket`).sort(),
    );

    // The contract's own contacts get the contract mail; the groups get theirs, once each.
    const contract = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, {
      description: 'Avtale',
      customerContactId: kari.id,
      supportContactId: siv.id,
      hasHourRestriction: true,
      contractHours: 1,
      hoursNotificationThreshold: 0.5,
    });
    expect(contract.status, contract.text).toBe(201);
    const second = await w.ticketFor(kari.email, 'Mer nett');
    const log = (minutes: number) =>
      w.call('POST', `/api/v1/tickets/${second.id as string}/time-entries`, {
        minutes,
        workDate: TODAY,
        confirmOverLimit: true,
      });
    await log(40);
    const outbox = await w.outbox();
    const threshold = outbox.filter((m) => m.subject.includes('"Avtale" is nearing'));
    const addresses = (mails: { to: string }[]) =>
      mails.map((m) => m.to.split(', ').sort().join(', ')).sort();
    expect(addresses(threshold)).toEqual(
      [[kari.email, siv.email].sort().join(', '), 'leder@bedrift.no'].sort(),
    );
    await log(40);
    const exceeded = (await w.outbox()).filter((m) => m.subject.includes('"Avtale" has used up'));
    expect(addresses(exceeded)).toEqual(
      [[kari.email, siv.email].sort().join(', '), 'leder@bedrift.no', 'okonomi@bedrift.no'].sort(),
    );
  });
});
