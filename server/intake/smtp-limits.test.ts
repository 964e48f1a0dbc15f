// The SMTP intake's per-client limits as pure rules: who counts as one client, and how the
// message allowance refills.
import { describe, expect, it } from 'vitest';
import { clientKey, ConnectionLimiter, MessageRateLimiter } from './smtp-limits.ts';

describe('clientKey', () => {
  it('counts an IPv4 address as itself and an IPv6 address by its /64', () => {
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:192.0.2.1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('per-client limits', () => {
  it('gives a closed connection its place back', () => {
    const limiter = new ConnectionLimiter(2);
    expect([limiter.tryOpen('a'), limiter.tryOpen('a'), limiter.tryOpen('a')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.tryOpen('b')).toBe(true);
    limiter.release('a');
    expect(limiter.tryOpen('a')).toBe(true);
  });

  it('allows a burst of the per-minute rate, then one message per 60/rate seconds', () => {
    let now = 0;
    const rate = new MessageRateLimiter(6, () => now);
    expect(Array.from({ length: 7 }, () => rate.tryTake('a'))).toEqual([
      ...Array<boolean>(6).fill(true),
      false,
    ]);
    now += 9_999;
    expect(rate.tryTake('a')).toBe(false);
    now += 1;
    expect(rate.tryTake('a')).toBe(true);
    expect(rate.tryTake('a')).toBe(false);
    expect(rate.tryTake('b')).toBe(true);
  });
});
