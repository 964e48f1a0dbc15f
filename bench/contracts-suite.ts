// `npm run bench -- --suite contracts` (issue 12 item 8): for an organization whose contract has
// BENCH_CONTRACT_TICKETS tickets (10,000) and BENCH_CONTRACT_ENTRIES time entries (100,000),
// the contract page's requests and a ticket's time panel over HTTP (p50/p99, one keep-alive
// connection), each beside the same SQL run raw (captured from the services); then time entries
// logged per second on one contract by BENCH_CONTRACT_AGENTS agents at once (20), beside the
// same transaction run raw with the same concurrency.
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { contractTimeQuerySchema } from '../common/contract.ts';
import { pageQuerySchema } from '../common/paging.ts';
import type { Dialect } from '../server/db/connect.ts';
import { SQLITE_PRAGMAS } from '../server/db/connect.ts';
import { newId } from '../server/db/ids.ts';
import { createServices, type Services } from '../server/services.ts';
import { closeRecorders, recordQueries, type RawQuery } from './capture.ts';
import { loadContractData, type ContractData } from './contracts-data.ts';
import { dropDatabase, freshDatabase, type Place } from './fresh-db.ts';
import { Client, startServer, stats } from './http.ts';
import { rawPostgres, rawSqlite, type RawEngine } from './raw.ts';
import type { Measure } from './suite.ts';

export interface ContractsOptions extends Place {
  tickets: number;
  entries: number;
  agents: number;
  requests: number;
  seconds: number;
  seed: number;
  logLevel: string;
  log: (message: string) => void;
}

export interface ContractsResult {
  engine: Dialect;
  tickets: number;
  entries: number;
  measures: Measure[];
  logging: { agents: number; entries: number; failed: number; hoursUsedMatches: boolean };
}

interface Case {
  path: string;
  queries: RawQuery[];
}

async function timeCases(client: Client, raw: RawEngine, cases: Case[], name: string) {
  for (const c of cases.slice(0, 20)) await client.get(c.path);
  for (const c of cases.slice(0, 20)) await raw.time(c.queries);
  const api: number[] = [];
  for (const c of cases) {
    const response = await client.get(c.path);
    if (response.status !== 200)
      throw new Error(`GET ${c.path}: ${response.status} ${response.body}`);
    api.push(response.ms);
  }
  const rawMs: number[] = [];
  for (const c of cases) rawMs.push((await raw.time(c.queries)).ms);
  const a = stats(api);
  const r = stats(rawMs);
  return (['p50', 'p99'] as const).map((p): Measure => ({
    name: `${name} ${p}`,
    unit: 'ms',
    api: a[p],
    raw: r[p],
    ratio: a[p] / r[p],
  }));
}

