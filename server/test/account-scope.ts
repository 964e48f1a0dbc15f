// The check that keeps the Citus path true (issue 18, item 7): in tests, every SQL statement that
// touches a distributed table (a table with account_id that is not a reference table) must name
// the account it works on: an `account_id = <value>` / `in (<values>)` condition, a tuple
// `(account_id, …) = / in (<values>)`, or account_id among an INSERT's or COPY's columns. On
// Citus that is what lets the statement go to one shard; here it is also the tenant fence.
//
// It reads statement text, so it is conservative rather than a parser: a table counts as touched
// when its name appears as an identifier, and one pinned account_id condition satisfies the whole
// statement (a join whose second table is not pinned passes; SCALING.md says joins go on
// account_id). The few statements that rightly span accounts are listed in ALL_ACCOUNT_STATEMENTS,
// each with why.
//
// KUNDE_TEST_ACCOUNT_SCOPE=log records instead of failing (to survey a whole run), =off turns it
// off; KUNDE_TEST_ACCOUNT_SCOPE_LOG=<file> appends each violation there as a JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { expect } from 'vitest';
import type { Db } from '../db/connect.ts';
import { REFERENCE_TABLES } from '../db/database.ts';

/** Statements that span accounts on purpose. Each is matched on its SQL text (lower case). */
export const ALL_ACCOUNT_STATEMENTS: { why: string; pattern: RegExp }[] = [
  {
    // The job queue is one queue for the installation: a worker takes the next due job of any
    // account (FOR UPDATE SKIP LOCKED). SCALING.md: the one multi-shard write, and a known
    // blocker on Citus (FOR UPDATE only runs on one shard there), with the fix proposed.
    why: 'job claim',
    pattern:
      /^update "jobs" set "status" = .* where \(account_id, id\) = \(\(select "account_id", "id" from "jobs" where "kind" in/s,
  },
  {
    // Whether any account exists (the first-run page), and whether there is exactly one (mail
    // to an unknown address goes to the only account; import.cli.ts picks the only account).
    // A multi-shard read of the smallest table, never a tenant's data.
    why: 'is there one account, or any',
    pattern: /^select "account_id" from "accounts" limit (\?|\$1)$/,
  },
  {
    // The platform administrator's list of accounts (account.repository.ts listAccounts).
    why: 'platform: every account',
    pattern:
      /^select "account_id", "name", "created_at" from "accounts" order by "created_at", "account_id"$/,
  },
  {
    // /metrics counts waiting and failed work across the installation (metrics.repository.ts).
    why: 'metrics: open jobs by kind',
    pattern: /^select "kind", "status", count\(\*\) as "count", min\(case/s,
  },
  {
    // Installation-wide work that seeks account by account (account_id in the accounts):
    // /metrics' counts, and releasing every account's held mail once SMTP_URL is set
    // (mail/outbox.ts releaseHeldMail).
    why: 'installation-wide, per account',
    pattern: /"account_id" in \(select "account_id" from "accounts"\)/s,
  },
];

const TRANSACTION_CONTROL =
  /^\s*(begin|commit|rollback|savepoint|release|set |show |pragma|create |alter |drop |vacuum|analyze|reindex)/i;

export class AccountScopeError extends Error {}

export interface ScopeCheck {
  /** The statement's distributed tables when it names no account and is not allowed; else []. */
  unscoped(statement: string): string[];
}

export function scopeCheck(distributedTables: string[]): ScopeCheck {
  const mentions = distributedTables.map(
    (table) => [table, new RegExp(`(?<![\\w.$])"?${table}"?(?![\\w"])`)] as const,
  );
  const value = String.raw`(?:\$\d+|\?|[@:]\w+|'')`;
  const column = String.raw`(?:"?\w+"?\.)?"?account_id"?`;
  const pinned = [
    new RegExp(String.raw`${column}\s*=\s*(?:any\s*\(\s*)?${value}`),
    new RegExp(String.raw`${value}\s*=\s*${column}`),
    new RegExp(String.raw`${column}\s+in\s*\(\s*${value}`),
    new RegExp(String.raw`\(\s*${column}\s*,[^()]*\)\s*(?:=|in)\s*\(\s*\(?\s*${value}`),
    new RegExp(String.raw`^\s*(?:insert\s+into|copy)\s+"?\w+"?\s*\([^)]*"?account_id"?`),
  ];
  return {
    unscoped(statement) {
      if (TRANSACTION_CONTROL.test(statement)) return [];
      // String literals cannot name a table, and a literal account id pins like a parameter.
      const text = statement.toLowerCase().replace(/'(?:[^']|'')*'/g, "''");
      const touched = mentions.filter(([, pattern]) => pattern.test(text)).map(([table]) => table);
      if (touched.length === 0) return [];
      if (pinned.some((pattern) => pattern.test(text))) return [];
      if (ALL_ACCOUNT_STATEMENTS.some((allowed) => allowed.pattern.test(text))) return [];
      return touched;
    },
  };
}

function mode(): 'enforce' | 'log' | 'off' {
  const value = process.env.KUNDE_TEST_ACCOUNT_SCOPE;
  return value === 'log' || value === 'off' ? value : 'enforce';
}

const ROOT = path.resolve(import.meta.dirname, '../..');
// A test's own statements (an assertion that looks across accounts to prove nothing leaked, a
// residue scan) are not the code's: the check holds the code to the rule, not its tests.
const CONNECTION_FILE = 'server/db/connect.ts';
const TEST_CODE = /\.test\.ts$|\.testkit\.ts$|^server\/test\/|^e2e\/|^bench\//;

/**
 * The project file the statement came from: the first frame outside node_modules and this
 * file (a repository, a task, a migration, or a test's own query). V8's async stack traces
 * follow the awaits from the driver back to it.
 */
function origin(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 80;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const match of stack.matchAll(/\(?(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+\)?$/gm)) {
    const file = match[1] ?? '';
    if (file.includes('/node_modules/') || file === import.meta.filename) continue;
    const relative = path.relative(ROOT, file);
    // The connection's statement cache (connect.ts) stands between Kysely and prepare().
    if (relative === CONNECTION_FILE) continue;
    if (relative.startsWith('..')) continue;
    return `${relative}:${match[2]}`;
  }
  return undefined;
}

function report(statement: string, tables: string[], testCodeToo: boolean): void {
  const from = origin();
  if (!testCodeToo && from && TEST_CODE.test(from.replace(/:\d+$/, ''))) return;
  const file = process.env.KUNDE_TEST_ACCOUNT_SCOPE_LOG;
  if (file) {
    let test = '';
    try {
      test = expect.getState().currentTestName ?? '';
    } catch {
      // outside a test (a hook): no name
    }
    fs.appendFileSync(file, `${JSON.stringify({ tables, from, test, sql: statement })}\n`);
  }
  if (mode() === 'enforce')
    throw new AccountScopeError(
      `A statement from ${from ?? 'an unknown place'} touches ${tables.join(', ')} without naming the account (account_id = …); ` +
        `Citus could not send it to one shard. Add the account condition, or list it in ` +
        `server/test/account-scope.ts with why it spans accounts: ${statement.slice(0, 400)}`,
    );
}

/** Tables with an account_id column that are not reference tables: Citus distributes these. */
export async function distributedTables(db: Db): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await sql<{ name: string }>`select m.name as name from sqlite_master m
          join pragma_table_info(m.name) c on c.name = 'account_id'
          where m.type = 'table'`.execute(db.kysely)
      : await sql<{ name: string }>`select table_name as name from information_schema.columns
          where table_schema = 'public' and column_name = 'account_id'`.execute(db.kysely);
  const reference = new Set<string>(REFERENCE_TABLES);
  return rows.rows.map((r) => r.name).filter((name) => !reference.has(name));
}

function checkText(check: ScopeCheck & { testCodeToo: boolean }, statement: unknown): void {
  const text =
    typeof statement === 'string'
      ? statement
      : typeof (statement as { text?: unknown } | null)?.text === 'string'
        ? (statement as { text: string }).text
        : undefined;
  if (text === undefined) return;
  const tables = check.unscoped(text);
  if (tables.length) report(text, tables, check.testCodeToo);
}

const wrapped = new WeakSet<object>();

function wrapPgClient(check: ScopeCheck & { testCodeToo: boolean }, client: pg.PoolClient): void {
  if (wrapped.has(client)) return;
  wrapped.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    checkText(check, args[0]);
    return query(...args);
  };
}

