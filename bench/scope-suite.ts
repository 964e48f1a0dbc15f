// `npm run bench -- --suite scope` (issue 13 item 6): at BENCH_CUSTOMERS customers (1,000,000)
// and BENCH_SCOPE_TICKETS tickets (2,000,000), an unscoped agent (the Administrator) and a scoped
// one (a team serving BENCH_SCOPE_SERVED organizations, about 20,000 customers) list and search
// customers over HTTP against the compiled Kunde (kunde-process.ts): the first page, deep keyset
// pages, name searches that match on both sides of the scope, exact terms matching one customer
// in scope or one out of it. p50/p99 per principal, each beside the raw engine running the same
// SQL: for the Administrator the queries the service sends (captured), for the scoped agent the
// ones built with customerScope() (scope-queries.ts). Also the scoped agent's total and how long
// its count takes raw, and whether the server's own SQL for the scoped agent carries the scope.
import { ALL } from '../server/access/scope.ts';
import { customerListQuerySchema } from '../common/customer.ts';
import type { Principal } from '../server/agents/principal.ts';
import { openPostgres, openSqlite, type Db, type Dialect } from '../server/db/connect.ts';
import { COUNT_CAP } from '../server/customers/customer.service.ts';
import { encodeCursor } from '../server/paging.ts';
import { createServices } from '../server/services.ts';
import { captureQueries, closeRecorders, recordQueries, type RawQuery } from './capture.ts';
import { rngFor } from './data.ts';
import { Client, type Stats } from './http.ts';
import { timeCases, timesOf, type Case, type Timing } from './scope-timing.ts';
import { startKundeProcess } from './kunde-process.ts';
import { BENCH_EMAIL } from './prepare.ts';
import { rawPostgres, rawSqlite } from './raw.ts';
import { scopeSearches, type ScopeLayout } from './scope-data.ts';
import { prepareScopePostgres, prepareScopeSqlite, type ScopeDatabase } from './scope-load.ts';
import { countScoped, listScoped } from './scope-queries.ts';
import { ftsCandidates } from '../server/customers/customer.repository.ts';
import { foldQuery } from '../server/customers/identity.ts';
import { organizationNames } from '../server/organizations/organization.repository.ts';

export interface ScopeOptions {
  dir: string;
  databaseUrl?: string;
  postgresDatabase: string;
  layout: ScopeLayout;
  /** Requests per list measure, and search terms per kind. */
  requests: number;
  searches: number;
  /** Seconds each measure may take per side, API and raw (slow queries get fewer samples). */
  budgetSeconds: number;
  logLevel: string;
  log: (message: string) => void;
}

export type Who = 'unscoped' | 'scoped';
export const MEASURES = [
  'list first page',
  'list deep page',
  'search name',
  'search in-scope exact',
  'search out-of-scope exact',
] as const;

export interface ScopeResult {
  engine: Dialect;
  layout: ScopeLayout;
  customersGeneration: ScopeDatabase['customersGeneration'];
  load: ScopeDatabase['load'];
  timings: Record<Who, Record<(typeof MEASURES)[number], Timing>>;
  scoped: {
    /** Customers the scoped agent may see (active, exact count) and the count's raw time. */
    customersInScope: number;
    exactCount: Stats;
    /** The capped count (COUNT_CAP + 1 rows at most) the list's total takes, raw. */
    cappedCount: Stats;
    /** What the first page said: total and totalCapped. */
    firstPageTotal: number;
    firstPageTotalCapped: boolean;
    /** Whether the server's own SQL for the scoped agent differs from the Administrator's. */
    serverAppliesScope: boolean;
  };
}

function open(database: ScopeDatabase): Db {
  return database.dialect === 'postgres'
    ? openPostgres(database.target, 4)
    : openSqlite(database.target.replace(/^sqlite:/, ''));
}

