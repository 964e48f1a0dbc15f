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
