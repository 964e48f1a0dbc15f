// The PostgreSQL bench database: a database of its own (kunde_bench) on the given server,
// migrated and given its account by the app, then filled with INSERT … SELECT FROM unnest()
// batches. Secondary indexes are dropped for the load and rebuilt from their own definitions,
// then VACUUM ANALYZE. A finished load records itself in the database comment and is reused.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgres } from '../server/db/connect.ts';
import {
  DATA_VERSION,
  benchLogin,
  createBenchAccount,
  generateBatch,
  metaMatches,
  progress,
  type LoadMeta,
  type Log,
  type PreparedDatabase,
  CUSTOMER_COLUMNS,
  type CustomerColumn,
} from './prepare.ts';

const BATCH = 10_000;

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function preparePostgres(
  serverUrl: string,
  name: string,
  customers: number,
  seed: number,
  log: Log,
): Promise<PreparedDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const url = databaseUrl(serverUrl, name);
  const comment = await withClient(serverUrl, async (client) => {
    const found = await client.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [name],
    );
    return found.rows[0] ? (found.rows[0].comment ?? '') : undefined;
  });
  if (comment !== undefined) {
    let meta: unknown;
    try {
      meta = JSON.parse(comment) as unknown;
    } catch {
      meta = undefined;
    }
    if (metaMatches(meta, customers, seed)) {
      const db = openPostgres(url, 2);
      const login = await benchLogin(db).finally(() => db.close());
      if (login) {
        log(`postgres: reusing database ${name}`);
        return { target: url, ...login, generation: { seconds: meta.seconds, reused: true } };
      }
    }
  }

  await withClient(serverUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  const db = openPostgres(url, 2);
  const login = await createBenchAccount(db).finally(() => db.close());

  const started = performance.now();
  await withClient(url, (client) => loadCustomers(client, login.accountId, customers, seed, log));
  const seconds = (performance.now() - started) / 1000;
  const meta: LoadMeta = { version: DATA_VERSION, customers, seed, seconds };
  await withClient(url, (client) =>
    client.query(`comment on database ${name} is ${client.escapeLiteral(JSON.stringify(meta))}`),
  );
  log(`postgres: ${customers.toLocaleString('en')} customers in ${seconds.toFixed(1)} s`);
  return { target: url, ...login, generation: { seconds, reused: false } };
}

const PG_TYPES: Record<CustomerColumn, string> = {
  account_id: 'text',
  id: 'text',
  number: 'bigint',
  first_name: 'text',
  last_name: 'text',
  email: 'text',
  phone: 'text',
  custom_attributes: 'jsonb',
  status: 'text',
  created_via: 'text',
  search_text: 'text',
  last_activity_at: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  version: 'int',
  organization_id: 'text',
  type_id: 'text',
  email_domain: 'text',
};

/** INSERT … SELECT FROM unnest(): one array parameter per column the migrated table has. */
function insertCustomersSql(columns: readonly CustomerColumn[]): string {
  const arrays = columns.map((column, k) => `$${k + 1}::${PG_TYPES[column]}[]`);
  return `insert into customers (${columns.join(', ')}) select * from unnest(${arrays.join(', ')})`;
}

const INSERT_IDENTITIES = `
  insert into customer_identities (account_id, kind, value, customer_id, created_at)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])`;

function batchParameters(
  columns: readonly CustomerColumn[],
  batch: ReturnType<typeof generateBatch>,
): { customers: unknown[][]; identities: unknown[][] } {
  const identities = batch.flatMap((c) =>
    c.identities.map((i) => [c.row.account_id, i.kind, i.value, c.row.id, c.row.created_at]),
  );
  return {
    customers: columns.map((column) => batch.map((c) => c.row[column])),
    identities: [0, 1, 2, 3, 4].map((k) => identities.map((identity) => identity[k])),
  };
}

async function loadCustomers(
  client: pg.Client,
  accountId: string,
  customers: number,
  seed: number,
  log: Log,
) {
  await client.query(`set maintenance_work_mem = '1GB'`);
  // Secondary indexes (not the keys) go for the load and come back from their own definitions.
  const indexes = await client.query<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes
     where schemaname = current_schema() and tablename in ('customers', 'customer_identities')
       and indexname not in (select conname from pg_constraint)`,
  );
  for (const index of indexes.rows) await client.query(`drop index ${index.name}`);
  const present = await client.query<{ name: string }>(
    `select column_name as name from information_schema.columns
     where table_schema = current_schema() and table_name = 'customers'`,
  );
  const names = new Set(present.rows.map((row) => row.name));
  const columns = CUSTOMER_COLUMNS.filter((column) => names.has(column));
  const insertCustomers = insertCustomersSql(columns);

  const started = performance.now();
  let pending: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < customers; from += BATCH) {
    const to = Math.min(customers, from + BATCH);
    // Generated while the last batch loads.
    const parameters = batchParameters(
      columns,
      generateBatch(seed, from, to, customers, accountId),
    );
    await pending;
    pending = client
      .query(insertCustomers, parameters.customers)
      .then(() => client.query(INSERT_IDENTITIES, parameters.identities));
    if (to % (BATCH * 20) === 0 || to === customers)
      progress(log, 'postgres: customers', to, customers, started);
  }
  await pending;
  await client.query(
    `insert into counters (account_id, name, value) values ($1, 'customer', $2)
     on conflict (account_id, name) do update set value = excluded.value`,
    [accountId, customers],
  );
  for (const index of indexes.rows) {
    const indexStarted = performance.now();
    await client.query(index.definition);
    log(
      `postgres: index ${index.name} in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`,
    );
  }
  await client.query('vacuum analyze customers, customer_identities, counters');
}