export async function runScope(engine: Dialect, options: ScopeOptions): Promise<ScopeResult> {
  const load = { ...options, adminEmail: BENCH_EMAIL };
  const database =
    engine === 'postgres' ? await prepareScopePostgres(load) : await prepareScopeSqlite(load);
  const { accountId, target } = database;
  const db = open(database);
  const agents = createServices(db).agents;
  const mint = async (userId: string) =>
    (await agents.createToken(accountId, userId, 'bench')).token;
  const tokens: Record<Who, string> = {
    unscoped: await mint(database.adminUserId),
    scoped: await mint(database.scopedUserId),
  };
  const principal = async (token: string) => {
    const found = await agents.principalFromToken(token);
    if (!found) throw new Error('scope: a bench token does not authenticate');
    return found;
  };
  const principals: Record<Who, Principal> = {
    unscoped: await principal(tokens.unscoped),
    scoped: await principal(tokens.scoped),
  };
  if (principals.scoped.scope.all) throw new Error('scope: the scoped agent sees everything');
  const raw =
    engine === 'postgres' ? rawPostgres(target) : rawSqlite(target.replace(/^sqlite:/, ''));
  const kunde = await startKundeProcess({
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    logLevel: options.logLevel,
  });
  const clients = {
    unscoped: new Client(kunde.port, tokens.unscoped),
    scoped: new Client(kunde.port, tokens.scoped),
  };
  try {
    const { layout } = options;
    const kysely = db.kysely;
    const scope = principals.scoped.scope;
    // The Administrator's SQL is the service's own; the scoped agent's is built with the scope's
    // condition, by a capturing Kysely (nothing runs twice), with the full-text matches and the
    // page's organizations read from the data so the parameters are the real ones.
    const record = async (who: Who, query: Record<string, string>): Promise<RawQuery[]> => {
      const parsed = customerListQuerySchema.parse(query);
      if (who === 'unscoped')
        return recordQueries(target, engine, (recording) =>
          createServices(recording).customers.list(principals.unscoped, parsed),
        );
      const search = parsed.q ? foldQuery(parsed.q) : '';
      const candidates =
        engine === 'sqlite' && search ? await ftsCandidates(kysely, search) : undefined;
      const queries = await captureQueries(engine, (c) =>
        listScoped(c.kysely, engine, accountId, scope, parsed, candidates),
      );
      const page = queries.find((q) => /^select "customers"\.\*/.test(q.sql));
      if (!page) throw new Error('scope: no page query');
      const rows = (await raw.time([page])).rows[0] as { organization_id: string | null }[];
      const ids = [...new Set(rows.slice(0, parsed.limit).flatMap((r) => r.organization_id ?? []))];
      return [
        ...queries,
        ...(await captureQueries(engine, (c) => organizationNames(c.kysely, accountId, ids))),
      ];
    };
    const casesFor = (who: Who, queries: Record<string, string>[]): Case[] =>
      queries.map((query) => ({
        path: `/api/v1/customers?${new URLSearchParams(query).toString()}`,
        queries: () => record(who, query),
      }));
    const rng = rngFor(layout.seed ^ 0x5c09e, 0);
    const deep = Array.from({ length: options.requests }, () => ({
      limit: '25',
      cursor: encodeCursor({ n: Math.floor(layout.customers * (0.05 + 0.9 * rng())) + 1 }),
    }));
    const searches = scopeSearches(layout, options.searches);
    const sets: Record<(typeof MEASURES)[number], Record<string, string>[]> = {
      'list first page': Array.from({ length: options.requests }, () => ({ limit: '25' })),
      'list deep page': deep,
      'search name': searches
        .filter((s) => s.kind === 'name')
        .map((s) => ({ q: s.q, limit: '25' })),
      'search in-scope exact': searches
        .filter((s) => s.kind === 'in-scope exact')
        .map((s) => ({ q: s.q, limit: '25' })),
      'search out-of-scope exact': searches
        .filter((s) => s.kind === 'out-of-scope exact')
        .map((s) => ({ q: s.q, limit: '25' })),
    };
    const timings = { unscoped: {}, scoped: {} } as ScopeResult['timings'];
    const budget = options.budgetSeconds * 1000;
    for (const who of ['unscoped', 'scoped'] as const)
      for (const name of MEASURES) {
        options.log(`scope ${engine}: ${who} ${name}, ${sets[name].length} requests`);
        timings[who][name] = await timeCases(clients[who], raw, casesFor(who, sets[name]), budget);
      }

    const filter = { status: 'active' as const, scope: ALL };
    const [exact] = await captureQueries(engine, (c) =>
      countScoped(c.kysely, engine, accountId, scope, filter),
    );
    const [capped] = await captureQueries(engine, (c) =>
      countScoped(c.kysely, engine, accountId, scope, filter, COUNT_CAP),
    );
    if (!exact || !capped) throw new Error('scope: the count sent no query');
    const counted = await raw.time([exact]);
    const first = await clients.scoped.get('/api/v1/customers?limit=25');
    const firstBody = JSON.parse(first.body) as { total: number; totalCapped?: boolean };
    const sqlOf = async (who: Who) =>
      (
        await recordQueries(target, engine, (recording) =>
          createServices(recording).customers.list(
            principals[who],
            customerListQuerySchema.parse({ limit: '25' }),
          ),
        )
      )
        .map((q) => q.sql)
        .sort() // PostgreSQL runs the page and the total at once: their order varies
        .join(';');
    return {
      engine,
      layout,
      customersGeneration: database.customersGeneration,
      load: database.load,
      timings,
      scoped: {
        customersInScope: Number((counted.rows[0]?.[0] as { count: unknown }).count),
        exactCount: await timesOf(raw, exact, 20, budget),
        cappedCount: await timesOf(raw, capped, 20, budget),
        firstPageTotal: firstBody.total,
        firstPageTotalCapped: firstBody.totalCapped === true,
        serverAppliesScope: (await sqlOf('scoped')) !== (await sqlOf('unscoped')),
      },
    };
  } finally {
    clients.unscoped.close();
    clients.scoped.close();
    await kunde.stop();
    await raw.close();
    await closeRecorders();
    await db.close();
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function formatScope(results: ScopeResult[]): string {
  const lines = [
    '| engine | measure | unscoped API | raw | API / raw | scoped API | raw | API / raw |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    for (const name of MEASURES)
      for (const p of ['p50', 'p99'] as const) {
        const [u, s] = [r.timings.unscoped[name], r.timings.scoped[name]];
        lines.push(
          `| ${r.engine} | ${name} ${p} | ${ms(u.api[p])} | ${ms(u.raw[p])} | ${(u.api[p] / u.raw[p]).toFixed(2)}x | ${ms(s.api[p])} | ${ms(s.raw[p])} | ${(s.api[p] / s.raw[p]).toFixed(2)}x |`,
        );
      }
  }
  for (const r of results) {
    const s = r.scoped;
    const mismatches = MEASURES.reduce((sum, name) => sum + r.timings.scoped[name].mismatches, 0);
    lines.push(
      '',
      `${r.engine}: ${r.layout.customers.toLocaleString('en')} customers, ${r.layout.tickets.toLocaleString('en')} tickets, ${r.layout.organizations} organizations (${r.layout.served} served); load ${r.load.seconds.toFixed(1)} s${r.load.reused ? ' (reused)' : ''}, customers ${r.customersGeneration.seconds.toFixed(1)} s${r.customersGeneration.reused ? ' (reused)' : ''}`,
      `${r.engine}: the scoped agent may see ${s.customersInScope.toLocaleString('en')} active customers; first page total ${s.firstPageTotal}${s.firstPageTotalCapped ? ' (capped)' : ''}; exact count raw p50 ${ms(s.exactCount.p50)} p99 ${ms(s.exactCount.p99)}, capped count raw p50 ${ms(s.cappedCount.p50)} p99 ${ms(s.cappedCount.p99)}`,
      `${r.engine}: the server's SQL for the scoped agent ${s.serverAppliesScope ? 'carries the scope' : 'is the unscoped SQL (scope not applied by the server yet)'}; ${mismatches} scoped requests' totals differ from the raw scoped count`,
    );
  }
  return lines.join('\n');
}
