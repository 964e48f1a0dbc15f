// The permission matrix over real HTTP on both databases: every route of apiRoutes() × every
// principal × {this account's object, out of scope, another account's object}, each cell a real
// request with a real session cookie and a body that passes validation, answered with the status
// permission-matrix.ts says. Any 2xx the matrix does not expect fails as an unexpected allow,
// naming route and principal; a route without a row, or a row without a route, fails too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission } from '../../common/permissions.ts';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, ensureNeighbour, unique, type TestAccount } from '../test/factories.ts';
import {
  agentOfRole,
  agentWithout,
  Api,
  buildObjects,
  freshObject,
  sessionHeaders,
  type AccountObjects,
} from '../test/permission-fixtures.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { apiRoutes } from './app.ts';
import { operationsOf, Sampler, type Fixtures } from './fuzz-requests.ts';
import {
  expectedStatus,
  isPermission,
  OBJECT_COLUMNS,
  PRINCIPALS,
  routeKey,
  type BodyContext,
  type Expected,
  type MatrixEntry,
  type ObjectColumn,
  type PrincipalName,
} from './permission-matrix.ts';
import { MATRIX_ROUTES } from './permission-matrix-routes.ts';
import type { AnyRouteDef } from './route.ts';

const METRICS_TOKEN = 'matrix-metrics-token';
const PLATFORM_TOKEN = 'matrix-platform-token';

const pathParams = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
const is2xx = (status: number) => status >= 200 && status < 300;

