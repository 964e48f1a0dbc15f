// The permission matrix over real HTTP on both databases: every route of apiRoutes() × every
// principal × {this account's object, out of scope, another account's object}, each cell a real
// request with a real session cookie and a body that passes validation, answered with the status
// permission-matrix.ts says. Any 2xx the matrix does not expect fails as an unexpected allow,
// naming route and principal; a route without a row, or a row without a route, fails too. And
// another account's ids in a body or query are refused like its ids in a path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../common/permissions.ts';
import { testDialects } from '../test/databases.ts';
import { MatrixHarness } from '../test/permission-cells.ts';
import {
  expectedStatus,
  isForeign,
  isPermission,
  NOT_ROUTE_GUARDS,
  OBJECT_COLUMNS,
  PRINCIPALS,
  routeKey,
  type Expected,
  type MatrixEntry,
  type ObjectColumn,
  type PrincipalName,
} from './permission-matrix.ts';
import { MATRIX_ROUTES } from './permission-matrix-routes.ts';
import type { AnyRouteDef } from './route.ts';

const pathParams = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
const is2xx = (status: number) => status >= 200 && status < 300;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const said = (answer: { text: string }) => answer.text.slice(0, 200);

describe.each(testDialects())('permission matrix on %s', (dialect) => {
  let harness: MatrixHarness;
  let routes: AnyRouteDef[];

  beforeAll(async () => {
    const started = performance.now();
    harness = await MatrixHarness.start(dialect);
    routes = harness.routes;
    console.info(`permission matrix ${dialect}: set up in ${seconds(started)} s`);
  }, 120_000);
  afterAll(() => harness.close());

  it('has a row for every route, naming its path parameters, and a route for every row', () => {
    const keys = new Set(routes.map(routeKey));
    const missing = routes.filter((r) => !MATRIX_ROUTES[routeKey(r)]).map(routeKey);
    expect(missing, 'routes without a row in permission-matrix-routes.ts').toEqual([]);
    const stale = Object.keys(MATRIX_ROUTES).filter((key) => !keys.has(key));
    expect(stale, 'rows for routes that no longer exist').toEqual([]);
    const wrongParams = routes
      .filter((r) => {
        const named = Object.keys(MATRIX_ROUTES[routeKey(r)]?.params ?? {}).sort();
        return named.join() !== pathParams(r.url).sort().join();
      })
      .map(routeKey);
    expect(wrongParams, 'rows whose params do not name the path parameters').toEqual([]);
    const guards = new Set(Object.values(MATRIX_ROUTES).map((e) => e.guard));
    expect(
      PERMISSIONS.filter((p) => !guards.has(p) && !NOT_ROUTE_GUARDS.includes(p)),
      'permissions guarding nothing',
    ).toEqual([]);
  });

  it('answers every cell as the matrix says, with 0 unexpected allows', async () => {
    const started = performance.now();
    const wrong: string[] = [];
    const allows: string[] = [];
    const counts = { sent: 0, pending: 0, notApplicable: 0 };
    const statuses = new Map<number, number>();
    for (const route of routes) {
      const key = routeKey(route);
      const entry = MATRIX_ROUTES[key];
      if (!entry) continue; // named by the completeness test
      const columns: ObjectColumn[] = entry.params ? [...OBJECT_COLUMNS] : ['none'];
      for (const principal of PRINCIPALS) {
        const seen = new Map<ObjectColumn, number>();
        for (const column of columns) {
          const expected: Expected = expectedStatus(
            entry,
            route.response.status,
            principal,
            column,
          );
          if (expected === 'pending') counts.pending += 1;
          if (expected === 'n/a') counts.notApplicable += 1;
          if (typeof expected !== 'number') continue;
          const answer = await harness.send(route, entry, principal, column);
          counts.sent += 1;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          seen.set(column, answer.status);
          const cell = `${key} as ${principal} on ${column}`;
          const detail = said(answer);
          if (is2xx(answer.status) && !is2xx(expected)) {
            allows.push(`${cell}: ${answer.status}, the matrix says ${expected} (${detail})`);
          }
          if (answer.status !== expected) {
            wrong.push(`${cell}: expected ${expected}, got ${answer.status} (${detail})`);
          }
          for (const broken of brokenRules(route, entry, principal, column, answer, seen)) {
            wrong.push(`${cell}: ${broken} (${detail})`);
          }
        }
      }
    }
    console.info(
      `permission matrix ${dialect}: ${routes.length} routes, ${counts.sent} cells sent, ` +
        `${counts.pending} pending, ${counts.notApplicable} not applicable, ${seconds(started)} s`,
      Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
    );
    expect(allows, 'unexpected allows').toEqual([]);
    expect(wrong).toEqual([]);
  }, 240_000);

  it("refuses another account's ids in a body or query (404 or 422, never 2xx)", async () => {
    const { own, other } = harness;
    const ownIds = Object.values(own).filter((v) => v.length >= 20);
    const wrong: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const entry = MATRIX_ROUTES[routeKey(route)];
      if (!entry || entry.guard === 'public' || entry.guard === 'ownCredential') continue;
      // The rows that name objects in their body or query: a refs body, or ids in the plain one.
      const probe =
        JSON.stringify(harness.body(route, entry, own, (p = '') => p) ?? null) +
        (entry.query?.(harness.context(own, (p = '') => p)) ?? '');
      if (!entry.refs && !ownIds.some((id) => probe.includes(id))) continue;
      const column: ObjectColumn = entry.params ? 'own' : 'none';
      const cell = (bodyIds: typeof own) =>
        harness.send(route, entry, 'administrator', column, { bodyIds, refs: true });
      const mine = await cell(own);
      const theirs = await cell(other);
      sent += 2;
      const ok = entry.ok?.status ?? route.response.status;
      const key = routeKey(route);
      if (mine.status !== ok)
        wrong.push(`${key} naming this account's objects: ${mine.status}, not ${ok} ${said(mine)}`);
      // A list answers with items; a bulk action with what it changed.
      const items = (theirs.json.items ?? theirs.json.changed) as unknown[] | undefined;
      if (is2xx(theirs.status) && items?.length !== 0)
        wrong.push(`${key} naming the other account's objects answered with them`);
      if (!(entry.foreignIds ?? [404, 422]).includes(theirs.status))
        wrong.push(`${key} naming the other account's objects: ${theirs.status} ${said(theirs)}`);
    }
    console.info(
      `permission matrix ${dialect}: ${sent} requests naming objects in a body or query`,
    );
    expect(sent).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });
});

