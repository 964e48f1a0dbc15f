// Failed-login throttling per agent email and per client IP: a fixed window per key. Two
// implementations behind one interface (AttemptLimiter), chosen in services.ts: FailureLimiter
// counts in this process's memory (SQLite: one process per data directory, see
// sqlite-lock.ts); DatabaseLimiter (shared-rate-limit.ts) counts in the database, so on
// PostgreSQL every node sees the same counts and N guesses spread over the nodes meet the limit
// at N, not nodes × N.
//
// An attempt is counted when it starts, not when it fails: checking a password takes an async
// scrypt hash, so a limit read before the hash and a failure recorded after it let any number of
// concurrent guesses through (all read the count before the first one failed). `reserve` counts
// the attempt synchronously, in the same tick as the check; a successful login hands back only
// its own attempt (`Reservation.refund`), so one success never reopens the window for others.

export interface LimiterOptions {
  limit: number;
  windowMs: number;
}

/** A counted attempt; `refund` takes it back (once) if its window is still the current one. */
export interface Reservation {
  refund(): void | Promise<void>;
}

export type Reserved = { ok: true; reservation: Reservation } | { ok: false; retryAfterMs: number };

/** What the login paths use: counts an attempt before it is checked (see above). */
export interface AttemptLimiter {
  reserve(key: string, now?: number): Promise<Reserved>;
}

/** Makes the limiter called `name` (its counts are apart from every other limiter's). */
export type Limiters = (name: string, options: LimiterOptions) => AttemptLimiter;

/**
 * In-memory limiters. The count happens synchronously inside `reserve` (before its promise is
 * even returned), so the reserve-before-check rule holds as it did before the interface.
 */
export const memoryLimiters: Limiters = (_name, options) => {
  const limiter = new FailureLimiter(options);
  return { reserve: (key, now) => Promise.resolve(limiter.reserve(key, now)) };
};

export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: LimiterOptions) {}

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= now) return 0;
    return entry.count >= this.options.limit ? entry.resetAt - now : 0;
  }

  /** Counts an attempt before it is checked, or says how long to wait when the limit is used up. */
  reserve(key: string, now = Date.now()): Reserved {
    const wait = this.retryAfter(key, now);
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    const entry = this.count(key, now);
    let refunded = false;
    return {
      ok: true,
      reservation: {
        refund: () => {
          if (refunded) return;
          refunded = true;
          // A refund after the window rolled over would take an attempt off the next window.
          if (this.failures.get(key) === entry && entry.count > 0) entry.count -= 1;
        },
      },
    };
  }

  recordFailure(key: string, now = Date.now()): void {
    this.count(key, now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private count(key: string, now: number): { count: number; resetAt: number } {
    let entry = this.failures.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 1, resetAt: now + this.options.windowMs };
      this.failures.set(key, entry);
    } else {
      entry.count += 1;
    }
    if (this.failures.size > 100_000) this.prune(now);
    return entry;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
