// The account check the whole suite runs under (account-scope.ts): what it lets through, what it
// stops, and that it is on for every way a test database runs SQL, on both dialects.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate.ts';
import {
  AccountScopeError,
  distributedTables,
  enforceAccountScope,
  isAccountScopeEnforced,
  scopeCheck,
} from './account-scope.ts';
import { createTestDb, testDialects, type TestDb } from './databases.ts';

describe('the account check on statement text', () => {
  const check = scopeCheck(['customers', 'customer_identities', 'jobs', 'accounts']);

  it.each([
    'select * from "customers" where "account_id" = ? and "id" = ?',
    'select * from "customers" where "customers"."account_id" = $1 limit $2',
    'update customers as c set x = v.x from unnest($2::text[]) as v(id, x) where c.account_id = $1 and c.id = v.id',
    'delete from "customer_identities" where ("account_id", "kind", "value") in ((?, ?, ?), (?, ?, ?))',
    'insert into "customers" ("account_id", "id") values ($1, $2)',
    'copy customer_identities ("account_id", "kind", "value") from stdin',
    "select kind from customer_identities where account_id = @account and kind = 'email'",
    "select * from customers where account_id = 'a-literal-account'",
    'select * from "customers_fts" where "customers_fts" match ?',
    'select * from "login_directory" where "email" = ?',
    'create index "x" on "customers" ("account_id")',
    // Listed in ALL_ACCOUNT_STATEMENTS: the first-run check.
    'select "account_id" from "accounts" limit ?',
    // … and the job claim, one queue for the installation.
    'update "jobs" set "status" = ?, "locked_by" = ? where (account_id, id) = ((select "account_id", "id" from "jobs" where "kind" in (?, ?) order by "run_at" limit ?))',
    'begin',
  ])('lets through %s', (statement) => {
    expect(check.unscoped(statement)).toEqual([]);
  });

  it.each([
    ['select * from "customers" where "id" = ?', ['customers']],
    ['select * from customers where account_id is not null', ['customers']],
    [
      'update customers as c set x = v.x from unnest($1) as v where c.account_id = v.account_id',
      ['customers'],
    ],
    [
      'select * from "customer_identities" where "value" in (select "email" from "customers")',
      ['customers', 'customer_identities'],
    ],
    ['delete from jobs where status = ?', ['jobs']],
  ])('stops %s', (statement, tables) => {
    expect(check.unscoped(statement).sort()).toEqual([...tables].sort());
  });
});

describe.each(testDialects())('the account check on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect, { migrate: false });
    await migrateToLatest(db);
    // Tests' own statements are exempt in the suite; here they stand in for the code's.
    await enforceAccountScope(db, { testCodeToo: true });
  });
  afterAll(() => db.destroy());

  it('is on for every test database', async () => {
    const other = await createTestDb(dialect);
    try {
      expect(isAccountScopeEnforced(other)).toBe(process.env.KUNDE_TEST_ACCOUNT_SCOPE !== 'off');
    } finally {
      await other.destroy();
    }
  });

  it('knows the distributed tables from the schema, reference tables left out', async () => {
    const tables = await distributedTables(db);
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'customers', 'tickets', 'jobs']));
    expect(tables).not.toContain('login_directory');
    expect(tables).not.toContain('inbound_addresses');
  });

  it('fails a statement that reads customers of every account, and passes the scoped one', async () => {
    await expect(
      db.kysely.selectFrom('customers').select('id').where('status', '=', 'active').execute(),
    ).rejects.toThrow(AccountScopeError);
    await expect(
      db.kysely
        .selectFrom('customers')
        .select('id')
        .where('account_id', '=', 'nobody')
        .where('status', '=', 'active')
        .execute(),
    ).resolves.toEqual([]);
  });

  it('fails raw statements too: prepared on SQLite, on a pooled client on PostgreSQL', async () => {
    if (dialect === 'sqlite') {
      expect(() => db.sqlite?.prepare('select count(*) from customers')).toThrow(AccountScopeError);
    } else {
      const client = await db.pgPool!.connect();
      try {
        expect(() => client.query('select count(*) from tickets')).toThrow(AccountScopeError);
      } finally {
        client.release();
      }
    }
    await expect(sql`select count(*) from jobs`.execute(db.kysely)).rejects.toThrow(
      AccountScopeError,
    );
  });
});
