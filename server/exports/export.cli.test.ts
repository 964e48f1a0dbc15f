// `kunde export` as an administrator runs it (a real process on a real database and data
// directory): the customer named by number, email or phone, the zip written where --out says,
// the request and the download on the customer's audit trail; an unknown customer is said clearly.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../agents/principal.ts';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createCanaryCustomer, readZip } from './export.testkit.ts';
import { PERMISSIONS } from '../../common/permissions.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/kunde.js');

describe.each(testDialects())('kunde export on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-export-cli-'));
    const created = await kunde(
      'user',
      'create',
      '--email',
      'boss@cli-export.no',
      '--password',
      'a long password',
    );
    expect(created.code).toBe(0);
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function kunde(...args: string[]) {
    // The same data directory for the database (SQLite) and the files, whichever engine.
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', ...db.env };
    if ('DATA_DIR' in db.env) env.DATA_DIR = db.env.DATA_DIR;
    return run(process.execPath, [BIN, ...args], { env, cwd: dir }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  }

  it('writes the archive of a customer named by number, email or phone', async () => {
    const dataDir = 'DATA_DIR' in db.env ? db.env.DATA_DIR : dir;
    const services = createServices(db, { dataDir });
    const [account] = await services.accounts.list();
    const principal = { ...systemPrincipal(account?.id ?? ''), permissions: new Set(PERMISSIONS) };
    const customer = await createCanaryCustomer(services, principal, 'cli-canary');
    await services.customers.update(principal, customer.customerId, { phone: '+47 915 55 123' });
    const { number } = await services.customers.get(principal, customer.customerId);

    const out = path.join(dir, 'by-number.zip');
    const byNumber = await kunde('export', String(number), '--out', out);
    expect(byNumber.stderr).toBe('');
    expect(byNumber.stdout).toBe(`Wrote ${out}\n`);
    const entries = await readZip(fs.readFileSync(out));
    expect(JSON.parse(entries.get('customer.json')?.toString() ?? '{}')).toMatchObject({
      id: customer.customerId,
      email: 'cli-canary@cli-canary.example',
      phone: '+4791555123',
    });

    const byEmail = await kunde(
      'export',
      'CLI-Canary@cli-canary.example',
      '--out',
      path.join(dir, 'e.zip'),
    );
    expect(byEmail.code).toBe(0);
    const byPhone = await kunde('export', '915 55 123');
    expect(byPhone.code).toBe(0);
    expect(byPhone.stdout).toMatch(
      new RegExp(`Wrote ${dir}/customer-${number}-\\d{4}-\\d\\d-\\d\\d\\.zip`),
    );

    const trail = await services.customers.auditTrail(principal, customer.customerId, 50);
    const actions = trail.items.map((e) => `${e.action} by ${e.actor.name}`);
    expect(actions.filter((a) => a === 'export_downloaded by Command line')).toHaveLength(3);
    expect(actions.filter((a) => a === 'export_requested by Command line')).toHaveLength(3);

    const unknown = await kunde('export', 'nobody@nowhere.example');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'kunde: No customer has the id, number, email or phone "nobody@nowhere.example"\n',
    );
  });
});