/**
 * The rules that hold whatever a row says: anonymous gets 401 wherever the route is not public,
 * the no-permission role 403 naming the permission, and neither another account's object nor
 * one out of the scoped agent's scope tells that it exists (404, or the same refusal the
 * principal got on its own account's object). Public routes are let alone: their path names
 * a credential that works for whoever holds it.
 */
function brokenRules(
  route: AnyRouteDef,
  entry: MatrixEntry,
  principal: PrincipalName,
  column: ObjectColumn,
  answer: { status: number; json: Record<string, unknown> },
  seen: Map<ObjectColumn, number>,
): string[] {
  const broken: string[] = [];
  if (principal === 'anonymous' && route.auth !== 'public' && answer.status !== 401)
    broken.push('anonymous must get 401 on a route that is not public');
  if (principal === 'withoutPermission' && isPermission(entry.guard)) {
    if (answer.status !== 403 || answer.json.permission !== entry.guard)
      broken.push(`the role without ${entry.guard} must get 403 naming it`);
  }
  if (entry.guard === 'public') return broken;
  // Turned away at the door (an agent on a Hub route, the Hub customer on an agents' route):
  // the 401 comes before any lookup, the same for every id, so it tells nothing.
  const atTheDoor =
    entry.guard === 'hub' ? principal !== 'hubCustomer' : principal === 'hubCustomer';
  if (atTheDoor && answer.status === 401) return broken;
  if (isForeign(principal, column) && answer.status !== 404) {
    const refusedAlike = column === 'otherAccount' && seen.get('own') === answer.status;
    if (is2xx(answer.status) || !(refusedAlike && [401, 403].includes(answer.status)))
      broken.push(`another account's object answered ${answer.status}: existence leaks`);
  }
  if (principal === 'scopedAgent' && column === 'outOfScope' && answer.status !== 404) {
    if (is2xx(answer.status) || seen.get('own') !== answer.status)
      broken.push(`an object out of scope answered ${answer.status}: the scope leaks`);
  }
  return broken;
}
