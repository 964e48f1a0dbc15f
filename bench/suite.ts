// The measures for one engine: each API figure beside the raw engine figure for the same SQL
// (captured from CustomerService itself), measured in the same run, with the ratio API / raw.
import { customerListQuerySchema } from '../common/customer.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import type { Dialect } from '../server/db/connect.ts';
import { encodeCursor } from '../server/paging.ts';
import { createServices } from '../server/services.ts';
import { captureQueries, rebind, recordQueries, type RawQuery } from './capture.ts';
import { COUNT_CAP } from '../server/customers/customer.service.ts';
import { rngFor, searchQueries, type QueryKind } from './data.ts';
import { load, stats, type Client, type Stats } from './http.ts';
import type { RawEngine } from './raw.ts';

export interface SuiteOptions {
  customers: number;
  seed: number;
  searches: number;
  listRequests: number;
  seconds: number;
  connections: number;
}

export interface Measure {
  name: string;
  unit: 'ms' | 'req/s';
  api: number;
  raw: number;
  /** api / raw: for latency how many times slower the API is, for throughput the share it keeps. */
  ratio: number;
}

export interface SuiteContext {
  dialect: Dialect;
  /** The database the bench runs on (sqlite:<file> or a PostgreSQL URL). */
  target: string;
  accountId: string;
  port: number;
  token: string;
  client: Client;
  raw: RawEngine;
  log: (message: string) => void;
}

/** One request pattern: its API paths and, for each, the SQL the service runs for it. */
interface Case {
  path: string;
  queries: RawQuery[];
  kind?: QueryKind;
}

export interface ListTiming {
  api: Stats;
  raw: Stats;
  /** The raw figure split: the page query alone, the count(*) alone. */
  rawPageOnly: Stats;
  rawCountOnly: Stats;
  /** Requests whose `total` differed from the raw count (should be 0). */
  mismatches: number;
}

async function capturedList(
  target: string,
  dialect: Dialect,
  accountId: string,
  query: Record<string, string>,
): Promise<RawQuery[]> {
  const parsed = customerListQuerySchema.parse(query);
  return recordQueries(target, dialect, (db) =>
    createServices(db).customers.list(systemPrincipal(accountId), parsed),
  );
}

async function listCase(
  ctx: SuiteContext,
  query: Record<string, string>,
  kind?: QueryKind,
): Promise<Case> {
  const queries = await capturedList(ctx.target, ctx.dialect, ctx.accountId, query);
  if (!queries.some((q) => /from "customers"/.test(q.sql))) {
    throw new Error(`expected the customer page query among ${queries.length} queries`);
  }
  return { path: `/api/v1/customers?${new URLSearchParams(query).toString()}`, queries, kind };
}

