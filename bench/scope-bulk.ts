// The scope suite's bulk load into its copy of the customers: every customer placed in its
// organization (scope-data.ts) and BENCH_SCOPE_TICKETS tickets, each of its requester's
// organization. SQLite: prepared statements, one transaction per batch. PostgreSQL: the
// secondary indexes of both tables dropped, the customers updated from unnest() batches, the
// tickets in one COPY, then VACUUM FULL (the update leaves every placed row's old version behind)
// and the indexes rebuilt from their own definitions. Each step's time goes to the log.
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { rngFor } from './data.ts';
import { progress, type Log } from './prepare.ts';
import { organizationIdAt, organizationIndexer, ticketAt, type ScopeLayout } from './scope-data.ts';

const BATCH = 50_000;

const TICKET_COLUMNS = [
  'account_id',
  'id',
  'number',
  'subject',
  'status',
  'channel',
  'requester_id',
  'organization_id',
  'assignee_id',
  'team_id',
  'message_count',
  'last_message_at',
  'created_at',
  'updated_at',
] as const;

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Ticket t's row, in TICKET_COLUMNS order; `ids[n]` is customer number n's id. */
function ticketRow(
  layout: ScopeLayout,
  accountId: string,
  t: number,
  ids: readonly string[],
  organizationOf: (n: number) => number | null,
  generalTeams: readonly string[],
): (string | number | null)[] {
  const ticket = ticketAt(layout, t);
  const rng = rngFor(layout.seed ^ 0x1d5, t);
  const random = new Uint8Array(16);
  for (let b = 0; b < 16; b++) random[b] = Math.floor(rng() * 256);
  const index = organizationOf(ticket.requester);
  return [
    accountId,
    uuidv7({ msecs: Date.parse(ticket.createdAt), random }),
    ticket.number,
    `Bench ticket ${ticket.number}`,
    ticket.status,
    ticket.channel,
    ids[ticket.requester] ?? '',
    index === null ? null : organizationIdAt(layout.seed, index),
    null,
    ticket.team === null ? null : (generalTeams[ticket.team] ?? null),
    1,
    ticket.createdAt,
    ticket.createdAt,
    ticket.createdAt,
  ];
}

function organizationIds(layout: ScopeLayout): string[] {
  return Array.from({ length: layout.organizations }, (_, k) => organizationIdAt(layout.seed, k));
}

export function bulkSqlite(
  file: string,
  accountId: string,
  layout: ScopeLayout,
  generalTeams: readonly string[],
  log: Log,
): void {
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    db.pragma('temp_store = MEMORY');
    const organizationOf = organizationIndexer(layout);
    const orgIds = organizationIds(layout);
    let started = performance.now();
    const place = db.prepare(
      'update customers set organization_id = ? where account_id = ? and number = ?',
    );
    const placeBatch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const index = organizationOf(n);
        if (index !== null) place.run(orgIds[index], accountId, n);
      }
    });
    for (let from = 1; from <= layout.customers; from += BATCH)
      placeBatch(from, Math.min(layout.customers + 1, from + BATCH));
    log(`scope sqlite: customers placed in organizations in ${seconds(started)}`);

    const ids: string[] = [];
    const all = db
      .prepare('select number, id from customers where account_id = ?')
      .raw()
      .iterate(accountId) as IterableIterator<[number, string]>;
    for (const [number, id] of all) ids[number] = id;
    started = performance.now();
    const insert = db.prepare(
      `insert into tickets (${TICKET_COLUMNS.join(', ')}) values (${TICKET_COLUMNS.map(() => '?').join(', ')})`,
    );
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let t = from; t < to; t++)
        insert.run(ticketRow(layout, accountId, t, ids, organizationOf, generalTeams));
    });
    for (let from = 0; from < layout.tickets; from += BATCH) {
      const to = Math.min(layout.tickets, from + BATCH);
      insertBatch(from, to);
      if (to % (BATCH * 10) === 0 || to === layout.tickets)
        progress(log, 'scope sqlite: tickets', to, layout.tickets, started);
    }
    db.prepare(
      `insert into counters (account_id, name, value) values (?, 'ticket', ?)
       on conflict (account_id, name) do update set value = excluded.value`,
    ).run(accountId, layout.tickets);
    started = performance.now();
    db.exec('analyze');
    db.pragma('wal_checkpoint(TRUNCATE)');
    log(`scope sqlite: analyze in ${seconds(started)}`);
  } finally {
    db.close();
  }
}

