// Contracts over real HTTP on both databases: every field rule, a ticket's contract (the
// default and the picker), time entries moving hours used, the threshold mail exactly once
// under 20 concurrent entries and again after an edit drops below it, the over-limit refusal
// and confirmation, the audit trail, the contract's tickets, entries and monthly CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { todayIn } from '../../common/contract.ts';
import { testDialects } from '../test/databases.ts';
import { contractWorld, type ContractWorld } from './contract.testkit.ts';

// The account's time zone (the default, Europe/Oslo) decides which contracts are active today.
const TODAY = todayIn('Europe/Oslo');

describe.each(testDialects())('contracts over HTTP on %s', (dialect) => {
  let w: ContractWorld;
  let org: { id: string; domain: string };
  let contact: { id: string; email: string };
  let support: { id: string; email: string };
  let manager: { id: string; email: string };

  beforeAll(async () => {
    w = await contractWorld(dialect);
    org = await w.organization();
    contact = await w.contact(org.id, 'Kari');
    support = await w.agent('Siv Support');
    manager = await w.agent('Mons Manager');
  });
  afterAll(() => w.server.close());

  function contractBody(overrides: Record<string, unknown> = {}) {
    return {
      description: 'Support 2027',
      purchaseOrderNumber: 'PO-4711',
      customerContactId: contact.id,
      supportContactId: support.id,
      supportManagerId: manager.id,
      startDate: '2026-01-01',
      endDate: '2099-12-31',
      hasHourRestriction: true,
      contractHours: 10,
      hoursNotificationThreshold: 5,
      ...overrides,
    };
  }

  async function errorsOf(overrides: Record<string, unknown>, organizationId = org.id) {
    const answer = await w.call(
      'POST',
      `/api/v1/organizations/${organizationId}/contracts`,
      contractBody(overrides),
    );
    expect(answer.status, answer.text).toBe(422);
    return answer.body.errors as { field: string; message: string }[];
  }

  it('refuses each broken field with a 422 naming it', async () => {
    const other = await w.organization();
    const outsider = await w.contact(other.id, 'Ola');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ description: '' }, 'description', /description is required/],
      [{ description: undefined }, 'description', /./],
      [{ customerContactId: undefined }, 'customerContactId', /./],
      [{ supportContactId: undefined }, 'supportContactId', /./],
      [
        { customerContactId: outsider.id },
        'customerContactId',
        /not a contact of this organization/,
      ],
      [
        { customerContactId: support.id },
        'customerContactId',
        /not a contact of this organization/,
      ],
      [{ supportContactId: contact.id }, 'supportContactId', /not an agent of this account/],
      [{ supportManagerId: contact.id }, 'supportManagerId', /not an agent of this account/],
      [{ startDate: '2026-02-30' }, 'startDate', /not a real date/],
      [{ endDate: '31.12.2026' }, 'endDate', /must be a date/],
      [{ startDate: '2026-06-01', endDate: '2026-05-31' }, 'endDate', /before the start date/],
      [{ contractHours: null }, 'contractHours', /required with an hour restriction/],
      [{ contractHours: 0 }, 'contractHours', /more than 0/],
      [{ contractHours: -3 }, 'contractHours', /more than 0/],
      [{ hoursNotificationThreshold: 0 }, 'hoursNotificationThreshold', /more than 0/],
      [
        { hoursNotificationThreshold: 11 },
        'hoursNotificationThreshold',
        /more than the contract hours/,
      ],
      [{ hasHourRestriction: false }, 'contractHours', /only with an hour restriction/],
      [{ contractHours: 'ten' }, 'contractHours', /./],
      [{ purchaseOrderNumber: 'x'.repeat(101) }, 'purchaseOrderNumber', /./],
    ];
    for (const [overrides, field, message] of cases) {
      const errors = await errorsOf(overrides);
      expect(errors, JSON.stringify(overrides)).toContainEqual(
        expect.objectContaining({
          field,
          code: expect.any(String) as string,
          message: expect.stringMatching(message) as string,
        }),
      );
    }
    // A deactivated contact or agent cannot be chosen; one chosen before stays through other edits.
    const leaving = await w.contact(org.id, 'Lise');
    const kept = await w.call(
      'POST',
      `/api/v1/organizations/${org.id}/contracts`,
      contractBody({ customerContactId: leaving.id }),
    );
    expect(kept.status, kept.text).toBe(201);
    await w.call('PATCH', `/api/v1/customers/${leaving.id}`, { status: 'deactivated' });
    const away = await w.agent('Ada Away');
    await w.server.services.db.kysely
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('account_id', '=', w.account.accountId)
      .where('id', '=', away.id)
      .execute();
    expect(await errorsOf({ customerContactId: leaving.id })).toEqual([
      {
        field: 'customerContactId',
        code: 'deactivated',
        message: 'a deactivated person cannot be chosen',
      },
    ]);
    expect(await errorsOf({ supportManagerId: away.id })).toEqual([
      {
        field: 'supportManagerId',
        code: 'deactivated',
        message: 'a deactivated person cannot be chosen',
      },
    ]);
    const renamed = await w.call('PATCH', `/api/v1/contracts/${kept.body.id as string}`, {
      description: 'Renamed',
    });
    expect(renamed.status, renamed.text).toBe(200);
    // Another account's contact and agent are not this account's.
    const neighbour = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, {
      ...contractBody(),
      supportContactId: '01a20fe0-4b98-7366-b276-ebcf97e684f7',
    });
    expect(neighbour.status).toBe(422);
    expect(
      (
        await w.call(
          'POST',
          '/api/v1/organizations/01a20fe0-4b98-7366-b276-ebcf97e684f7/contracts',
          contractBody(),
        )
      ).status,
    ).toBe(404);
    // Equal dates, a threshold equal to the hours, no manager, no dates: all fine.
    const fine = await w.call(
      'POST',
      `/api/v1/organizations/${other.id}/contracts`,
      contractBody({
        customerContactId: outsider.id,
        supportManagerId: null,
        startDate: TODAY,
        endDate: TODAY,
        hoursNotificationThreshold: 10,
      }),
    );
    expect(fine.status, fine.text).toBe(201);
    expect(fine.body).toMatchObject({
      supportManagerId: null,
      contractHours: 10,
      hoursNotificationThreshold: 10,
      hoursUsed: 0,
      hoursLeft: 10,
      active: true,
      customerContactName: 'Ola Kontakt',
    });
  });

  it('starts a ticket on the one active contract, offers the picker, and moves its hours with it', async () => {
    const acme = await w.organization();
    const kari = await w.contact(acme.id, 'Kari');
    const first = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({ customerContactId: kari.id, description: 'First' }),
    );
    const expired = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({
        customerContactId: kari.id,
        description: 'Old',
        startDate: '2020-01-01',
        endDate: '2020-12-31',
      }),
    );
    const ticket = await w.ticketFor(kari.email);
    expect(ticket.contractId).toBe(first.body.id);

    const second = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({
        customerContactId: kari.id,
        description: 'Second',
        hasHourRestriction: false,
        contractHours: null,
        hoursNotificationThreshold: null,
      }),
    );
    expect((await w.ticketFor(kari.email)).contractId).toBeNull();

    const logged = await w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
      minutes: 90,
      workDate: TODAY,
    });
    expect(logged.status, logged.text).toBe(201);
    expect(
      (await w.call('GET', `/api/v1/contracts/${first.body.id as string}`)).body.hoursUsed,
    ).toBe(1.5);

    const moved = await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, {
      contractId: second.body.id,
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.contractId).toBe(second.body.id);
    expect(
      (await w.call('GET', `/api/v1/contracts/${first.body.id as string}`)).body.hoursUsed,
    ).toBe(0);
    expect(
      (await w.call('GET', `/api/v1/contracts/${second.body.id as string}`)).body,
    ).toMatchObject({
      hoursUsed: 1.5,
      hoursLeft: null,
    });

    const refused = await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, {
      contractId: expired.body.id,
    });
    expect(refused.body.errors).toEqual([
      { field: 'contractId', code: 'contract_inactive', message: 'the contract is not active' },
    ]);
    const foreign = await w.call(
      'POST',
      `/api/v1/organizations/${org.id}/contracts`,
      contractBody(),
    );
    expect(
      (
        await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, {
          contractId: foreign.body.id,
        })
      ).body.errors,
    ).toEqual([
      {
        field: 'contractId',
        code: 'contract_not_of_organization',
        message: "not a contract of the ticket's organization",
      },
    ]);
    const none = await w.call('PATCH', `/api/v1/tickets/${ticket.id as string}`, {
      contractId: null,
    });
    expect(none.body.contractId).toBeNull();
    expect(
      (await w.call('GET', `/api/v1/contracts/${second.body.id as string}`)).body.hoursUsed,
    ).toBe(0);
  });

  it('queues exactly one threshold mail for 20 concurrent entries, and none is lost', async () => {
    const acme = await w.organization();
    const kari = await w.contact(acme.id, 'Kari');
    const contract = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({
        customerContactId: kari.id,
        contractHours: 100,
        hoursNotificationThreshold: 10,
      }),
    );
    const ticket = await w.ticketFor(kari.email);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
          minutes: 60,
          workDate: TODAY,
          note: `entry ${i}`,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const after = await w.call('GET', `/api/v1/contracts/${contract.body.id as string}`);
    expect(after.body).toMatchObject({ hoursUsed: 20, hoursLeft: 80, thresholdNotified: true });
    const mails = (await w.outbox()).filter((m) => m.subject.includes('nearing its hour limit'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to.split(', ').sort()).toEqual(
      [kari.email, support.email, manager.email].map((e) => e.toLowerCase()).sort(),
    );
    const panel = await w.call('GET', `/api/v1/tickets/${ticket.id as string}/time-entries`);
    expect(panel.body).toMatchObject({
      totalMinutes: 1200,
      contract: { id: contract.body.id, hoursUsed: 20, hoursLeft: 80 },
    });
    expect(panel.body.items).toHaveLength(20);
  });

  it('refuses an entry past the limit unless confirmed, and edits and deletions move hours used and rearm the threshold', async () => {
    const acme = await w.organization();
    const kari = await w.contact(acme.id, 'Kari');
    const contract = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({
        customerContactId: kari.id,
        contractHours: 10,
        hoursNotificationThreshold: 5,
      }),
    );
    const contractUrl = `/api/v1/contracts/${contract.body.id as string}`;
    const ticket = await w.ticketFor(kari.email, 'Server room');
    const log = (minutes: number, extra: Record<string, unknown> = {}) =>
      w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
        minutes,
        workDate: TODAY,
        ...extra,
      });
    const thresholdMails = async () =>
      (await w.outbox()).filter(
        (m) => m.subject.includes('nearing its hour limit') && m.to.includes(kari.email),
      ).length;

    const first = await log(300);
    expect(await thresholdMails()).toBe(1);
    await log(60);
    expect(await thresholdMails()).toBe(1);
    const edited = await w.call('PATCH', `/api/v1/time-entries/${first.body.id as string}`, {
      minutes: 120,
      note: 'it was shorter',
    });
    expect(edited.status, edited.text).toBe(200);
    expect((await w.call('GET', contractUrl)).body).toMatchObject({
      hoursUsed: 3,
      thresholdNotified: false,
    });
    await log(200);
    expect(await thresholdMails()).toBe(2);

    // 380 minutes used of 600: 300 more is past the limit.
    const refused = await log(300);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'contract_hours_exceeded',
      hoursUsed: 6.33,
      hoursLeft: 3.67,
      contractHours: 10,
    });
    expect((await w.call('GET', contractUrl)).body.hoursUsed).toBe(6.33);
    const confirmed = await log(300, { confirmOverLimit: true });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.body.overLimitConfirmed).toBe(true);
    expect((await w.call('GET', contractUrl)).body).toMatchObject({
      hoursUsed: 11.33,
      hoursLeft: 0,
    });
    expect(
      (await w.outbox()).filter(
        (m) => m.subject.includes('used up its hours') && m.to.includes(kari.email),
      ),
    ).toHaveLength(1);
    // An edit that adds time past the limit needs the confirmation too.
    const more = await w.call('PATCH', `/api/v1/time-entries/${first.body.id as string}`, {
      minutes: 150,
    });
    expect(more.status).toBe(409);

    expect(
      (await w.call('DELETE', `/api/v1/time-entries/${confirmed.body.id as string}`)).status,
    ).toBe(204);
    expect((await w.call('GET', contractUrl)).body.hoursUsed).toBe(6.33);
    expect(
      (await w.call('DELETE', `/api/v1/time-entries/${confirmed.body.id as string}`)).status,
    ).toBe(404);

    const audit = await w.call('GET', `/api/v1/tickets/${ticket.id as string}/time-entries/audit`);
    const items = audit.body.items as {
      action: string;
      actorName: string;
      changes: Record<string, unknown>;
    }[];
    expect(items.map((i) => i.action)).toEqual([
      'deleted',
      'created',
      'created',
      'updated',
      'created',
      'created',
    ]);
    expect(items[3]).toMatchObject({
      actorName: 'Ada Admin',
      changes: { minutes: { from: 300, to: 120 }, note: { from: null, to: 'it was shorter' } },
    });
    expect(items[1]?.changes).toMatchObject({ overLimitConfirmed: { from: null, to: true } });
    expect(items[0]?.changes).toMatchObject({ agent: { from: 'Ada Admin', to: null } });
  });

  it("lists a contract's tickets and entries and gives a month as CSV", async () => {
    const acme = await w.organization();
    const kari = await w.contact(acme.id, 'Kari');
    const contract = await w.call(
      'POST',
      `/api/v1/organizations/${acme.id}/contracts`,
      contractBody({ customerContactId: kari.id, description: 'Drift / 2027' }),
    );
    const id = contract.body.id as string;
    const ticket = await w.ticketFor(kari.email, '=HYPERLINK("x")');
    for (const [minutes, workDate, agentId] of [
      [30, '2026-11-30', support.id],
      [45, '2026-12-01', manager.id],
      [15, '2026-12-24', undefined],
    ] as const) {
      const answer = await w.call('POST', `/api/v1/tickets/${ticket.id as string}/time-entries`, {
        minutes,
        workDate,
        agentId,
        note: 'Ærlig arbeid',
      });
      expect(answer.status, answer.text).toBe(201);
    }
    const tickets = await w.call('GET', `/api/v1/contracts/${id}/tickets`);
    expect(tickets.body).toMatchObject({ total: 1, items: [{ id: ticket.id, minutes: 90 }] });
    const december = await w.call('GET', `/api/v1/contracts/${id}/time-entries?month=2026-12`);
    expect((december.body.items as { workDate: string }[]).map((e) => e.workDate)).toEqual([
      '2026-12-24',
      '2026-12-01',
    ]);
    const paged = await w.call('GET', `/api/v1/contracts/${id}/time-entries?limit=2`);
    expect(paged.body.total).toBe(3);
    const rest = await w.call(
      'GET',
      `/api/v1/contracts/${id}/time-entries?limit=2&cursor=${paged.body.nextCursor as string}`,
    );
    expect((rest.body.items as { workDate: string }[]).map((e) => e.workDate)).toEqual([
      '2026-11-30',
    ]);

    const csv = await w.call('GET', `/api/v1/contracts/${id}/time-entries.csv?month=2026-12`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('Drift-2027-2026-12.csv');
    const rows = parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), {
      columns: true,
    });
    expect(rows).toEqual([
      expect.objectContaining({
        work_date: '2026-12-01',
        agent: 'Mons Manager',
        minutes: '45',
        hours: '0.75',
        note: 'Ærlig arbeid',
        ticket_subject: `'=HYPERLINK("x")`,
      }),
      expect.objectContaining({
        work_date: '2026-12-24',
        agent: 'Ada Admin',
        minutes: '15',
        hours: '0.25',
      }),
    ]);
    expect(
      (await w.call('GET', `/api/v1/contracts/${id}/time-entries.csv?month=2026-13`)).status,
    ).toBe(422);
  });

  it('refuses bad time entries with a 422 naming the field', async () => {
    const ticket = await w.ticketFor(contact.email);
    const url = `/api/v1/tickets/${ticket.id as string}/time-entries`;
    for (const [body, field] of [
      [{ minutes: 0, workDate: TODAY }, 'minutes'],
      [{ minutes: 1441, workDate: TODAY }, 'minutes'],
      [{ minutes: 1.5, workDate: TODAY }, 'minutes'],
      [{ minutes: 10, workDate: '2026-13-01' }, 'workDate'],
      [{ minutes: 10 }, 'workDate'],
      [{ minutes: 10, workDate: TODAY, agentId: contact.id }, 'agentId'],
      [{ minutes: 10, workDate: TODAY, note: 'a\u0000b' }, 'note'],
    ] as const) {
      const answer = await w.call('POST', url, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect((answer.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
    expect((await w.call('GET', url)).body.items).toEqual([]);
  });

  it('lets an agent without tickets.manage read time but not log it, and keeps other accounts out', async () => {
    const role = await w.server.services.db.kysely
      .insertInto('roles')
      .values({
        account_id: w.account.accountId,
        id: '01a20fe0-4b98-7366-b276-ebcf97e68400',
        name: 'Viewer',
        // scope.all: a viewer of the whole account (without it, their teams decide what they see).
        permissions: JSON.stringify(['customers.view', 'tickets.view', 'scope.all']),
        built_in: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    expect(role).toBeDefined();
    const viewer = await w.call('POST', '/api/v1/users', {
      email: 'viewer@support.example',
      name: 'Vera Viewer',
      password: 'correct horse battery',
      roleId: '01a20fe0-4b98-7366-b276-ebcf97e68400',
    });
    expect(viewer.status, viewer.text).toBe(201);
    const viewerToken = (
      await w.server.services.agents.createToken(w.account.accountId, viewer.body.id as string, 'v')
    ).token;
    const ticket = await w.ticketFor(contact.email);
    const url = `/api/v1/tickets/${ticket.id as string}/time-entries`;
    expect((await w.call('GET', url, undefined, viewerToken)).status).toBe(200);
    const refused = await w.call('POST', url, { minutes: 5, workDate: TODAY }, viewerToken);
    expect(refused.status).toBe(403);
    expect(refused.body.permission).toBe('tickets.manage');
    expect(
      (
        await w.call(
          'POST',
          `/api/v1/organizations/${org.id}/contracts`,
          contractBody(),
          viewerToken,
        )
      ).status,
    ).toBe(403);

    // The neighbour account's admin sees none of this account's contracts or tickets.
    const neighbour = await w.server.services.db.kysely
      .selectFrom('users')
      .select(['account_id', 'id'])
      .where('account_id', '!=', w.account.accountId)
      .executeTakeFirstOrThrow();
    const neighbourToken = (
      await w.server.services.agents.createToken(neighbour.account_id, neighbour.id, 'n')
    ).token;
    const mine = await w.call('POST', `/api/v1/organizations/${org.id}/contracts`, contractBody());
    expect(
      (
        await w.call(
          'GET',
          `/api/v1/contracts/${mine.body.id as string}`,
          undefined,
          neighbourToken,
        )
      ).status,
    ).toBe(404);
    expect((await w.call('GET', url, undefined, neighbourToken)).status).toBe(404);
    expect(
      (await w.call('GET', `/api/v1/organizations/${org.id}/contracts`, undefined, neighbourToken))
        .status,
    ).toBe(404);
  });
});
