// `kunde migrate --dry-run` as an administrator runs it before an upgrade: a real process on a
// database an earlier release left, listing what would run and changing nothing.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { MIGRATION_NAMES, migrateTo, pendingMigrations } from './migrate.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/kunde.js');
const EARLIER = '20261201T1200_inbound_states';

describe.each(testDialects())('kunde migrate --dry-run on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
    await migrateTo(db, EARLIER);
  });
  afterAll(() => db.destroy());

  async function kunde(...args: string[]) {
    const env = { ...process.env, DATA_DIR: '', DATABASE_URL: '', ...db.env };
    return run(process.execPath, [BIN, ...args], { env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  }

  it('lists the pending migrations in order, applies none, and then migrate applies them', async () => {
    const later = MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(EARLIER) + 1);
    expect(later.length).toBeGreaterThan(1);

    const dry = await kunde('migrate', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toBe(
      `Would apply ${later.length} migrations:\n${later.map((name) => `  ${name}\n`).join('')}`,
    );
    expect(await pendingMigrations(db)).toEqual(later);

    const applied = await kunde('migrate');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(`Applied ${later.join(', ')}\n`);

    const again = await kunde('migrate', '--dry-run');
    expect(again.stdout).toBe('The database is up to date; nothing would run\n');
  });
});