const suspended = new WeakMap<object, number>();
const enforced = new WeakSet<object>();

/** Whether enforceAccountScope is on for this database. */
export function isAccountScopeEnforced(db: Db): boolean {
  return enforced.has(db.kysely);
}

/**
 * Runs work that spans accounts on purpose (a migration's rewrite, called by its own test) with
 * the check off for this database; `why` is for the reader.
 */
export async function acrossAccounts<T>(db: Db, why: string, work: () => Promise<T>): Promise<T> {
  void why;
  suspended.set(db.kysely, (suspended.get(db.kysely) ?? 0) + 1);
  try {
    return await work();
  } finally {
    suspended.set(db.kysely, (suspended.get(db.kysely) ?? 1) - 1);
  }
}

/**
 * Puts the check on every statement this database runs from now on: Kysely's, and the raw ones
 * (COPY and array updates on the pool's clients, prepared statements on the SQLite connection).
 */
export async function enforceAccountScope(
  db: Db,
  options: { testCodeToo?: boolean } = {},
): Promise<void> {
  if (mode() === 'off') return;
  const tableCheck = scopeCheck(await distributedTables(db));
  const check = {
    unscoped: (statement: string) =>
      suspended.get(db.kysely) ? [] : tableCheck.unscoped(statement),
    // The check's own test holds a test's statements to the rule too.
    testCodeToo: options.testCodeToo ?? false,
  };
  enforced.add(db.kysely);
  if (db.sqlite) {
    const connection = db.sqlite;
    const prepare = connection.prepare.bind(connection);
    const exec = connection.exec.bind(connection);
    connection.prepare = (source: string) => {
      checkText(check, source);
      return prepare(source);
    };
    connection.exec = (source: string) => {
      checkText(check, source);
      return exec(source);
    };
  }
  if (db.pgPool) {
    const pool = db.pgPool;
    // Clients made from now on; pg emits 'connect' before a new client is handed out.
    pool.on('connect', (client) => wrapPgClient(check, client));
    // Clients already in the pool (the migrations' own); pg-pool keeps them in _clients.
    const clients = (pool as unknown as { _clients?: pg.PoolClient[] })._clients ?? [];
    for (const client of clients) wrapPgClient(check, client);
  }
}
