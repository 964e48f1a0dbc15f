// Several nodes (issue 18 item 3), with real processes: the compiled server as `npm start` runs
// it. On PostgreSQL two nodes share one database: both answer HTTP and SMTP, a 10,000-job queue
// is drained by both with every job claimed (and so run) exactly once, an attachment that came
// in by mail is read through both, and failed logins spread over both meet the limit at 10, not
// 20 (the throttle counts in the database). On SQLite a second server on the same data
// directory is refused with a message naming the first; `kunde backup` still works beside it
// (`kunde restore` does not), and a server killed with SIGKILL leaves no lock behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_NODE_FLAGS, startKundeProcess, type KundeProcess } from '../bench/kunde-process.ts';
import { COMPILED_MAIN } from '../scripts/build.mjs';
import { newId } from './db/ids.ts';
import { createServices } from './services.ts';
import { createTestDb, testDialects, type TestDb } from './test/databases.ts';
import { createBareAccount, createTestAccount, type TestAccount } from './test/factories.ts';
import { sendRawMail } from './test/smtp-client.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const JOBS = 10_000;
const SUPPORT = 'support@nodes-test.no';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function mailWithAttachment(content: Buffer, i: number): Buffer {
  const base64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: Kari Nordmann <kari${i}@nodes-test.example>`,
      `To: ${SUPPORT}`,
      `Subject: Two nodes ${i}`,
      `Message-ID: <nodes-${i}-${newId()}@nodes-test.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Vedlegget følger (${i}).`,
      '--b',
      'Content-Type: application/octet-stream; name="data.bin"',
      'Content-Disposition: attachment; filename="data.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      base64,
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe.runIf(testDialects().includes('postgres'))('two nodes on one PostgreSQL', () => {
  let db: TestDb;
  let account: TestAccount;
  let accountId: string;
  let token: string;
  const nodes: KundeProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await createTestDb('postgres');
    const services = createServices(db, { dataDir: tempDir('kunde-nodes-setup-') });
    account = await createTestAccount(services);
    accountId = account.accountId;
    await services.settings.update(accountId, { supportAddresses: [SUPPORT] });
    token = (await services.agents.createToken(accountId, account.admin.userId ?? '', 't')).token;
    await createBareAccount(services); // a neighbour, so every query must name its account
    for (let i = 0; i < 2; i++) {
      const dataDir = tempDir(`kunde-node-${i}-`);
      dirs.push(dataDir);
      nodes.push(
        await startKundeProcess({
          dataDir,
          databaseUrl: 'DATABASE_URL' in db.env ? db.env.DATABASE_URL : undefined,
          logLevel: 'warn',
          env: { SMTP_MESSAGES_PER_MINUTE_PER_IP: '100000' },
        }),
      );
    }
  }, 300_000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await db?.destroy();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = (node: KundeProcess, url: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${node.port}${url}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  it('both answer HTTP and SMTP, and an attachment mailed to one is read through both', async () => {
    for (const node of nodes) {
      const health = await api(node, '/api/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
    }
    // 700 KB: more than one chunk of the database file store.
    const content = randomBytes(700_000);
    const replies = await Promise.all(
      nodes.map((node, i) =>
        sendRawMail({
          port: node.smtpPort,
          from: `kari${i}@nodes-test.example`,
          to: SUPPORT,
          raw: mailWithAttachment(content, i),
        }),
      ),
    );
    expect(replies.map((r) => r.code)).toEqual([250, 250]);
    const attachments = await until(
      'both mails to become tickets with their attachment',
      async () => {
        const rows = await db.kysely
          .selectFrom('ticket_attachments')
          .select(['id', 'file_key'])
          .where('account_id', '=', accountId)
          .execute();
        return rows.length === 2 ? rows : undefined;
      },
    );
    // Nothing on either node's disk: the files are in the database.
    for (const dir of dirs)
      expect(fs.existsSync(path.join(dir, 'files', 'attachments'))).toBe(false);
    for (const attachment of attachments)
      for (const node of nodes) {
        const response = await api(node, `/api/v1/attachments/${attachment.id}`);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
      }
    const tickets = await api(nodes[1]!, '/api/v1/tickets');
    expect(tickets.status).toBe(200);
    const subjects = ((await tickets.json()) as { items: { subject: string }[] }).items
      .map((t) => t.subject)
      .sort();
    expect(subjects).toEqual(['Two nodes 0', 'Two nodes 1']);
  }, 180_000);

  it('drains a 10,000-job queue with both nodes, each job claimed and run once', async () => {
    // expire-export of an export that does not exist: a real task that reads one row and ends.
    const now = new Date().toISOString();
    const ids: string[] = [];
    for (let start = 0; start < JOBS; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, JOBS - start) }, (_, i) => {
        const id = newId();
        ids.push(id);
        return {
          account_id: accountId,
          id,
          kind: 'expire-export',
          payload: JSON.stringify({ exportId: `missing-${start + i}` }),
          status: 'queued' as const,
          attempts: 0,
          max_attempts: 5,
          run_at: now,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        };
      });
      await db.kysely.insertInto('jobs').values(rows).execute();
    }
    // Which workers hold jobs while the queue drains (a claim names its worker: host:pid:…).
    const workers = new Set<string>();
    const started = Date.now();
    await until(
      'the queue to drain',
      async () => {
        const running = await db.kysely
          .selectFrom('jobs')
          .select('locked_by')
          .where('account_id', '=', accountId)
          .where('status', '=', 'running')
          .execute();
        for (const row of running) if (row.locked_by) workers.add(row.locked_by.split(':')[1]!);
        const left = await db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .where('kind', '=', 'expire-export')
          .where('status', '!=', 'done')
          .executeTakeFirstOrThrow();
        return Number(left.n) === 0 ? true : undefined;
      },
      240_000,
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`two nodes drained ${JOBS} jobs in ${seconds.toFixed(1)} s`);
    expect([...workers].sort()).toEqual(nodes.map((n) => String(n.pid)).sort());
    const attempts = await db.kysely
      .selectFrom('jobs')
      .select(['attempts', (eb) => eb.fn.countAll<number>().as('n')])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'expire-export')
      .groupBy('attempts')
      .execute();
    // Every claim adds one attempt and a job runs only under a claim: 1 everywhere = run once.
    expect(attempts.map((a) => [Number(a.attempts), Number(a.n)])).toEqual([[1, JOBS]]);
  }, 300_000);

  it('failed logins spread over both nodes meet the limit at 10, not 20', async () => {
    const attempt = (i: number, password: string) =>
      fetch(`http://127.0.0.1:${nodes[i % 2]!.port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.adminEmail, password }),
      }).then((r) => r.status);
    // Concurrent guesses on both nodes: the throttle counts before the hash, in one statement.
    const statuses = await Promise.all(
      Array.from({ length: 24 }, (_, i) => attempt(i, `wrong guess ${i}`)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(14);
    // Locked on both nodes now, even with the right password.
    expect(await attempt(0, account.password)).toBe(429);
    expect(await attempt(1, account.password)).toBe(429);
  }, 120_000);
});

