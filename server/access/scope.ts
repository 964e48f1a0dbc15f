// Who sees what (issue 13): an agent's scope, and the one place that turns it into SQL.
//
// An agent with the permission scope.all, or in a team whose ticket access is 'all', sees the
// whole account. Anyone else sees:
//   tickets        assigned to them, routed to one of their teams, or of an organization (or one
//                  location or area of it) their teams' access lists;
//   customers      of an organization their teams serve whole, whose default location their teams
//                  serve, or who requested a ticket they see;
//   organizations  their teams' access names (whole or in part), or behind a ticket they see.
// Tickets routed to one's team count because routing (rules, an organization's auto-assign) sends
// work to a team so that it is worked; a team that cannot see its own queue helps nobody.
//
// Every repository read of tickets, customers and organizations takes a Scope and adds the
// condition built here (ticketScope, customerScope, organizationScope), so a route cannot forget
// it and a list, a count, a search and a get by id agree. The conditions are subqueries by id
// over indexed columns, never a join the planner must walk a million rows for: a scoped agent's
// customers are found from the organizations' and tickets' indexes, then the list is ordered.
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Permission } from '../../common/permissions.ts';
import type { Dialect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { NotFoundError } from '../errors.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export type Scope = AllScope | LimitedScope;

export interface AllScope {
  readonly all: true;
}

export interface LimitedScope {
  readonly all: false;
  readonly accountId: string;
  /** The agent whose assigned tickets are in scope (null: none, e.g. a Hub customer later). */
  readonly userId: string | null;
  /** The agent's teams: tickets routed to them are in scope. */
  readonly teamIds: readonly string[];
  /** Organizations served whole. */
  readonly organizationIds: readonly string[];
  /** Locations served (their tickets, and customers whose default location it is). */
  readonly locationIds: readonly string[];
  /** Areas served (their tickets). */
  readonly areaIds: readonly string[];
  /** Every organization an access entry names, whole or in part. */
  readonly namedOrganizationIds: readonly string[];
}

export const ALL: AllScope = Object.freeze({ all: true });

/** The scope an agent's role and teams give, read now (callers cache it with the principal). */
export async function resolveScope(
  db: Conn,
  accountId: string,
  userId: string | null,
  permissions: ReadonlySet<Permission>,
): Promise<Scope> {
  if (permissions.has('scope.all')) return ALL;
  const teams = userId
    ? await db
        .selectFrom('team_members')
        .innerJoin('teams', (j) =>
          j
            .onRef('teams.account_id', '=', 'team_members.account_id')
            .onRef('teams.id', '=', 'team_members.team_id'),
        )
        .select(['teams.id', 'teams.access'])
        .where('team_members.account_id', '=', accountId)
        .where('team_members.user_id', '=', userId)
        .execute()
    : [];
  if (teams.some((t) => t.access === 'all')) return ALL;
  const teamIds = teams.map((t) => t.id);
  const entries = teamIds.length
    ? await db
        .selectFrom('team_access')
        .select(['organization_id', 'location_id', 'area_id'])
        .where('account_id', '=', accountId)
        .where('team_id', 'in', teamIds)
        .execute()
    : [];
  const whole = new Set<string>();
  const locations = new Set<string>();
  const areas = new Set<string>();
  for (const e of entries) {
    if (e.area_id) areas.add(e.area_id);
    else if (e.location_id) locations.add(e.location_id);
    else whole.add(e.organization_id);
  }
  return {
    all: false,
    accountId,
    userId,
    teamIds,
    organizationIds: [...whole],
    locationIds: [...locations],
    areaIds: [...areas],
    namedOrganizationIds: [...new Set(entries.map((e) => e.organization_id))],
  };
}

function inList(column: string, ids: readonly string[]): RawBuilder<SqlBool> | undefined {
  return ids.length ? sql<SqlBool>`${sql.ref(column)} in (${sql.join(ids)})` : undefined;
}

function anyOf(parts: (RawBuilder<SqlBool> | undefined)[]): RawBuilder<SqlBool> {
  const present = parts.filter((p): p is RawBuilder<SqlBool> => p !== undefined);
  return present.length ? sql<SqlBool>`(${sql.join(present, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

/**
 * The ways a ticket of a limited scope is in it, one condition per ticket index (assignee, team,
 * organization, location, area), each carrying the account. The account goes inside every
 * disjunct rather than beside the OR: SQLite's OR optimisation only uses one index per disjunct
 * when each disjunct can use an index on its own, and with `account_id = ? and (a or b …)` and
 * bound parameters it scanned every ticket of the account instead (1.1 s at 100k tickets).
 */
function ticketBranches(scope: LimitedScope, t: string): RawBuilder<SqlBool>[] {
  const account = sql<SqlBool>`${sql.ref(`${t}.account_id`)} = ${scope.accountId}`;
  const terms = [
    scope.userId ? sql<SqlBool>`${sql.ref(`${t}.assignee_id`)} = ${scope.userId}` : undefined,
    inList(`${t}.team_id`, scope.teamIds),
    inList(`${t}.organization_id`, scope.organizationIds),
    inList(`${t}.location_id`, scope.locationIds),
    inList(`${t}.area_id`, scope.areaIds),
  ];
  return terms
    .filter((term): term is RawBuilder<SqlBool> => term !== undefined)
    .map((term) => sql<SqlBool>`(${account} and ${term})`);
}

/**
 * The condition a ticket row (table or alias `table`) must meet to be in scope; undefined when
 * the scope is the whole account. Use: `.$if(!!c, (q) => q.where(c!))` or `where(c ?? sql\`true\`)`.
 */
export function ticketScope(scope: Scope, table = 'tickets'): RawBuilder<SqlBool> | undefined {
  return scope.all ? undefined : anyOf(ticketBranches(scope, table));
}

/**
 * The one set of customer ids a limited scope sees: the customers of the organizations and
 * locations served and the requesters of the tickets in scope. A UNION of branches that each
 * read one index by its leading columns (about 20,000 ids for ten organizations at a million
 * customers), so the set costs what the scope holds, never what the account holds. Every read of
 * customers under a scope goes through it (customerScope, and the repository's scoped list and
 * count, which start from this set rather than from the customers table).
 */
export function scopedCustomerIds(scope: LimitedScope): RawBuilder<{ id: string }> {
  const account = scope.accountId;
  const parts: RawBuilder<unknown>[] = ticketBranches(scope, 'st').map(
    (branch) => sql`select st.requester_id as id from tickets st where ${branch}`,
  );
  if (scope.organizationIds.length)
    parts.push(
      sql`select sc.id from customers sc where sc.account_id = ${account} and ${inList('sc.organization_id', scope.organizationIds)}`,
    );
  if (scope.locationIds.length)
    parts.push(
      sql`select sl.id from customers sl where sl.account_id = ${account} and ${inList('sl.default_location_id', scope.locationIds)}`,
    );
  if (!parts.length)
    parts.push(sql`select sn.id from customers sn where sn.account_id = ${account} and 1 = 0`);
  return sql<{ id: string }>`${sql.join(parts, sql` union all `)}`;
}

/**
 * The condition a customer row must meet to be in scope: its id in scopedCustomerIds, so lists
 * and counts are driven by the set (a primary-key probe per id in scope, then the order) rather
 * than by a walk of the account's customers. On PostgreSQL, given the dialect, the set is an
 * array built once (`= any(array(…))`): as `in (…)` the planner hash-joined it against a scan of
 * every customer of the account (100 ms at 50k); an array of unknown length makes it probe the
 * primary key instead. SQLite probes the primary key for `in (…)` already.
 */
export function customerScope(
  scope: Scope,
  table = 'customers',
  dialect?: Dialect,
): RawBuilder<SqlBool> | undefined {
  if (scope.all) return undefined;
  const id = sql.ref(`${table}.id`);
  const ids = scopedCustomerIds(scope);
  return dialect === 'postgres'
    ? sql<SqlBool>`${id} = any(array(${ids}))`
    : sql<SqlBool>`${id} in (${ids})`;
}

/** The condition an organization row must meet to be in scope. */
export function organizationScope(
  scope: Scope,
  table = 'organizations',
): RawBuilder<SqlBool> | undefined {
  if (scope.all) return undefined;
  // One branch per tickets index (assignee, team), for the reason given at ticketBranches.
  const own = [
    scope.userId ? sql<SqlBool>`so.assignee_id = ${scope.userId}` : undefined,
    inList('so.team_id', scope.teamIds),
  ]
    .filter((term): term is RawBuilder<SqlBool> => term !== undefined)
    .map(
      (term) =>
        sql`select so.organization_id from tickets so where so.account_id = ${scope.accountId} and ${term} and so.organization_id is not null`,
    );
  return anyOf([
    inList(`${table}.id`, scope.namedOrganizationIds),
    own.length
      ? sql<SqlBool>`${sql.ref(`${table}.id`)} in (${sql.join(own, sql` union `)})`
      : undefined,
  ]);
}

/** Whether the scope covers an organization as a whole (its customers, creating in it). */
export function servesOrganization(scope: Scope, organizationId: string | null): boolean {
  if (scope.all) return true;
  return organizationId !== null && scope.organizationIds.includes(organizationId);
}

type Kind = 'customer' | 'organization' | 'ticket';
const TABLE = { customer: 'customers', organization: 'organizations', ticket: 'tickets' } as const;
const CONDITION = { customer: customerScope, organization: organizationScope, ticket: ticketScope };

/** Whether one row of the account, by id, is in scope (false for a row that does not exist). */
export async function inScope(
  db: Conn,
  scope: Scope,
  accountId: string,
  kind: Kind,
  id: string,
): Promise<boolean> {
  const table = TABLE[kind];
  const condition = CONDITION[kind](scope, table);
  const row = await db
    .selectFrom(table)
    .select(sql<number>`1`.as('one'))
    .where(sql.ref(`${table}.account_id`), '=', accountId)
    .where(sql.ref(`${table}.id`), '=', id)
    .$if(condition !== undefined, (q) => q.where(condition!))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Throws the same 404 a missing row gets when the row is out of scope, so an agent cannot tell
 * a customer they may not see from one that does not exist. A whole-account scope reads nothing.
 */
export async function requireInScope(
  db: Conn,
  scope: Scope,
  accountId: string,
  kind: Kind,
  id: string,
): Promise<void> {
  if (scope.all) return;
  if (!(await inScope(db, scope, accountId, kind, id))) throw new NotFoundError(kind, id);
}
