// Failed-login throttling per agent email and per client IP: a fixed window counted in memory.
// One node keeps its own counts; with several nodes each limits on its own, which still bounds
// guessing to (nodes × limit) per window.
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
  refund(): void;
}

type Reserved = { ok: true; reservation: Reservation } | { ok: false; retryAfterMs: number };

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
