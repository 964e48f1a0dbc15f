// The 'hub-list' suite (issue 14, item 8): a Hub customer granted their organization, which has
// BENCH_HUB_TICKETS (10,000) tickets; p50/p99 of GET /api/hub/v1/tickets?view=organization (the
// first page, and a search) over HTTP, beside the repository's own SQL run straight on the
// engine (the page query and its count, as the service runs them), as a ratio.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { systemPrincipal } from '../server/agents/principal.ts';
import { buildApp } from '../server/http/app.ts';
import { createServices } from '../server/services.ts';
import { findAccount, updateAccountSettings } from '../server/accounts/account.repository.ts';
import type { Dialect } from '../server/db/connect.ts';
import { newId, nowIso } from '../server/db/ids.ts';
import { startHubSession } from '../server/hub/hub-principal.ts';
import { countHubTickets, listHubTicketRows } from '../server/hub/hub-ticket.repository.ts';
import { freshDatabase, type Place } from './fresh-db.ts';
import { stats, type Stats } from './http.ts';

export interface HubListOptions extends Place {
  tickets: number;
  requests: number;
  log: (message: string) => void;
}

export interface HubListMeasure {
  name: string;
  api: Stats;
  raw: Stats;
  /** api p50 / raw p50 */
  ratio: number;
}

export interface HubListResult {
  dialect: Dialect;
  tickets: number;
  measures: HubListMeasure[];
}

const WORDS = ['printer', 'invoice', 'vpn', 'laptop', 'password', 'wifi', 'phone', 'email'];

export async function runHubList(
  dialect: Dialect,
  options: HubListOptions,
): Promise<HubListResult> {
  const fresh = await freshDatabase(dialect, options, 'kunde_bench_hub_list');
  const db = fresh.open(10);
  const services = createServices(db, { dataDir: fresh.dataDir });
  const app = await buildApp({ services, logLevel: 'warn' });
  try {
    const { accountId } = await services.agents.createAccount({
      accountName: 'Hub bench',
      name: 'Bench Admin',
      email: 'admin@hub-bench.example',
      password: 'hub bench horse battery',
    });
    const account = await findAccount(db.kysely, accountId);
    if (!account) throw new Error('no account');
    await updateAccountSettings(db.kysely, accountId, {
      ...account.settings,
      hub: { ...account.settings.hub, enabled: true },
    });
    const organizationId = newId();
    const now = nowIso();
    await db.kysely
      .insertInto('organizations')
      .values({
        account_id: accountId,
        id: organizationId,
        name: 'Fjord AS',
        name_key: 'fjord as',
        notes: null,
        custom_fields: '{}',
        auto_created: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const customer = await services.customers.create(
      systemPrincipal(accountId),
      {
        firstName: 'Kari',
        lastName: 'Bench',
        email: 'kari@fjord.example',
        organizationId,
      },
      'api',
    );
    await db.kysely
      .insertInto('hub_organization_grants')
      .values({
        account_id: accountId,
        customer_id: customer.id,
        organization_id: organizationId,
        created_at: now,
        created_by: null,
      })
      .execute();
    options.log(`hub-list ${dialect}: inserting ${options.tickets} tickets`);
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let from = 0; from < options.tickets; from += 500) {
      const rows = [];
      for (let i = from; i < Math.min(options.tickets, from + 500); i++) {
        const at = new Date(start + i * 60_000).toISOString();
        rows.push({
          account_id: accountId,
          id: newId(),
          number: i + 1,
          subject: `${WORDS[i % WORDS.length] ?? 'x'} trouble number ${i}`,
          status: ['open', 'pending', 'resolved', 'closed', 'error'][i % 5] ?? 'open',
          channel: 'hub',
          requester_id: customer.id,
          organization_id: organizationId,
          assignee_id: null,
          team_id: null,
          location_id: null,
          area_id: null,
          contract_id: null,
          message_count: 1,
          last_message_at: at,
          created_at: at,
          updated_at: at,
        });
      }
      await db.kysely.insertInto('tickets').values(rows).execute();
    }
    // Planner statistics for the new rows, as a long-running database has them.
    if (dialect === 'postgres') await sql`analyze tickets`.execute(db.kysely);
    const cookie = await startHubSession(db.kysely, accountId, customer.id);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const measures: HubListMeasure[] = [];
    for (const [name, q] of [
      ['first page', undefined],
      ['search', 'printer trouble'],
    ] as const) {
      const api: number[] = [];
      const raw: number[] = [];
      const query = `view=organization${q ? `&q=${encodeURIComponent(q)}` : ''}`;
      for (let i = 0; i < options.requests; i++) {
        const t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/api/hub/v1/tickets?${query}`, {
          headers: { cookie: `kunde_hub=${cookie}` },
        });
        const body = (await response.json()) as { total: number };
        api.push(performance.now() - t0);
        if (response.status !== 200 || body.total < 1)
          throw new Error(`answered ${response.status}`);
        const filter = { organizationIds: [organizationId], words: q ? q.split(' ') : [] };
        const t1 = performance.now();
        await Promise.all([
          listHubTicketRows(db.kysely, accountId, filter, undefined, 26),
          countHubTickets(db.kysely, accountId, filter),
        ]);
        raw.push(performance.now() - t1);
      }
      const a = stats(api);
      const r = stats(raw);
      measures.push({ name, api: a, raw: r, ratio: r.p50 > 0 ? a.p50 / r.p50 : 0 });
      options.log(
        `hub-list ${dialect} ${name}: API p50 ${a.p50.toFixed(2)} ms p99 ${a.p99.toFixed(2)} ms; ` +
          `SQL p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms; ratio ${(a.p50 / r.p50).toFixed(1)}`,
      );
    }
    return { dialect, tickets: options.tickets, measures };
  } finally {
    await app.close();
    await db.close();
  }
}

export function formatHubList(results: HubListResult[]): string {
  const lines = ['Hub ticket list (organization of N tickets): API over HTTP vs the SQL alone'];
  for (const r of results)
    for (const m of r.measures)
      lines.push(
        `  ${r.dialect.padEnd(8)} ${m.name.padEnd(11)} API p50 ${m.api.p50.toFixed(2)} / p99 ` +
          `${m.api.p99.toFixed(2)} ms   SQL p50 ${m.raw.p50.toFixed(2)} / p99 ${m.raw.p99.toFixed(2)} ms   ` +
          `x${m.ratio.toFixed(1)}   (${r.tickets} tickets)`,
      );
  return lines.join('\n');
}