/** COPY's text format: tab-separated, \N for null (the generated values hold no tab or newline). */
function* copyLines(
  layout: ScopeLayout,
  accountId: string,
  ids: readonly string[],
  organizationOf: (n: number) => number | null,
  generalTeams: readonly string[],
  log: Log,
): Generator<string> {
  const started = performance.now();
  for (let from = 0; from < layout.tickets; from += 10_000) {
    const to = Math.min(layout.tickets, from + 10_000);
    const lines: string[] = [];
    for (let t = from; t < to; t++)
      lines.push(
        ticketRow(layout, accountId, t, ids, organizationOf, generalTeams)
          .map((v) => (v === null ? '\\N' : String(v)))
          .join('\t'),
      );
    yield `${lines.join('\n')}\n`;
    if (to % (BATCH * 10) === 0 || to === layout.tickets)
      progress(log, 'scope postgres: tickets', to, layout.tickets, started);
  }
}

export async function bulkPostgres(
  client: pg.Client,
  accountId: string,
  layout: ScopeLayout,
  generalTeams: readonly string[],
  log: Log,
): Promise<void> {
  await client.query(`set maintenance_work_mem = '1GB'`);
  const indexes = await client.query<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes
     where schemaname = current_schema() and tablename in ('customers', 'tickets')
       and indexname not in (select conname from pg_constraint)`,
  );
  for (const index of indexes.rows) await client.query(`drop index ${index.name}`);
  const organizationOf = organizationIndexer(layout);
  const orgIds = organizationIds(layout);
  let started = performance.now();
  for (let from = 1; from <= layout.customers; from += BATCH) {
    const numbers: number[] = [];
    const orgs: string[] = [];
    for (let n = from; n < Math.min(layout.customers + 1, from + BATCH); n++) {
      const index = organizationOf(n);
      if (index === null) continue;
      numbers.push(n);
      orgs.push(orgIds[index] ?? '');
    }
    await client.query(
      `update customers c set organization_id = v.org
       from unnest($1::bigint[], $2::text[]) as v(n, org)
       where c.account_id = $3 and c.number = v.n`,
      [numbers, orgs, accountId],
    );
  }
  log(`scope postgres: customers placed in organizations in ${seconds(started)}`);
  started = performance.now();
  await client.query('vacuum full customers');
  log(`scope postgres: vacuum full customers in ${seconds(started)}`);

  const ids: string[] = [];
  const all = await client.query<{ number: string; id: string }>(
    'select number, id from customers where account_id = $1',
    [accountId],
  );
  for (const row of all.rows) ids[Number(row.number)] = row.id;
  all.rows.length = 0;
  started = performance.now();
  const copy = client.query(copyFrom(`copy tickets (${TICKET_COLUMNS.join(', ')}) from stdin`));
  await pipeline(
    Readable.from(copyLines(layout, accountId, ids, organizationOf, generalTeams, log)),
    copy,
  );
  log(
    `scope postgres: ${layout.tickets.toLocaleString('en')} tickets copied in ${seconds(started)}`,
  );
  await client.query(
    `insert into counters (account_id, name, value) values ($1, 'ticket', $2)
     on conflict (account_id, name) do update set value = excluded.value`,
    [accountId, layout.tickets],
  );
  for (const index of indexes.rows) {
    started = performance.now();
    await client.query(index.definition);
    log(`scope postgres: index ${index.name} in ${seconds(started)}`);
  }
  started = performance.now();
  await client.query('vacuum analyze customers, tickets, organizations, counters');
  log(`scope postgres: vacuum analyze in ${seconds(started)}`);
}
