// The permission matrix: for every route of apiRoutes() (the table the OpenAPI document is built
// from), what guards it and which objects its path names; from that, the status each principal
// must get on each object (expectedStatus). permission-matrix.test.ts sends every cell over real
// HTTP on both databases. The guard here is written independently of the route's own `auth`, so
// a route declared with the wrong permission shows up as an unexpected allow, not as agreement.
//
// Adding a route means adding its row (permission-matrix-routes.ts; the test names the METHOD URL
// that has none). The scoped agent (issue 13: a team serving only the fixtures' own organization)
// gets what an Agent gets on this account's own objects and 404 on those out of its scope. The
// Hub customer (issue 14) gets 401 on every agents' route and only the Hub's routes let them in.
import { BUILT_IN_ROLES, PERMISSIONS, type Permission } from '../../common/permissions.ts';

export const PRINCIPALS = [
  'anonymous',
  'administrator',
  'agent',
  /** For a route needing P: an agent whose custom role has every permission but P. */
  'withoutPermission',
  /**
   * The built-in Agent's permissions without scope.all, in a team whose access is the own
   * organization only (server/test/scope-fixtures.ts).
   */
  'scopedAgent',
  /** The neighbour account's administrator, with their own session, on this account's ids. */
  'otherAccountAgent',
  /**
   * A customer of this account signed in to the Customer Hub (a kunde_hub cookie): 401 on every
   * agents' route; on the Hub's, their own objects only.
   */
  'hubCustomer',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/**
 * Whose object a route's path names; 'none' for routes without path parameters. 'outOfScope' is
 * this account's, in an organization the scoped agent's team does not serve; on the Hub's rows
 * it is this account's object of another customer (not the Hub customer's: 404 to them).
 */
export const OBJECT_COLUMNS = ['own', 'outOfScope', 'otherAccount'] as const;
export type ObjectColumn = (typeof OBJECT_COLUMNS)[number] | 'none';

/** Slots the table keeps but cannot run yet (counted as pending; every other cell runs). */
export const PENDING: { principals: PrincipalName[]; columns: ObjectColumn[] } = {
  principals: [],
  columns: [],
};

export type ObjectKind =
  | 'customer'
  | 'organization'
  | 'domain'
  | 'rule'
  | 'contact'
  | 'location'
  | 'area'
  | 'customField'
  | 'customerType'
  | 'import'
  | 'export'
  | 'ticket'
  | 'attachment'
  | 'inboundEmail'
  | 'contract'
  | 'timeEntry'
  | 'notificationGroup'
  | 'member'
  | 'team'
  | 'token'
  | 'user'
  | 'role'
  | 'passwordLink'
  /** A Hub's address (/hub/<slug>), the Hub ticket of the set's customer and its file. */
  | 'hubSite'
  | 'hubTicket'
  | 'hubAttachment'
  /** A pair of the set's customer and its subaddressed twin (issue 15). */
  | 'duplicateSuggestion'
  /** Issue 15: a customer of the set's organization to merge into its customer, and a merge. */
  | 'mergeDuplicate'
  | 'customerMerge'
  /** A webhook endpoint (issue 15) and a failed delivery of it (its test event). */
  | 'webhook'
  | 'webhookDelivery'
  /** An agent's reply held in the outbox (the matrix server has no SMTP_URL; issue 16). */
  | 'outboxEmail';

/**
 * The kinds a scope narrows (server/access/scope.ts): tickets, customers and organizations, and
 * what hangs off them. A row whose path names none of these has no out-of-scope object ('n/a'):
 * teams, roles, tokens, agents and settings answer the scoped agent as they answer an Agent.
 */
export const SCOPED_KINDS: readonly ObjectKind[] = [
  'customer',
  'organization',
  'domain',
  'rule',
  'contact',
  'location',
  'area',
  'export',
  'ticket',
  'attachment',
  'contract',
  'timeEntry',
  'notificationGroup',
  'member',
  'duplicateSuggestion',
  'customerMerge',
];

/** What the Hub shows a customer only when it is theirs: another customer's is out of reach. */
export const HUB_KINDS: readonly ObjectKind[] = ['hubTicket', 'hubAttachment'];

const isScoped = (entry: MatrixEntry) =>
  Object.values(entry.params ?? {}).some(
    (kind) => SCOPED_KINDS.includes(kind) || HUB_KINDS.includes(kind),
  );

/**
 * What lets a request in: nothing ('public'), any agent's session ('authenticated'), a
 * permission, a Hub customer's session ('hub': no agent session or API token is one), or a
 * credential of the route's own (a webhook secret, the platform or metrics token) that no agent
 * session is: every principal of the matrix gets 401 there.
 */
export type Guard = 'public' | 'authenticated' | 'hub' | 'ownCredential' | Permission;

export type Expected = number | 'pending' | 'n/a';
export type CellKey = PrincipalName | `${PrincipalName}/${ObjectColumn}`;

/** What a body builder gets: the acting principal's account's objects and fresh names. */
export interface BodyContext {
  ids: Record<ObjectKind, string>;
  unique: (prefix: string) => string;
  login: { email: string; password: string };
}

/** A JSON value, or a raw body with its content type. */
export type CellBody = unknown;

export interface MatrixEntry {
  guard: Guard;
  /** Path parameter → the kind of object it names. */
  params?: Record<string, ObjectKind>;
  /** Kinds the request consumes: a new one for every cell on this account's objects. */
  fresh?: ObjectKind[];
  /** The request ends the principal's session (log in, log out): a new session per cell. */
  consumesSession?: true;
  /** The allowed answer when it is not the route's declared success status, and why. */
  ok?: { status: number; why: string };
  /** Exceptions to the rules, by principal or principal/column. */
  cells?: Partial<Record<CellKey, Expected>>;
  /** A body that passes validation, when the one sampled from the OpenAPI schema does not. */
  body?: (ctx: BodyContext) => CellBody;
  /**
   * What the administrator gets when the body or query names another account's objects, when
   * not 404 or 422 (the default), and why.
   */
  foreignIds?: number[];
  /**
   * A body naming objects (by ids of ctx.ids), when the plain one names none: sent with this
   * account's ids it must succeed, with another account's it must be refused.
   */
  refs?: (ctx: BodyContext) => CellBody;
  /** The query string, when the route needs one. */
  query?: (ctx: BodyContext) => string;
}

const AGENT_ROLE: readonly Permission[] = BUILT_IN_ROLES.agent.permissions;

function holds(principal: PrincipalName, permission: Permission): boolean {
  switch (principal) {
    case 'administrator':
    case 'otherAccountAgent':
      return true;
    case 'agent':
    case 'scopedAgent':
      return AGENT_ROLE.includes(permission);
    default:
      return false;
  }
}

/**
 * Permissions that widen what an agent sees instead of guarding a route (the scope's
 * `scope.all`, issue 13): the matrix does not ask them to guard one.
 */
export const NOT_ROUTE_GUARDS: readonly string[] = ['scope.all'];

export function isPermission(guard: string): guard is Permission {
  return (PERMISSIONS as readonly string[]).includes(guard);
}

/**
 * The status one cell must answer. The rules: anonymous gets 401 on everything not public; an
 * agent lacking the permission 403 (before any lookup, so the same for any id); another
 * account's object 404 for every principal that gets that far (existence must not leak), and
 * so is an object out of the scoped agent's scope, to them; otherwise the route's success
 * status. A Hub customer gets 401 on every agents' route, and on the Hub's 404 for any object
 * not theirs; every agent 401 on the Hub's. Public routes answer everyone alike: their path names a credential (a set-password
 * link), not an account's object, and whoever holds it is let in.
 */
export function expectedStatus(
  entry: MatrixEntry,
  success: number,
  principal: PrincipalName,
  column: ObjectColumn,
): Expected {
  const exception = entry.cells?.[`${principal}/${column}`] ?? entry.cells?.[principal];
  if (exception !== undefined) return exception;
  if (PENDING.principals.includes(principal) || PENDING.columns.includes(column)) return 'pending';
  // The neighbour's own objects are the administrator's own-object cells seen from there.
  if (principal === 'otherAccountAgent' && column === 'otherAccount') return 'n/a';
  if (column === 'outOfScope' && !isScoped(entry)) return 'n/a';
  if (principal === 'withoutPermission' && !isPermission(entry.guard)) return 'n/a';
  const ok = entry.ok?.status ?? success;
  if (entry.guard === 'public') return ok;
  // The two credentials never stand in for each other: a Hub session is no agent's, and back.
  if (principal === 'hubCustomer') {
    if (entry.guard !== 'hub') return 401;
    return isForeign(principal, column) || column === 'outOfScope' ? 404 : ok;
  }
  if (entry.guard === 'hub' || entry.guard === 'ownCredential' || principal === 'anonymous') {
    return 401;
  }
  if (isPermission(entry.guard) && !holds(principal, entry.guard)) return 403;
  if (isForeign(principal, column)) return 404;
  if (principal === 'scopedAgent' && column === 'outOfScope') return 404;
  return ok;
}

/** Whether the cell's object is another account's, seen from the principal. */
export function isForeign(principal: PrincipalName, column: ObjectColumn): boolean {
  return column === 'otherAccount' || (principal === 'otherAccountAgent' && column !== 'none');
}

/** Shorthands for the rows: the objects a path names, a unique address, a raw body. */
export const id = (kind: ObjectKind, more: Record<string, ObjectKind> = {}) => ({
  id: kind,
  ...more,
});
export const org = (more: Record<string, ObjectKind> = {}) => id('organization', more);
export const email = (c: BodyContext, what: string) => `${c.unique(what)}@cells.example`;
export const raw = (type: string, data: string) => ({ type, data });

export const routeKey = (route: { method: string; url: string }) => `${route.method} ${route.url}`;