const isTotal = (q: RawQuery) => /\bcount\(|from "counters"/i.test(q.sql);

/** The total the raw queries give (a capped count or a kept counter), as the API would report it. */
function totalOf(queries: readonly RawQuery[], rows: unknown[][]): number | undefined {
  let total: number | undefined;
  queries.forEach((q, k) => {
    if (!isTotal(q)) return;
    const row = rows[k]?.[0] as { count?: unknown; value?: unknown } | undefined;
    // A count stops past COUNT_CAP (the API then says 10,000 and totalCapped); a counter is exact.
    const value =
      row?.count !== undefined ? Math.min(Number(row.count), COUNT_CAP) : Number(row?.value);
    total = (total ?? 0) + value;
  });
  return total;
}

/** Times every case through the API (sequentially, one connection), then raw the same way. */
async function timeCases(
  ctx: SuiteContext,
  cases: readonly Case[],
): Promise<ListTiming & { perCase: { api: number; raw: number }[] }> {
  // Warm-up: the server's JIT and both sides' caches (the data fits in memory; both run hot).
  for (const c of cases.slice(0, 50)) await ctx.client.get(c.path);
  for (const c of cases.slice(0, 50)) await ctx.raw.time(c.queries);
  const api: number[] = [];
  const totals: number[] = [];
  for (const c of cases) {
    const response = await ctx.client.get(c.path);
    if (response.status !== 200)
      throw new Error(`GET ${c.path}: ${response.status} ${response.body}`);
    api.push(response.ms);
    totals.push((JSON.parse(response.body) as { total: number }).total);
  }
  const raw: number[] = [];
  let mismatches = 0;
  for (const [k, c] of cases.entries()) {
    const timed = await ctx.raw.time(c.queries);
    raw.push(timed.ms);
    const expected = totalOf(c.queries, timed.rows);
    if (expected !== undefined && expected !== totals[k]) {
      mismatches += 1;
    }
  }
  const pageOnly: number[] = [];
  const countOnly: number[] = [];
  for (const c of cases)
    pageOnly.push((await ctx.raw.time(c.queries.filter((q) => !isTotal(q)))).ms);
  for (const c of cases) countOnly.push((await ctx.raw.time(c.queries.filter(isTotal))).ms);
  return {
    api: stats(api),
    raw: stats(raw),
    rawPageOnly: stats(pageOnly),
    rawCountOnly: stats(countOnly),
    mismatches,
    perCase: api.map((ms, k) => ({ api: ms, raw: raw[k] ?? 0 })),
  };
}

function latencyMeasures(name: string, timing: ListTiming): Measure[] {
  return (['p50', 'p99'] as const).map((p) => ({
    name: `${name} ${p}`,
    unit: 'ms',
    api: timing.api[p],
    raw: timing.raw[p],
    ratio: timing.api[p] / timing.raw[p],
  }));
}

export interface SuiteResult {
  measures: Measure[];
  details: {
    search: ListTiming;
    searchByKind: Record<string, { n: number; api: Stats; raw: Stats }>;
    firstPage: ListTiming;
    deepPage: ListTiming;
    getById: {
      api: {
        requestsPerSecond: number;
        latencyP50: number;
        latencyP99: number;
        requests: number;
        non2xx: number;
        errors: number;
      };
      raw: { lookupsPerSecond: number; concurrency: number };
    };
  };
}

export async function runSuite(ctx: SuiteContext, options: SuiteOptions): Promise<SuiteResult> {
  const { customers, seed } = options;
  const rng = rngFor(seed ^ 0xbe9c, 0);

  ctx.log(`${ctx.dialect}: search, ${options.searches} queries`);
  const queries = searchQueries(seed, options.searches, customers);
  const searchCases = await Promise.all(
    queries.map((q) => listCase(ctx, { q: q.q, limit: '25' }, q.kind)),
  );
  const search = await timeCases(ctx, searchCases);
  const searchByKind: SuiteResult['details']['searchByKind'] = {};
  for (const kind of new Set(queries.map((q) => q.kind))) {
    const picked = search.perCase.filter((_, k) => searchCases[k]?.kind === kind);
    searchByKind[kind] = {
      n: picked.length,
      api: stats(picked.map((p) => p.api)),
      raw: stats(picked.map((p) => p.raw)),
    };
  }

  ctx.log(`${ctx.dialect}: list pages, ${options.listRequests} of each`);
  const first = await listCase(ctx, { limit: '25' });
  const firstPage = await timeCases(
    ctx,
    Array.from({ length: options.listRequests }, () => first),
  );
  const deepCases = await Promise.all(
    Array.from({ length: options.listRequests }, () => {
      const n = Math.floor(customers * (0.05 + 0.9 * rng())) + 1;
      return listCase(ctx, { limit: '25', cursor: encodeCursor({ n }) });
    }),
  );
  const deepPage = await timeCases(ctx, deepCases);

  ctx.log(
    `${ctx.dialect}: GET /api/v1/customers/{id}, ${options.connections} connections, ${options.seconds} s`,
  );
  const ids = await sampleIds(ctx, customers, rng, Math.min(customers, 100_000));
  const pickId = () => ids[Math.floor(rng() * ids.length)] ?? '';
  const placeholder = '00000000-0000-7000-8000-000000000000';
  const [lookup] = await captureQueries(ctx.dialect, (db) =>
    createServices(db)
      .customers.get(systemPrincipal(ctx.accountId), placeholder)
      .catch(() => undefined),
  );
  if (!lookup) throw new Error('CustomerService.get sent no query');
  const apiLoad = await load(
    ctx.port,
    ctx.token,
    () => `/api/v1/customers/${pickId()}`,
    options.connections,
    options.seconds,
  );
  if (apiLoad.non2xx > 0 || apiLoad.errors > 0) {
    throw new Error(`GET by id: ${apiLoad.non2xx} non-2xx answers and ${apiLoad.errors} errors`);
  }
  const rawPerSecond = await ctx.raw.throughput(
    () => rebind(lookup, placeholder, pickId()),
    options.seconds,
    options.connections,
  );

  return {
    measures: [
      ...latencyMeasures('search', search),
      ...latencyMeasures('list first page', firstPage),
      ...latencyMeasures('list deep page', deepPage),
      {
        name: 'get by id',
        unit: 'req/s',
        api: apiLoad.requestsPerSecond,
        raw: rawPerSecond,
        ratio: apiLoad.requestsPerSecond / rawPerSecond,
      },
    ],
    details: {
      search: withoutPerCase(search),
      searchByKind,
      firstPage: withoutPerCase(firstPage),
      deepPage: withoutPerCase(deepPage),
      getById: {
        api: apiLoad,
        raw: { lookupsPerSecond: rawPerSecond, concurrency: options.connections },
      },
    },
  };
}

function withoutPerCase(timing: ListTiming & { perCase: unknown }): ListTiming {
  const { perCase: _perCase, ...rest } = timing;
  return rest;
}

/** Ids of random customers (by number, through the same raw engine). */
async function sampleIds(
  ctx: SuiteContext,
  customers: number,
  rng: () => number,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  const sql =
    ctx.dialect === 'postgres'
      ? 'select id from customers where account_id = $1 and number = any($2::bigint[])'
      : 'select id from customers where account_id = ? and number in (select value from json_each(?))';
  for (let done = 0; done < count; done += 10_000) {
    const numbers = Array.from(
      { length: Math.min(10_000, count - done) },
      () => 1 + Math.floor(rng() * customers),
    );
    const parameters = [
      ctx.accountId,
      ctx.dialect === 'postgres' ? numbers : JSON.stringify(numbers),
    ];
    const { rows } = await ctx.raw.time([{ sql, parameters }]);
    for (const row of rows[0] ?? []) ids.push((row as { id: string }).id);
  }
  if (ids.length === 0) throw new Error('no customers to look up');
  return ids;
}
