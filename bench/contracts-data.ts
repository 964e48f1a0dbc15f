// The contracts suite's data: one organization with a contract, BENCH_CONTRACT_TICKETS tickets
// (10,000) on it and BENCH_CONTRACT_ENTRIES time entries (100,000) spread over them, 20 agents
// and a token each; bulk-inserted (the suite measures reading and logging, not loading).
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import { PERMISSIONS } from '../common/permissions.ts';
import type { Principal } from '../server/agents/principal.ts';
import type { Database } from '../server/db/database.ts';
import { newId } from '../server/db/ids.ts';
import type { Services } from '../server/services.ts';
import { rngFor } from './data.ts';
import { ALL } from '../server/access/scope.ts';

export interface ContractData {
  accountId: string;
  contractId: string;
  ticketIds: string[];
  /** The ticket the logging run writes to (on the contract, no entries before). */
  loggingTicketId: string;
  tokens: string[];
  principal: Principal;
}

async function insertChunked<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  // 200 rows × ≤ 20 columns stays under SQLite's bound-parameter limit.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 200))
        .execute();
  });
}

export async function loadContractData(
  services: Services,
  options: { tickets: number; entries: number; agents: number; seed: number },
): Promise<ContractData> {
  const db = services.db.kysely;
  const { accountId, userId } = await services.agents.createAccount({
    accountName: 'Bench Contracts',
    name: 'Bench Admin',
    email: `admin-${newId()}@bench.example`,
    password: 'bench horse battery staple',
  });
  const principal: Principal = {
    accountId,
    type: 'user',
    userId,
    name: 'Bench Admin',
    permissions: new Set(PERMISSIONS),
    scope: ALL,
    locale: 'en',
  };
  const admin = await db
    .selectFrom('users')
    .select('role_id')
    .where('account_id', '=', accountId)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const agentIds = [userId];
  const users = [];
  for (let i = 1; i < options.agents; i++) {
    const id = newId();
    agentIds.push(id);
    users.push({
      account_id: accountId,
      id,
      email: `agent${i}@bench.example`,
      name: `Agent ${i}`,
      password_hash: null,
      role_id: admin.role_id,
      locale: 'en',
      status: 'active',
      created_at: now,
      updated_at: now,
    });
  }
  if (users.length) await insertChunked(db, 'users', users);
  const tokens = [];
  for (const id of agentIds)
    tokens.push((await services.agents.createToken(accountId, id, 'bench')).token);

  const organization = await services.organizations.create(principal, { name: 'Bench AS' });
  const contact = await services.customers.create(
    principal,
    {
      firstName: 'Kari',
      lastName: 'Kontakt',
      email: 'kari@bench-as.example',
      organizationId: organization.id,
    },
    'agent',
  );
  const contract = await services.contracts.create(principal, organization.id, {
    description: 'Bench support',
    customerContactId: contact.id,
    supportContactId: userId,
    hasHourRestriction: true,
    contractHours: 100_000,
    hoursNotificationThreshold: 99_000,
  });

  const rng = rngFor(options.seed ^ 0xc0de, 0);
  const ticketIds: string[] = [];
  const perTicket = Math.ceil(options.entries / options.tickets);
  let entriesLeft = options.entries;
  let usedMinutes = 0;
  for (let start = 0; start <= options.tickets; start += 1000) {
    const tickets = [];
    const entries = [];
    // One ticket more than asked for: the logging run's, with no entries.
    for (let n = start; n < Math.min(options.tickets + 1, start + 1000); n++) {
      const id = newId();
      ticketIds.push(id);
      tickets.push({
        account_id: accountId,
        id,
        number: n + 1,
        subject: `Contract ticket ${n + 1}`,
        status: n % 3 === 0 ? 'closed' : 'open',
        channel: 'email',
        requester_id: contact.id,
        organization_id: organization.id,
        assignee_id: null,
        team_id: null,
        contract_id: contract.id,
        message_count: 1,
        last_message_at: now,
        created_at: now,
        updated_at: now,
      });
      if (n === options.tickets) continue;
      for (let k = 0; k < perTicket && entriesLeft > 0; k++, entriesLeft--) {
        const minutes = 1 + Math.floor(rng() * 60);
        usedMinutes += minutes;
        const day = 1 + Math.floor(rng() * 28);
        const month = 1 + Math.floor(rng() * 12);
        entries.push({
          account_id: accountId,
          id: newId(),
          ticket_id: id,
          contract_id: contract.id,
          user_id: agentIds[Math.floor(rng() * agentIds.length)] ?? userId,
          minutes,
          work_date: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
          note: `Work ${k} on ticket ${n + 1}`,
          over_limit_confirmed: 0,
          created_by: userId,
          created_at: now,
          updated_at: now,
        });
      }
    }
    await insertChunked(db, 'tickets', tickets);
    await insertChunked(db, 'time_entries', entries);
  }
  await db
    .updateTable('contracts')
    .set({ used_minutes: usedMinutes })
    .where('account_id', '=', accountId)
    .where('id', '=', contract.id)
    .execute();
  await sql`analyze`.execute(db);
  const loggingTicketId = ticketIds.pop() as string;
  return { accountId, contractId: contract.id, ticketIds, loggingTicketId, tokens, principal };
}
