// The permission matrix's harness (server/http/permission-matrix.test.ts): one test server per
// dialect with both accounts' objects (permission-fixtures.ts), a second set of this account's
// in an organization out of the scoped agent's scope, every principal's agent, both accounts'
// Customer Hub on with a Hub ticket in each set (permission-hub.ts); and one way to send a
// cell: the principal's session cookie (the Hub customer's kunde_hub one), the row's path objects (fresh ones when the
// cell consumes them), and a body and query that pass validation, built from the objects of
// the cell's column (or whichever account the caller names).
import { PERMISSIONS, type Permission } from '../../common/permissions.ts';
import type { Dialect } from '../db/connect.ts';
import { apiRoutes } from '../http/app.ts';
import { operationsOf, Sampler, type Fixtures, type Operation } from '../http/fuzz-requests.ts';
import type {
  BodyContext,
  MatrixEntry,
  ObjectColumn,
  PrincipalName,
} from '../http/permission-matrix.ts';
import type { AnyRouteDef } from '../http/route.ts';
import { createTestAccount, ensureNeighbour, unique, type TestAccount } from './factories.ts';
import { agentOfRole, agentWithout, sessionHeaders } from './permission-agents.ts';
import {
  Api,
  buildObjects,
  freshObject,
  type AccountObjects,
  type Answer,
} from './permission-fixtures.ts';
import { addHubObjects, enableHub, hubSessionHeaders } from './permission-hub.ts';
import { createScopedAgent } from './scope-fixtures.ts';
import { startTestServer, type TestServer } from './server.ts';

const METRICS_TOKEN = 'matrix-metrics-token';
const PLATFORM_TOKEN = 'matrix-platform-token';

/** Whose objects a cell's body and query name (the principal's own account's, by default). */
export interface CellOptions {
  bodyIds?: AccountObjects;
  /** Send the row's `refs` body (one naming objects) instead of its plain one. */
  refs?: boolean;
}

export class MatrixHarness {
  private readonly sessions = new Map<string, Record<string, string>>();
  private readonly samplerFixtures: Fixtures = { ids: {}, domain: '' };
  private readonly sampler: Sampler;
  private readonly operations: Map<string, Operation>;

