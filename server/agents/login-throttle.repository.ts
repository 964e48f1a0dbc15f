// The shared login throttle's SQL (table login_throttle, migration 20261205T0300). These rows
// belong to no account (a login is throttled before one is known), so no statement here names
// one; the table is listed in NODE_TABLES for the account-scope rule.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

export interface ThrottleWindow {
  count: number;
  resetAt: number;
  /** Whether this call's attempt was counted (false: the window's limit was already used up). */
  counted: boolean;
}

/**
 * Counts one attempt in one statement (INSERT … ON CONFLICT DO UPDATE … RETURNING): the row lock
 * orders concurrent attempts from every node, and each sees the count the one before it left.
 * An expired window starts over at 1; a window at its limit is left as it is (the attempt is
 * refused, not counted), which `last_reservation` tells apart from the attempt that reached it.
 */
export async function reserveAttempt(
  db: Kysely<Database>,
  attempt: { limiter: string; keyHash: string; reservation: string; now: number },
  options: { limit: number; windowMs: number },
): Promise<ThrottleWindow> {
  const { limiter, keyHash, reservation, now } = attempt;
  const resetAt = now + options.windowMs;
  const expired = sql<boolean>`login_throttle.reset_at <= ${now}`;
  const room = sql<boolean>`login_throttle.count < ${options.limit}`;
  const row = await db
    .insertInto('login_throttle')
    .values({
      limiter,
      key_hash: keyHash,
      count: 1,
      reset_at: resetAt,
      last_reservation: reservation,
    })
    .onConflict((oc) =>
      oc.columns(['limiter', 'key_hash']).doUpdateSet({
        count: sql`case when ${expired} then 1 when ${room} then login_throttle.count + 1 else login_throttle.count end`,
        reset_at: sql`case when ${expired} then ${resetAt} else login_throttle.reset_at end`,
        last_reservation: sql`case when ${expired} or ${room} then ${reservation} else login_throttle.last_reservation end`,
      }),
    )
    .returning(['count', 'reset_at', 'last_reservation'])
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    resetAt: Number(row.reset_at),
    counted: row.last_reservation === reservation,
  };
}

/** Takes one attempt back, only while the window it was counted in is still the current one. */
export async function refundAttempt(
  db: Kysely<Database>,
  attempt: { limiter: string; keyHash: string; resetAt: number },
): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ count: sql`count - 1` })
    .where('limiter', '=', attempt.limiter)
    .where('key_hash', '=', attempt.keyHash)
    .where('reset_at', '=', attempt.resetAt)
    .where('count', '>', 0)
    .execute();
}

/** Forgets one key's window (the in-memory limiter's `reset`). */
export async function deleteWindow(
  db: Kysely<Database>,
  limiter: string,
  keyHash: string,
): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('limiter', '=', limiter)
    .where('key_hash', '=', keyHash)
    .execute();
}

/** Deletes windows that ended before `now`; returns how many. */
export async function deleteExpiredWindows(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('login_throttle')
    .where('reset_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
