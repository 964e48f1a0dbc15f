// The hash Kunde stores: scrypt at OWASP's cost unless a test asks for less, its parameters kept
// with it, verified against the parameters it was made at.
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_COST, verifyPassword } from './password.ts';

describe('password hashes', () => {
  it('are made at N=2^17, r=8, p=1 by default and verify only the password they were made of', async () => {
    expect(PASSWORD_COST).toEqual({ logN: 17, r: 8, p: 1 });
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('verify a cheaper test hash at the cost stored in it', async () => {
    const hash = await hashPassword('pw', { logN: 12, r: 8, p: 1 });
    expect(hash.startsWith('scrypt$12$8$1$')).toBe(true);
    expect(await verifyPassword('pw', hash)).toBe(true);
    expect(await verifyPassword('PW', hash)).toBe(false);
  });
});