/** One time entry the way the service writes it, on the raw engine: reads, lock, two inserts, counter. */
function rawLogger(dialect: Dialect, target: string, data: ContractData, ticketId: string) {
  const { accountId, contractId } = data;
  const entry = (userId: string) => {
    const now = new Date().toISOString();
    return [
      accountId,
      newId(),
      ticketId,
      contractId,
      userId,
      1,
      now.slice(0, 10),
      null,
      0,
      userId,
      now,
      now,
    ];
  };
  const insertEntry =
    'insert into time_entries (account_id, id, ticket_id, contract_id, user_id, minutes, work_date, note, over_limit_confirmed, created_by, created_at, updated_at) values ';
  const insertAudit =
    'insert into time_entry_audit (account_id, id, time_entry_id, ticket_id, action, actor_type, actor_id, changes, created_at) values ';
  if (dialect === 'sqlite') {
    const db = new SQLite(target.replace(/^sqlite:/, ''));
    for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
    const ticket = db.prepare('select * from tickets where account_id = ? and id = ?');
    const user = db.prepare('select id from users where account_id = ? and id = ?');
    const lock = db.prepare(
      'update contracts set used_minutes = used_minutes where account_id = ? and id = ?',
    );
    const contract = db.prepare('select * from contracts where account_id = ? and id = ?');
    const add = db.prepare(`${insertEntry}(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const audit = db.prepare(`${insertAudit}(?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const move = db.prepare(
      'update contracts set used_minutes = ?, threshold_notified = ? where account_id = ? and id = ?',
    );
    const once = db.transaction((userId: string) => {
      ticket.get(accountId, ticketId);
      user.get(accountId, userId);
      lock.run(accountId, contractId);
      const row = contract.get(accountId, contractId) as { used_minutes: number };
      const values = entry(userId);
      add.run(values);
      audit.run(
        accountId,
        newId(),
        values[1],
        ticketId,
        'created',
        'user',
        userId,
        '{"minutes":{"from":null,"to":1}}',
        values[10],
      );
      move.run(row.used_minutes + 1, 0, accountId, contractId);
    });
    return {
      run: (userId: string) => Promise.resolve(once.immediate(userId)),
      close: () => Promise.resolve(db.close()),
    };
  }
  // The app's pool size (openPostgres's default).
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  return {
    run: async (userId: string) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select * from tickets where account_id = $1 and id = $2', [
          accountId,
          ticketId,
        ]);
        await client.query('select id from users where account_id = $1 and id = $2', [
          accountId,
          userId,
        ]);
        const locked = await client.query<{ used_minutes: number }>(
          'select * from contracts where account_id = $1 and id = $2 for update',
          [accountId, contractId],
        );
        const values = entry(userId);
        await client.query(
          `${insertEntry}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          values,
        );
        await client.query(`${insertAudit}($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
          accountId,
          newId(),
          values[1],
          ticketId,
          'created',
          'user',
          userId,
          '{"minutes":{"from":null,"to":1}}',
          values[10],
        ]);
        await client.query(
          'update contracts set used_minutes = $1, threshold_notified = $2 where account_id = $3 and id = $4',
          [Number(locked.rows[0]?.used_minutes ?? 0) + 1, 0, accountId, contractId],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** `agents` workers, each logging one-minute entries one after another for `seconds`. */
async function concurrently(
  agents: number,
  seconds: number,
  once: (agent: number) => Promise<boolean>,
) {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: agents }, async (_, agent) => {
      while (performance.now() < end) {
        if (await once(agent)) done += 1;
        else failed += 1;
      }
    }),
  );
  return { done, failed, perSecond: (done * 1000) / (performance.now() - start) };
}

async function logging(
  services: Services,
  target: string,
  dialect: Dialect,
  port: number,
  data: ContractData,
  options: ContractsOptions,
) {
  const db = services.db.kysely;
  const before = await services.contracts.get(data.principal, data.contractId);
  const api = await concurrently(options.agents, options.seconds, async (agent) => {
    const response = await fetch(
      `http://127.0.0.1:${port}/api/v1/tickets/${data.loggingTicketId}/time-entries`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${data.tokens[agent % data.tokens.length] ?? ''}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ minutes: 1, workDate: '2026-12-01' }),
      },
    );
    await response.arrayBuffer();
    return response.status === 201;
  });
  const after = await services.contracts.get(data.principal, data.contractId);
  const hoursUsedMatches = Math.abs(after.hoursUsed - before.hoursUsed - api.done / 60) < 0.02;
  const agentIds = (
    await db.selectFrom('users').select('id').where('account_id', '=', data.accountId).execute()
  ).map((u) => u.id);
  const raw = rawLogger(dialect, target, data, data.loggingTicketId);
  const rawRun = await concurrently(options.agents, options.seconds, async (agent) => {
    await raw.run(agentIds[agent % agentIds.length] ?? '');
    return true;
  });
  await raw.close();
  return {
    measure: {
      name: `time entries logged/s, ${options.agents} agents on one contract`,
      unit: 'req/s' as const,
      api: api.perSecond,
      raw: rawRun.perSecond,
      ratio: api.perSecond / rawRun.perSecond,
    },
    logging: { agents: options.agents, entries: api.done, failed: api.failed, hoursUsedMatches },
  };
}

