// The login throttle shared through the database (shared-rate-limit.ts), on both databases and
// with two connections to one database standing in for two nodes: concurrent attempts from both
// meet the limit exactly, a refund gives back one attempt once and never one of the next window,
// an attempt refused while the window is full is not counted, old windows are swept, and no
// email address is stored.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, openSqlite, type Db } from '../db/connect.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { DatabaseLimiter, hashKey } from './shared-rate-limit.ts';

describe.each(testDialects())('DatabaseLimiter on %s', (dialect) => {
  let db: TestDb;
  let other: Db;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    other =
      'DATABASE_URL' in db.env
        ? openPostgres(db.env.DATABASE_URL, 10)
        : openSqlite(path.join(db.env.DATA_DIR, 'kunde.db'));
  });
  afterAll(async () => {
    await other.close();
    await db.destroy();
  });

  const limiters = (name: string, limit: number, windowMs = 60_000) => [
    new DatabaseLimiter(db.kysely, name, { limit, windowMs }),
    new DatabaseLimiter(other.kysely, name, { limit, windowMs }),
  ];

  it('lets exactly the limit through when two nodes guess at once', async () => {
    const [a, b] = limiters('race', 10);
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a! : b!).reserve('kari@example.no', now)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.find((r) => !r.ok);
    expect(refused?.ok === false && refused.retryAfterMs).toBeGreaterThan(59_000);
    // Another key and another limiter count apart.
    expect((await a!.reserve('per@example.no', now)).ok).toBe(true);
    expect((await limiters('race-2', 10)[1]!.reserve('kari@example.no', now)).ok).toBe(true);
  });

  it('a refund gives back one attempt, once, and never one of the next window', async () => {
    const [a, b] = limiters('refund', 2, 1000);
    const now = Date.now();
    const first = await a!.reserve('k', now);
    const second = await b!.reserve('k', now);
    expect((await a!.reserve('k', now)).ok).toBe(false);
    if (!first.ok || !second.ok) throw new Error('both should have been counted');
    await first.reservation.refund();
    await first.reservation.refund();
    expect((await b!.reserve('k', now)).ok).toBe(true);
    expect((await b!.reserve('k', now)).ok).toBe(false);
    // The window rolls over; the old reservation's refund must not lower the new count.
    const later = now + 1000;
    expect((await a!.reserve('k', later)).ok).toBe(true);
    await second.reservation.refund();
    expect((await a!.reserve('k', later)).ok).toBe(true);
    expect((await a!.reserve('k', later)).ok).toBe(false);
  });

  it('does not count an attempt it refused, so a success in flight reopens one', async () => {
    const [a, b] = limiters('refused', 3);
    const now = Date.now();
    const held = await Promise.all([1, 2, 3].map(() => a!.reserve('k', now)));
    for (let i = 0; i < 5; i++) expect((await b!.reserve('k', now)).ok).toBe(false);
    const success = held[0];
    if (!success?.ok) throw new Error('the first should have been counted');
    await success.reservation.refund();
    expect((await b!.reserve('k', now)).ok).toBe(true);
    expect((await a!.reserve('k', now)).ok).toBe(false);
  });

  it('stores the key hashed and sweeps windows that ended', async () => {
    const [a] = limiters('sweep', 5, 1);
    await a!.reserve('ola@example.no', Date.now() - 120_000);
    const rows = await db.kysely.selectFrom('login_throttle').selectAll().execute();
    expect(rows.some((r) => r.key_hash === hashKey('ola@example.no'))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('example.no');
    // The sweep runs at most once a minute per database handle: a fresh handle sweeps at once.
    const fresh =
      'DATABASE_URL' in db.env
        ? openPostgres(db.env.DATABASE_URL, 1)
        : openSqlite(path.join(db.env.DATA_DIR, 'kunde.db'));
    try {
      await new DatabaseLimiter(fresh.kysely, 'sweep', { limit: 5, windowMs: 1 }).reserve('x');
    } finally {
      await fresh.close();
    }
    const left = await db.kysely.selectFrom('login_throttle').select('key_hash').execute();
    expect(left.map((r) => r.key_hash)).not.toContain(hashKey('ola@example.no'));
  });
});
