// The scope suite's data as pure functions of (seed, sizes), so the loader and the suite agree
// without reading the database: which organization customer n is in (ten served organizations of
// BENCH_SCOPE_ORG_CUSTOMERS each, the rest shared by the other organizations, some customers in
// none), ticket t (its requester spread evenly over the customers), and the search terms: names
// that match customers on both sides of the scope, and exact terms that match one customer in
// scope or one out of it.
import { v7 as uuidv7 } from 'uuid';
import { customerAt, rngFor } from './data.ts';

export interface ScopeLayout {
  seed: number;
  customers: number;
  tickets: number;
  organizations: number;
  /** Organizations the scoped agent's team serves (the first ones). */
  served: number;
  /** Customers in each served organization. */
  perServed: number;
}

/** Share of the customers in some organization (the rest have none, as free-mail senders do). */
export const IN_ORGANIZATION_SHARE = 0.6;
/** General teams the tickets are routed to (access 'all', nobody in them). */
export const GENERAL_TEAMS = 4;
const END_MS = Date.UTC(2026, 10, 24);
const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A step coprime with n, so k = i × step mod n visits every customer once (spread, not runs). */
function stepFor(n: number): number {
  let step = Math.floor(n * 0.618) | 1;
  while (gcd(step, n) !== 1) step += 2;
  return step;
}

export function checkLayout(layout: ScopeLayout): void {
  const inOrganizations = Math.floor(layout.customers * IN_ORGANIZATION_SHARE);
  const others = layout.organizations - layout.served;
  if (layout.served < 1 || others < 1)
    throw new Error('BENCH_SCOPE_ORGS must exceed BENCH_SCOPE_SERVED (at least 1 each)');
  if (layout.served * layout.perServed + others > inOrganizations)
    throw new Error(
      `${layout.served} served organizations of ${layout.perServed} customers and ${others} others do not fit in the ${inOrganizations} customers in organizations; lower BENCH_SCOPE_ORG_CUSTOMERS`,
    );
}

/** Customer number n's organization: its index (0 … served-1 are the served ones) or null. */
export function organizationIndexer(layout: ScopeLayout): (n: number) => number | null {
  const step = stepFor(layout.customers);
  const inServed = layout.served * layout.perServed;
  const inOrganizations = Math.floor(layout.customers * IN_ORGANIZATION_SHARE);
  const others = layout.organizations - layout.served;
  return (n) => {
    const k = ((n - 1) * step) % layout.customers;
    if (k < inServed) return Math.floor(k / layout.perServed);
    return k < inOrganizations ? layout.served + ((k - inServed) % others) : null;
  };
}

function deterministicId(seed: number, salt: number, index: number, msecs: number): string {
  const rng = rngFor(seed ^ salt, index);
  const random = new Uint8Array(16);
  for (let b = 0; b < 16; b++) random[b] = Math.floor(rng() * 256);
  return uuidv7({ msecs, random });
}

export function organizationIdAt(seed: number, index: number): string {
  return deterministicId(seed, 0x0a9, index, END_MS - SPAN_MS + index * 1000);
}

export function organizationNameAt(index: number): string {
  return `Bench organization ${String(index + 1).padStart(4, '0')}`;
}

const STATUSES = [
  ['closed', 0.6],
  ['resolved', 0.75],
  ['open', 0.9],
  ['pending', 0.97],
  ['error', 1],
] as const;
const CHANNELS = ['email', 'email', 'email', 'sms', 'hub', 'api'] as const;

export interface GeneratedTicket {
  number: number;
  /** The requester's customer number. */
  requester: number;
  status: string;
  channel: string;
  /** Index of the general team it is routed to, or null. */
  team: number | null;
  createdAt: string;
}

/** Ticket number t+1: a requester drawn evenly from the customers, 80 % routed to a team. */
export function ticketAt(layout: ScopeLayout, t: number): GeneratedTicket {
  const rng = rngFor(layout.seed ^ 0x71c, t);
  const requester = 1 + Math.floor(rng() * layout.customers);
  const r = rng();
  const status = STATUSES.find(([, upTo]) => r < upTo)?.[0] ?? 'closed';
  const channel = CHANNELS[Math.floor(rng() * CHANNELS.length)] ?? 'email';
  const team = rng() < 0.8 ? Math.floor(rng() * GENERAL_TEAMS) : null;
  const createdMs = END_MS - SPAN_MS + Math.floor(((t + rng()) * SPAN_MS) / layout.tickets);
  return {
    number: t + 1,
    requester,
    status,
    channel,
    team,
    createdAt: new Date(createdMs).toISOString(),
  };
}

export type ScopeQueryKind = 'name' | 'in-scope exact' | 'out-of-scope exact';

export interface ScopeSearch {
  q: string;
  kind: ScopeQueryKind;
}

/** An exact term for one customer: the national number, or the whole email address. */
function exactTerm(seed: number, n: number, total: number): string | undefined {
  const { row } = customerAt(seed, n - 1, total, 'x');
  if (row.status !== 'active') return undefined;
  if (row.phone) return row.phone.slice(3);
  return row.email ?? undefined;
}

/**
 * `count` terms of each kind. Names are 3 to 6 letters of an in-scope customer's surname (they
 * match customers on both sides); the exact terms match exactly one active customer.
 */
export function scopeSearches(layout: ScopeLayout, count: number): ScopeSearch[] {
  const organizationOf = organizationIndexer(layout);
  const rng = rngFor(layout.seed ^ 0x5c0e, 0);
  const draw = (inScope: boolean): number => {
    for (;;) {
      const n = 1 + Math.floor(rng() * layout.customers);
      const index = organizationOf(n);
      if ((index !== null && index < layout.served) === inScope) return n;
    }
  };
  const searches: ScopeSearch[] = [];
  while (searches.filter((s) => s.kind === 'name').length < count) {
    const { row } = customerAt(layout.seed, draw(true) - 1, layout.customers, 'x');
    if (!row.last_name || [...row.last_name].length < 3) continue;
    const length = Math.min([...row.last_name].length, 3 + Math.floor(rng() * 4));
    searches.push({ kind: 'name', q: [...row.last_name].slice(0, length).join('') });
  }
  for (const [kind, inScope] of [
    ['in-scope exact', true],
    ['out-of-scope exact', false],
  ] as const) {
    let found = 0;
    while (found < count) {
      const q = exactTerm(layout.seed, draw(inScope), layout.customers);
      if (q === undefined) continue;
      searches.push({ kind, q });
      found += 1;
    }
  }
  return searches;
}
