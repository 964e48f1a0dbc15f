// The login throttle shared by every node on one database (issue 18 item 3): the same fixed
// window as FailureLimiter (rate-limit.ts), its counts in the table login_throttle. One atomic
// statement counts an attempt and says whether it fit (login-throttle.repository.ts), so
// concurrent guesses on several nodes are ordered by the row lock and none slips through; a
// success refunds only its own attempt, and only within its window. Keys are hashed before they
// are stored (no email or IP in the table). Old windows are swept by whichever node reserves
// next, at most once a minute per process and database.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AttemptLimiter, LimiterOptions, Limiters, Reserved } from './rate-limit.ts';
import * as repo from './login-throttle.repository.ts';

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<object, number>();

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class DatabaseLimiter implements AttemptLimiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly name: string,
    private readonly options: LimiterOptions,
  ) {}

  async reserve(key: string, now = Date.now()): Promise<Reserved> {
    await this.sweep();
    const keyHash = hashKey(key);
    const window = await repo.reserveAttempt(
      this.db,
      { limiter: this.name, keyHash, reservation: randomUUID(), now },
      this.options,
    );
    if (!window.counted) return { ok: false, retryAfterMs: Math.max(1, window.resetAt - now) };
    let refunded = false;
    return {
      ok: true,
      reservation: {
        refund: async () => {
          if (refunded) return;
          refunded = true;
          await repo.refundAttempt(this.db, {
            limiter: this.name,
            keyHash,
            resetAt: window.resetAt,
          });
        },
      },
    };
  }

  /** Forgets a key's window (tests; an administrator's unlock would go here). */
  async reset(key: string): Promise<void> {
    await repo.deleteWindow(this.db, this.name, hashKey(key));
  }

  // Real time, not the caller's clock: a test's clock moved ahead must not sweep windows other
  // callers still count in.
  private async sweep(now = Date.now()): Promise<void> {
    const last = lastSweep.get(this.db) ?? 0;
    if (now - last < SWEEP_EVERY_MS && now >= last) return;
    lastSweep.set(this.db, now);
    await repo.deleteExpiredWindows(this.db, now);
  }
}

/** Limiters whose counts live in `db` (services.ts picks these on PostgreSQL). */
export function databaseLimiters(db: Kysely<Database>): Limiters {
  return (name, options) => new DatabaseLimiter(db, name, options);
}
