// `kunde duplicates backfill` as an operator runs it (a real process on a real database): after
// an old backup is restored, say, an account's customers have no match keys and no pairs; the
// command finds them again for the account named, leaves the other account alone, and says
// clearly when the account named does not exist.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount, unique } from '../test/factories.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/kunde.js');

describe.each(testDialects())('kunde duplicates backfill on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
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
  const suggestions = (accountId: string) =>
    db.kysely
      .selectFrom('duplicate_suggestions')
      .select(['customer_a', 'customer_b', 'reasons'])
      .where('account_id', '=', accountId)
      .orderBy('customer_a')
      .execute();

  it('finds the pairs of the account named again, and only of that account', async () => {
    const [mine, other] = [await createBareAccount(services), await createBareAccount(services)];
    const domain = `${unique('cli')}.example`.toLowerCase();
    for (const { principal } of [mine, other])
      for (const email of [`ola@${domain}`, `ola+support@${domain}`])
        await services.customers.create(principal, { email }, 'agent');
    const found = await suggestions(mine.accountId);
    expect(found).toHaveLength(1);
    for (const { accountId } of [mine, other])
      await db.kysely
        .deleteFrom('duplicate_suggestions')
        .where('account_id', '=', accountId)
        .execute();

    const result = await kunde('duplicates', 'backfill', '--account', mine.accountId);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${mine.accountId}\\t.*: 2 customers kept up\\n$`));
    expect(await suggestions(mine.accountId)).toEqual(found);
    expect(await suggestions(other.accountId)).toEqual([]);
  });

  it('names the account it cannot find', async () => {
    const missing = await kunde('duplicates', 'backfill', '--account', 'no-such-account');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'kunde: --account: no account has the id no-such-account (ids: kunde account list)\n',
    );
  });
});