describe.each(testDialects())('permission matrix on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let routes: AnyRouteDef[];
  let own: AccountObjects;
  let other: AccountObjects;
  let ownAdmin: Api;
  let sampler: Sampler;
  const samplerFixtures: Fixtures = { ids: {}, domain: '' };
  /** Each principal's agent: [account, user]; the no-permission role's by missing permission. */
  const agents = new Map<string, { accountId: string; userId: string }>();
  const sessions = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      metricsToken: METRICS_TOKEN,
      platformToken: PLATFORM_TOKEN,
    });
    const services = server.services;
    routes = apiRoutes(services, METRICS_TOKEN);
    account = await createTestAccount(services);
    const neighbour = await ensureNeighbour(services);
    const adminToken = await services.agents.createToken(
      account.accountId,
      account.admin.userId ?? '',
      'matrix',
    );
    const neighbourToken = await services.agents.createTokenForEmail(neighbour.adminEmail, 'm');
    ownAdmin = new Api(server.url, { authorization: `Bearer ${adminToken.token}` });
    const otherAdmin = new Api(server.url, { authorization: `Bearer ${neighbourToken.token}` });
    own = await buildObjects(ownAdmin, services);
    other = await buildObjects(otherAdmin, services);
    const neighbourUser = await otherAdmin.send('GET', '/api/v1/session');
    const neighbourUserId = String((neighbourUser.json.user as { id: string }).id);

    agents.set('administrator', { accountId: account.accountId, userId: account.admin.userId! });
    agents.set('agent', {
      accountId: account.accountId,
      userId: await agentOfRole(services, account.accountId),
    });
    agents.set('otherAccountAgent', { accountId: neighbour.accountId, userId: neighbourUserId });
    for (const permission of PERMISSIONS) {
      agents.set(`without ${permission}`, {
        accountId: account.accountId,
        userId: await agentWithout(services, account.accountId, permission),
      });
    }
    const doc = (await ownAdmin.send('GET', '/api/openapi.json')).json;
    const components = (doc.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    sampler = new Sampler(components, samplerFixtures);
    operations = new Map(operationsOf(doc).map((op) => [`${op.method} ${op.path}`, op]));
  }, 120_000);
  afterAll(() => server.close());

  let operations: Map<string, ReturnType<typeof operationsOf>[number]>;

  /** The principal's credential: its session cookie (a new one when the cell ends it). */
  async function credential(
    principal: PrincipalName,
    entry: MatrixEntry,
  ): Promise<Record<string, string>> {
    if (principal === 'anonymous') return {};
    const who =
      principal === 'withoutPermission' ? `without ${entry.guard as Permission}` : principal;
    const agent = agents.get(who);
    if (!agent) throw new Error(`no agent for ${who}`);
    const cached = sessions.get(who);
    if (cached && !entry.consumesSession) return cached;
    const headers = await sessionHeaders(server.services, agent.accountId, agent.userId);
    if (!entry.consumesSession) sessions.set(who, headers);
    return headers;
  }

  /** What a row's body and query builders get: the acting principal's account's objects. */
  function contextFor(principal: PrincipalName): BodyContext {
    const ids = principal === 'otherAccountAgent' ? other : own;
    return { ids, unique, login: { email: account.adminEmail, password: account.password } };
  }

  function bodyFor(route: AnyRouteDef, entry: MatrixEntry, principal: PrincipalName): unknown {
    const ids = principal === 'otherAccountAgent' ? other : own;
    if (entry.body) return entry.body(contextFor(principal));
    if (!route.body) return undefined;
    const op = operations.get(`${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    if (!op?.body) return {};
    samplerFixtures.domain = ids.domainName;
    samplerFixtures.ids = {
      customerId: ids.customer,
      customerIds: ids.customer,
      organizationId: ids.organization,
      typeId: ids.customerType,
      teamId: ids.team,
      assigneeId: ids.user,
      memberIds: ids.user,
      roleId: ids.role,
      customerContactId: ids.contact,
      supportContactId: ids.user,
      agentId: ids.user,
      contractId: ids.contract,
    };
    return sampler.value(op.body);
  }

  async function urlFor(
    route: AnyRouteDef,
    entry: MatrixEntry,
    principal: PrincipalName,
    column: ObjectColumn,
  ) {
    const objects = column === 'otherAccount' ? other : own;
    let url = route.url;
    for (const [name, kind] of Object.entries(entry.params ?? {})) {
      const value =
        column === 'own' && entry.fresh?.includes(kind)
          ? await freshObject(ownAdmin, own, kind)
          : objects[kind];
      url = url.replace(`:${name}`, encodeURIComponent(value));
    }
    return entry.query ? `${url}?${entry.query(contextFor(principal))}` : url;
  }

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
      PERMISSIONS.filter((p) => !guards.has(p)),
      'permissions guarding nothing',
    ).toEqual([]);
  });

  it('answers every cell as the matrix says, with 0 unexpected allows', async () => {
    const started = performance.now();
    const wrong: string[] = [];
    const allows: string[] = [];
    const counts = { sent: 0, pending: 0, notApplicable: 0 };
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
          const headers = await credential(principal, entry);
          const url = await urlFor(route, entry, principal, column);
          const answer = await new Api(server.url, headers).send(
            route.method,
            url,
            bodyFor(route, entry, principal),
          );
          counts.sent += 1;
          seen.set(column, answer.status);
          const cell = `${key} as ${principal} on ${column}`;
          const detail = answer.text.slice(0, 200);
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
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `permission matrix ${dialect}: ${routes.length} routes, ${counts.sent} cells sent, ` +
        `${counts.pending} pending, ${counts.notApplicable} not applicable, ${seconds} s`,
    );
    expect(allows, 'unexpected allows').toEqual([]);
    expect(wrong).toEqual([]);
  }, 240_000);
});

/**
 * The rules that hold whatever a row says: anonymous gets 401 wherever the route is not public,
 * the no-permission role 403 naming the permission, and another account's object never tells
 * that it exists (404, or the same refusal the principal got on its own account's object).
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
  const foreign =
    column === 'otherAccount' || (principal === 'otherAccountAgent' && column === 'own');
  if (foreign && answer.status !== 404) {
    const refusedAlike = column === 'otherAccount' && seen.get('own') === answer.status;
    if (is2xx(answer.status) || !(refusedAlike && [401, 403].includes(answer.status)))
      broken.push(`another account's object answered ${answer.status}: existence leaks`);
  }
  return broken;
}
