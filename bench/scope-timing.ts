// The scope suite's timing: a set of requests over HTTP on one keep-alive connection, then the
// SQL each stands for on the raw engine, both sides stopping once their time budget is spent (a
// query that takes seconds gets a few samples, not an hour), and the totals compared.
import { COUNT_CAP } from '../server/customers/customer.service.ts';
import type { RawQuery } from './capture.ts';
import { stats, type Client, type Stats } from './http.ts';
import type { RawEngine } from './raw.ts';

export interface Timing {
  api: Stats;
  raw: Stats;
  /** Requests whose `total` differed from the raw queries' (the server not scoping shows here). */
  mismatches: number;
  /** The mean total the principal was shown, and the mean the raw queries give. */
  meanTotal: number;
  meanRawTotal: number;
}

/** A request and, resolved when the raw side reaches it, the SQL it stands for. */
export interface Case {
  path: string;
  queries: () => Promise<RawQuery[]>;
}

const isTotal = (q: RawQuery) => /\bcount\(|from "counters"/i.test(q.sql);

/** The total the raw queries give, as the API reports it (a count stops past COUNT_CAP). */
function totalOf(queries: readonly RawQuery[], rows: unknown[][]): number | undefined {
  let total: number | undefined;
  queries.forEach((q, k) => {
    if (!isTotal(q)) return;
    const row = rows[k]?.[0] as { count?: unknown; value?: unknown } | undefined;
    const value =
      row?.count !== undefined ? Math.min(Number(row.count), COUNT_CAP) : Number(row?.value);
    total = (total ?? 0) + value;
  });
  return total;
}

/** Runs `once` over the cases in order until they are done or `budgetMs` has gone (3 at least). */
async function withinBudget<T>(
  cases: readonly T[],
  budgetMs: number,
  once: (c: T, k: number) => Promise<void>,
): Promise<number> {
  const end = performance.now() + budgetMs;
  let k = 0;
  for (const c of cases) {
    if (k >= 3 && performance.now() > end) break;
    await once(c, k);
    k += 1;
  }
  return k;
}

export async function timeCases(
  client: Client,
  raw: RawEngine,
  cases: readonly Case[],
  budgetMs: number,
): Promise<Timing> {
  // Warm-up: the server's JIT and its caches (the raw side warms as it resolves each case).
  for (const c of cases.slice(0, 5)) await client.get(c.path);
  const api: number[] = [];
  const totals: number[] = [];
  const done = await withinBudget(cases, budgetMs, async (c) => {
    const response = await client.get(c.path);
    if (response.status !== 200)
      throw new Error(`GET ${c.path}: ${response.status} ${response.body}`);
    api.push(response.ms);
    totals.push((JSON.parse(response.body) as { total: number }).total);
  });
  const rawMs: number[] = [];
  const rawTotals: number[] = [];
  let mismatches = 0;
  // The same requests as the API side got, no more (its budget may have cut them short).
  await withinBudget(cases.slice(0, done), budgetMs, async (c, k) => {
    const queries = await c.queries();
    const timed = await raw.time(queries);
    rawMs.push(timed.ms);
    const expected = totalOf(queries, timed.rows);
    if (expected !== undefined) rawTotals.push(expected);
    if (expected !== undefined && expected !== totals[k]) mismatches += 1;
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    api: stats(api),
    raw: stats(rawMs),
    mismatches,
    meanTotal: mean(totals.slice(0, rawMs.length)),
    meanRawTotal: mean(rawTotals),
  };
}

export async function timesOf(raw: RawEngine, query: RawQuery, n: number, budgetMs: number) {
  const ms: number[] = [];
  await raw.time([query]);
  await withinBudget(Array.from({ length: n }), budgetMs, async () => {
    ms.push((await raw.time([query])).ms);
  });
  return stats(ms);
}