  private constructor(
    readonly server: TestServer,
    readonly routes: AnyRouteDef[],
    readonly account: TestAccount,
    /** This account's objects, the neighbour account's, and this account's out of scope. */
    readonly own: AccountObjects,
    readonly other: AccountObjects,
    readonly outOfScope: AccountObjects,
    private readonly ownAdmin: Api,
    private readonly otherAdmin: Api,
    /** Each principal's agent; the no-permission roles' as "without <permission>". */
    private readonly agents: Map<string, { accountId: string; userId: string }>,
    doc: Record<string, unknown>,
  ) {
    const components = (doc.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    this.sampler = new Sampler(components, this.samplerFixtures);
    this.operations = new Map(operationsOf(doc).map((op) => [`${op.method} ${op.path}`, op]));
  }

  static async start(dialect: Dialect): Promise<MatrixHarness> {
    const server = await startTestServer({
      dialect,
      metricsToken: METRICS_TOKEN,
      platformToken: PLATFORM_TOKEN,
    });
    const services = server.services;
    const account = await createTestAccount(services);
    const neighbour = await ensureNeighbour(services);
    const adminUserId = account.admin.userId ?? '';
    const adminToken = await services.agents.createToken(account.accountId, adminUserId, 'm');
    const neighbourToken = await services.agents.createTokenForEmail(neighbour.adminEmail, 'm');
    const ownAdmin = new Api(server.url, { authorization: `Bearer ${adminToken.token}` });
    const otherAdmin = new Api(server.url, { authorization: `Bearer ${neighbourToken.token}` });
    const own = await buildObjects(ownAdmin, services, account.accountId);
    const other = await buildObjects(otherAdmin, services, neighbour.accountId);
    const outOfScope = await buildObjects(ownAdmin, services, account.accountId);
    const [ownSlug, otherSlug] = [await enableHub(ownAdmin), await enableHub(otherAdmin)];
    await addHubObjects(server.url, services, own, ownSlug);
    await addHubObjects(server.url, services, outOfScope, ownSlug);
    await addHubObjects(server.url, services, other, otherSlug);
    const neighbourSession = await otherAdmin.send('GET', '/api/v1/session');
    const neighbourUserId = String((neighbourSession.json.user as { id: string }).id);

    const agents = new Map<string, { accountId: string; userId: string }>([
      ['administrator', { accountId: account.accountId, userId: adminUserId }],
      ['otherAccountAgent', { accountId: neighbour.accountId, userId: neighbourUserId }],
    ]);
    // Password hashing dominates the set-up: the agents are made side by side.
    const [scoped, agentId, ...withoutIds] = await Promise.all([
      createScopedAgent(services, account.accountId, [own.organization]),
      agentOfRole(services, account.accountId),
      ...PERMISSIONS.map((p) => agentWithout(services, account.accountId, p)),
    ]);
    agents.set('agent', { accountId: account.accountId, userId: agentId ?? '' });
    agents.set('scopedAgent', { accountId: account.accountId, userId: scoped.userId });
    PERMISSIONS.forEach((p, i) =>
      agents.set(`without ${p}`, { accountId: account.accountId, userId: withoutIds[i] ?? '' }),
    );
    const doc = (await ownAdmin.send('GET', '/api/openapi.json')).json;
    const routes = apiRoutes(services, METRICS_TOKEN);
    return new MatrixHarness(
      server,
      routes,
      account,
      own,
      other,
      outOfScope,
      ownAdmin,
      otherAdmin,
      agents,
      doc,
    );
  }

  close() {
    return this.server.close();
  }

  private objectsIn(column: ObjectColumn): AccountObjects {
    if (column === 'otherAccount') return this.other;
    return column === 'outOfScope' ? this.outOfScope : this.own;
  }

  /** The objects of the principal's own account. */
  objectsOf(principal: PrincipalName): AccountObjects {
    return principal === 'otherAccountAgent' ? this.other : this.own;
  }

  /** Sends one cell of the matrix. */
  async send(
    route: AnyRouteDef,
    entry: MatrixEntry,
    principal: PrincipalName,
    column: ObjectColumn,
    options: CellOptions = {},
  ): Promise<Answer> {
    const headers = await this.credential(principal, entry);
    // Out of scope, the body names that organization's objects too (a contract's contact must
    // be one of its organization's), so that those with scope.all get the normal success.
    const ids =
      options.bodyIds ?? (column === 'outOfScope' ? this.outOfScope : this.objectsOf(principal));
    const url = await this.url(route, entry, column, ids);
    const body = options.refs && entry.refs ? entry.refs(this.context(ids)) : undefined;
    return new Api(this.server.url, headers).send(
      route.method,
      url,
      body ?? this.body(route, entry, ids),
    );
  }

  /** The principal's session cookie (a new one when the cell ends it). */
  private async credential(principal: PrincipalName, entry: MatrixEntry) {
    if (principal === 'anonymous') return {};
    // The own set's customer; a new session every cell, as changing the password ends the rest.
    if (principal === 'hubCustomer') {
      return hubSessionHeaders(this.server.services, this.account.accountId, this.own.customer);
    }
    const who =
      principal === 'withoutPermission' ? `without ${entry.guard as Permission}` : principal;
    const agent = this.agents.get(who);
    if (!agent) throw new Error(`no agent for ${who}: the fixtures have none yet`);
    const cached = this.sessions.get(who);
    if (cached && !entry.consumesSession) return cached;
    const headers = await sessionHeaders(this.server.services, agent.accountId, agent.userId);
    if (!entry.consumesSession) this.sessions.set(who, headers);
    return headers;
  }

  context(ids: AccountObjects, fresh = unique): BodyContext {
    const login = { email: this.account.adminEmail, password: this.account.password };
    return { ids, unique: fresh, login };
  }

  /** The row's body, else one sampled from the route's OpenAPI schema with these ids. */
  body(route: AnyRouteDef, entry: MatrixEntry, ids: AccountObjects, fresh = unique): unknown {
    if (entry.body) return entry.body(this.context(ids, fresh));
    if (!route.body) return undefined;
    const op = this.operations.get(`${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    if (!op?.body) return {};
    this.samplerFixtures.domain = ids.domainName;
    this.samplerFixtures.ids = {
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
    return this.sampler.value(op.body);
  }

  /** The path with the column's objects, and the row's query with these ids. */
  private async url(
    route: AnyRouteDef,
    entry: MatrixEntry,
    column: ObjectColumn,
    ids: AccountObjects,
  ) {
    const objects = this.objectsIn(column);
    // A consumed object is made anew on this account's side (own, out of scope), where cells
    // succeed; another account's only for a public route, where holding it is enough.
    const renew = column !== 'otherAccount' || entry.guard === 'public';
    const maker = column === 'otherAccount' ? this.otherAdmin : this.ownAdmin;
    let url = route.url;
    for (const [name, kind] of Object.entries(entry.params ?? {})) {
      const value =
        renew && entry.fresh?.includes(kind)
          ? await freshObject(maker, this.server.services, objects, kind)
          : objects[kind];
      url = url.replace(`:${name}`, encodeURIComponent(value));
    }
    return entry.query ? `${url}?${entry.query(this.context(ids))}` : url;
  }
}
