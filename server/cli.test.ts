// The `kunde` command as an administrator runs it: a real process on a real database.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from './services.ts';
import { createTestDb, testDialects, type TestDb } from './test/databases.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/kunde.js');

describe.each(testDialects())('kunde CLI on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
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

  it('migrates, creates the first administrator, and prints only a token that works', async () => {
    expect((await kunde('migrate')).stdout).toMatch(/up to date|Applied/);
    const created = await kunde(
      'user',
      'create',
      '--email',
      'Boss@Example.com',
      '--name',
      'Boss',
      '--password',
      'a long password',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created account "Kunde" with administrator/);

    const token = await kunde('token', 'create', '--email', 'boss@example.com');
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^kunde\.[^.\s]+\.[A-Za-z0-9_-]{43}\n$/);
    const principal = await createServices(db).agents.principalFromToken(token.stdout.trim());
    expect(principal?.name).toBe('Boss');
    expect(principal?.permissions.has('agents.manage')).toBe(true);

    const agent = await kunde('user', 'create', '--email', 'agent@example.com');
    expect(agent.stdout).toMatch(/Created agent agent@example.com\nPassword: \S{12,}/);
  });

  it('imports a CSV file: a dry run, the import, a replay, then an update of the same file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-cli-'));
    const file = path.join(dir, 'kunder.csv');
    fs.writeFileSync(file, 'email,first_name\nkari@cli.no,Kari\nnot-an-email,Bad\n');
    const summaryOf = (stdout: string) => stdout.split('\n').filter((l) => !l.includes('█'));

    const dry = await kunde('import', file, '--dry-run');
    expect(dry.code).toBe(2);
    expect(summaryOf(dry.stdout)).toEqual(
      expect.arrayContaining([
        'Dry run (nothing written): 2 rows: 1 created, 0 updated, 0 unchanged, 1 failed',
        '  row 3, column "email": not an email address (value "not-an-email")',
      ]),
    );

    // The dry run wrote nothing and is not the same upload: the real import runs.
    const imported = await kunde('import', file);
    expect(imported.code).toBe(2);
    expect(imported.stdout).toContain('2 rows: 1 created, 0 updated, 0 unchanged, 1 failed');
    expect(imported.stdout).not.toContain('Dry run');

    const again = await kunde('import', file);
    expect(again.stdout).toMatch(
      /The same file was imported at .* not imported twice within 10 minutes/,
    );
    expect(again.stdout).toContain('2 rows: 1 created');

    // Asked to update, it is another request: Kari is found and left as she is.
    const update = await kunde('import', file, '--update');
    expect(update.stdout).not.toContain('The same file');
    expect(update.stdout).toContain('2 rows: 0 created, 0 updated, 1 unchanged, 1 failed');
  });

  it('fails with a clear message and a non-zero code', async () => {
    const unknown = await kunde('token', 'create', '--email', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('kunde: No agent has the email nobody@example.com\n');
    const short = await kunde('user', 'create', '--email', 'x@example.com', '--password', 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password: at least 8 characters/);
    const missing = await kunde('token', 'create');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--email/);
  });

  it('creates a second account with its administrator, and agents in the account named', async () => {
    const created = await kunde(
      'account',
      'create',
      '--name',
      'Second Team',
      '--admin-email',
      'Berit@Second.example',
      '--admin-name',
      'Berit',
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines[0]).toBe('Created account "Second Team" with administrator berit@second.example');
    const accountId = /^Account: (\S+)$/.exec(lines[1] ?? '')?.[1] ?? '';
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    const password = /^Password: (\S{12,})$/.exec(lines[2] ?? '')?.[1] ?? '';
    expect(password).not.toBe('');
    // The first account had no support address: mail for it stops, and the command says so.
    expect(created.stderr).toMatch(/note: Mail to any address no longer goes to "Kunde"/);

    const services = createServices(db);
    const login = await services.agents.login('berit@second.example', password, '127.0.0.1');
    expect(login.principal).toMatchObject({ accountId, name: 'Berit' });
    expect(login.principal.permissions.has('agents.manage')).toBe(true);

    const ambiguous = await kunde('user', 'create', '--email', 'who@example.com');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/Several accounts exist; name one with --account/);
    const placed = await kunde(
      'user',
      'create',
      '--email',
      'sam@second.example',
      '--account',
      accountId,
    );
    expect(placed.code).toBe(0);
    const token = await kunde('token', 'create', '--email', 'sam@second.example');
    expect((await services.agents.principalFromToken(token.stdout.trim()))?.accountId).toBe(
      accountId,
    );

    const list = await kunde('account', 'list');
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[2]),
    ).toEqual(['Kunde', 'Second Team']);
    const taken = await kunde(
      'account',
      'create',
      '--name',
      'X',
      '--admin-email',
      'boss@example.com',
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      'kunde: An agent with the email boss@example.com already exists\n  email: already used by another agent\n',
    );
    const bad = await kunde(
      'account',
      'create',
      '--name',
      ' ',
      '--admin-email',
      'x@example.com',
      '--admin-password',
      'short',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/name: a name is required/);
    expect(bad.stderr).toMatch(/adminPassword: at least 8 characters/);
  }, 180_000);
});
