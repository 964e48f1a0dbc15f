// When a customer may be erased: the rules, as pure functions (no SQL, no clock of their own).
//
// The retention period, precisely: with `customerRetentionDays` N > 0, a customer whose last
// activity (customers.last_activity_at, else created_at) fell on local day D in the account's
// time zone may be erased from the start (local midnight) of day D + N + 1. So N whole local
// days after the day of the last activity must have passed; an activity at 23:59 or at 00:01
// counts the same. Where local midnight does not exist (a DST change at midnight), the first
// instant of that day. N = 0 means no retention period. Intl gives the time-zone arithmetic.
import type { ErasureRefusal } from '../../common/erasure.ts';
import { LISTED_TICKETS } from '../../common/erasure.ts';

const DAY_MS = 86_400_000;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `instant` in `timeZone`, as if it were UTC (milliseconds). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

export function localDate(instant: number, timeZone: string): LocalDate {
  const wall = new Date(wallClock(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The first instant of a local day in `timeZone`. */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const target = Date.UTC(date.year, date.month - 1, date.day);
  // Guess with the offset at the UTC midnight, then correct with the offset at the guess.
  let guess = target - (wallClock(target, timeZone) - target);
  guess = target - (wallClock(guess, timeZone) - guess);
  // In a gap the guess lands on the day before or an hour late; walk to the day's first minute.
  while (wallClock(guess, timeZone) >= target) guess -= 60_000 * 15;
  while (wallClock(guess, timeZone) < target) guess += 60_000 * 15;
  for (let step = 60_000 * 15; step >= 1000; step /= 15) {
    while (wallClock(guess - step, timeZone) >= target) guess -= step;
  }
  return guess;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoDate(date: LocalDate): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** From when a customer last active at `lastActivity` may be erased; undefined with no period. */
export function erasableFrom(
  lastActivity: string,
  retentionDays: number,
  timeZone: string,
): { instant: string; date: string } | undefined {
  if (retentionDays <= 0) return undefined;
  const day = addDays(localDate(Date.parse(lastActivity), timeZone), retentionDays + 1);
  return { instant: new Date(startOfLocalDay(day, timeZone)).toISOString(), date: isoDate(day) };
}

/**
 * The purge's cutoff: a customer whose last activity is before it is past the period at `now`.
 * Activity on local day D is past at the start of D + N + 1, so at `now` (local day T) every
 * activity before the start of day T - N is past.
 */
export function retentionCutoff(now: number, retentionDays: number, timeZone: string): string {
  const today = localDate(now, timeZone);
  return new Date(startOfLocalDay(addDays(today, -retentionDays), timeZone)).toISOString();
}

export interface ErasureFacts {
  unresolvedTickets: { count: number; numbers: number[] };
  lastActivityAt: string | null;
  createdAt: string;
  retentionDays: number;
  timeZone: string;
  now: number;
}

/** Why a customer may not be erased now; empty when it may. */
export function erasureRefusals(facts: ErasureFacts): ErasureRefusal[] {
  const refusals: ErasureRefusal[] = [];
  const { count, numbers } = facts.unresolvedTickets;
  if (count > 0) {
    const listed = numbers.slice(0, LISTED_TICKETS);
    refusals.push({
      code: 'unresolved_tickets',
      message: `The customer has ${count} unresolved ticket${count === 1 ? '' : 's'}: ${listed.map((n) => `#${n}`).join(', ')}${count > listed.length ? ', …' : ''}`,
      count,
      tickets: listed,
    });
  }
  const from = erasableFrom(
    facts.lastActivityAt ?? facts.createdAt,
    facts.retentionDays,
    facts.timeZone,
  );
  if (from && Date.parse(from.instant) > facts.now) {
    refusals.push({
      code: 'within_retention',
      message: `The customer is within the retention period; erasure is possible from ${from.date}`,
      possibleFrom: from.instant,
      possibleFromDate: from.date,
      timeZone: facts.timeZone,
    });
  }
  return refusals;
}
