import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.ts';

describe('FailureLimiter', () => {
  it('blocks after the limit until the window ends', () => {
    const limiter = new FailureLimiter({ limit: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('k', 0)).toBe(0);
      limiter.recordFailure('k', 0);
    }
    expect(limiter.retryAfter('k', 100)).toBe(900);
    expect(limiter.retryAfter('other', 100)).toBe(0);
    expect(limiter.retryAfter('k', 1000)).toBe(0);
  });
});

describe('FailureLimiter.reserve', () => {
  it('counts an attempt when it starts, so attempts in flight use up the limit', () => {
    const limiter = new FailureLimiter({ limit: 3, windowMs: 1000 });
    const reserved = [0, 1, 2, 3, 4].map(() => limiter.reserve('k', 0));
    expect(reserved.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    const refused = reserved[3];
    expect(refused?.ok === false && refused.retryAfterMs).toBe(1000);
  });

  it('a refund gives back one attempt, once, and never one of the next window', () => {
    const limiter = new FailureLimiter({ limit: 2, windowMs: 1000 });
    const first = limiter.reserve('k', 0);
    limiter.reserve('k', 0);
    expect(limiter.retryAfter('k', 10)).toBe(990);
    if (!first.ok) throw new Error('expected a reservation');
    void first.reservation.refund();
    void first.reservation.refund();
    expect(limiter.reserve('k', 20).ok).toBe(true);
    expect(limiter.reserve('k', 20).ok).toBe(false);

    const old = limiter.reserve('j', 0);
    limiter.reserve('j', 1500);
    limiter.reserve('j', 1500);
    if (!old.ok) throw new Error('expected a reservation');
    void old.reservation.refund();
    expect(limiter.reserve('j', 1600).ok).toBe(false);
  });
});