export async function runContracts(
  engine: Dialect,
  options: ContractsOptions,
): Promise<ContractsResult> {
  const fresh = await freshDatabase(engine, options, 'kunde_bench_contracts');
  const db = fresh.open(10);
  const target = fresh.url ?? `sqlite:${fresh.file ?? ''}`;
  const services = createServices(db, { dataDir: fresh.dataDir });
  options.log(`contracts ${engine}: ${options.tickets} tickets, ${options.entries} time entries`);
  const data = await loadContractData(services, { ...options });
  const raw =
    engine === 'postgres' ? rawPostgres(target) : rawSqlite(target.replace(/^sqlite:/, ''));
  const server = await startServer(target, options.logLevel);
  const client = new Client(server.port, data.tokens[0] ?? '');
  try {
    const capture = (work: (s: Services) => Promise<unknown>) =>
      recordQueries(target, engine, (recording) => work(createServices(recording)));
    const p = data.principal;
    const id = data.contractId;
    const repeat = (c: Case) => Array.from({ length: options.requests }, () => c);
    const measures: Measure[] = [];
    options.log(`contracts ${engine}: contract page, ${options.requests} requests each`);
    measures.push(
      ...(await timeCases(
        client,
        raw,
        repeat({
          path: `/api/v1/contracts/${id}`,
          queries: await capture((s) => s.contracts.get(p, id)),
        }),
        'contract',
      )),
      ...(await timeCases(
        client,
        raw,
        repeat({
          path: `/api/v1/contracts/${id}/tickets?limit=25`,
          queries: await capture((s) =>
            s.contractReports.tickets(p, id, pageQuerySchema.parse({ limit: '25' })),
          ),
        }),
        'contract tickets page',
      )),
      ...(await timeCases(
        client,
        raw,
        repeat({
          path: `/api/v1/contracts/${id}/time-entries?limit=50`,
          queries: await capture((s) =>
            s.contractReports.timeEntries(p, id, contractTimeQuerySchema.parse({ limit: '50' })),
          ),
        }),
        'contract time entries page',
      )),
      ...(await timeCases(
        client,
        raw,
        repeat({
          path: `/api/v1/contracts/${id}/time-entries?month=2026-06&limit=50`,
          queries: await capture((s) =>
            s.contractReports.timeEntries(
              p,
              id,
              contractTimeQuerySchema.parse({ month: '2026-06', limit: '50' }),
            ),
          ),
        }),
        'contract time entries, one month',
      )),
    );
    options.log(`contracts ${engine}: ticket time panels`);
    const panels: Case[] = [];
    for (let k = 0; k < Math.min(50, data.ticketIds.length); k++) {
      const ticketId = data.ticketIds[Math.floor((k * data.ticketIds.length) / 50)] as string;
      panels.push({
        path: `/api/v1/tickets/${ticketId}/time-entries`,
        queries: await capture((s) => s.timeEntries.forTicket(p, ticketId)),
      });
    }
    const cycle = Array.from(
      { length: options.requests },
      (_, k) => panels[k % panels.length] as Case,
    );
    measures.push(...(await timeCases(client, raw, cycle, 'ticket time panel')));
    options.log(`contracts ${engine}: logging, ${options.agents} agents, ${options.seconds} s`);
    const logged = await logging(services, target, engine, server.port, data, options);
    measures.push(logged.measure);
    return {
      engine,
      tickets: options.tickets,
      entries: options.entries,
      measures,
      logging: logged.logging,
    };
  } finally {
    client.close();
    await server.stop();
    await raw.close();
    await closeRecorders();
    await db.close();
    await dropDatabase(options, fresh);
  }
}

export function formatContracts(results: ContractsResult[]): string {
  const lines = ['| engine | measure | API | raw | API / raw |', '| --- | --- | --- | --- | --- |'];
  for (const r of results) {
    for (const m of r.measures)
      lines.push(
        `| ${r.engine} | ${m.name} | ${m.api.toFixed(2)} ${m.unit} | ${m.raw.toFixed(2)} ${m.unit} | ${m.ratio.toFixed(2)}x |`,
      );
    lines.push(
      `| ${r.engine} | logging: ${r.logging.entries} entries, ${r.logging.failed} failed, hours used ${r.logging.hoursUsedMatches ? 'match' : 'DO NOT match'} | | | |`,
    );
  }
  return lines.join('\n');
}