describe('SQLite: one server per data directory', () => {
  let db: TestDb;
  let first: KundeProcess | undefined;
  beforeAll(async () => {
    db = await createTestDb('sqlite');
  });
  afterAll(async () => {
    await first?.stop();
    await db.destroy();
  });

  const dataDir = () => ('DATA_DIR' in db.env ? db.env.DATA_DIR : '');
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: dataDir(),
          DATABASE_URL: '',
          HOST: '127.0.0.1',
          PORT: '0',
          SMTP_PORT: '0',
          LOG_LEVEL: 'warn',
          KUNDE_ADMIN_EMAIL: '',
          KUNDE_ADMIN_PASSWORD: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('refuses a second server with a message naming the first; backup works beside it', async () => {
    first = await startKundeProcess({ dataDir: dataDir(), logLevel: 'warn' });
    const second = await run([...START_NODE_FLAGS, path.join(ROOT, COMPILED_MAIN)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Another Kunde server is already running on the data directory ${dataDir()} (pid ${first.pid}`,
    );
    expect(second.stdout).not.toContain('Kunde is running');
    // The first one still serves.
    expect((await fetch(`http://127.0.0.1:${first.port}/api/health`)).status).toBe(200);
    const out = path.join(tempDir('kunde-nodes-backup-'), 'backup.zip');
    const backup = await run(['--import', 'tsx', 'server/cli.ts', 'backup', '--out', out]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(0);
    // A restore would replace the database under the running server: refused, even with --force.
    const restore = await run(['--import', 'tsx', 'server/cli.ts', 'restore', out, '--force']);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(
      `Kunde is running on the data directory ${dataDir()} (pid ${first.pid}`,
    );
    expect((await fetch(`http://127.0.0.1:${first.port}/api/health`)).status).toBe(200);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }, 180_000);

  it('a server killed with SIGKILL leaves no lock behind: the next one starts', async () => {
    await first?.kill();
    first = await startKundeProcess({ dataDir: dataDir(), logLevel: 'warn' });
    expect((await fetch(`http://127.0.0.1:${first.port}/api/health`)).status).toBe(200);
    await first.stop();
    first = undefined;
    // A clean stop leaves no pid file either.
    expect(fs.existsSync(path.join(dataDir(), 'kunde.pid'))).toBe(false);
  }, 180_000);
});
