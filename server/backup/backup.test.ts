// Backup while Kunde writes, restore into a fresh place, and compare: every customer, ticket and
// file the backup holds is there as it was, on both databases. A second restore over it is
// refused without --force; a backup of the other database kind is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemPrincipal } from '../agents/principal.ts';
import { openPostgres, openSqlite, type Db } from '../db/connect.ts';
import { newId } from '../db/ids.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import { createBackup, filesRoot, storedFiles, type BackupTarget } from './backup.ts';
import { restoreBackup } from './restore.ts';

const SUPPORT = 'support@backup-test.no';

/** An empty PostgreSQL database of its own, and how to drop it. */
async function emptyPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresUrl');
  const name = `kunde_restore_${newId().replace(/-/g, '').slice(-12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const mail = (n: number) =>
  Buffer.from(
    [
      `From: Kunde ${n} <kunde.${n}@backup.no>`,
      `To: ${SUPPORT}`,
      `Subject: Sak ${n}`,
      `Message-ID: <backup-${n}@backup.no>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Melding ${n} med vedlegg`,
      '--b',
      `Content-Type: application/octet-stream; name="vedlegg-${n}.bin"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="vedlegg-${n}.bin"`,
      '',
      Buffer.from(`vedlegg ${n} `.repeat(200)).toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );

describe.each(testDialects())('backup and restore on %s', (dialect) => {
  let source: TestDb;
  let services: Services;
  let dataDir: string;
  const cleanup: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    source = await createTestDb(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-backup-src-'));
    services = createServices(source, { dataDir });
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    await source.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const targetOf = (db: TestDb, dir: string): BackupTarget => ({
    dataDir: dir,
    database:
      'DATABASE_URL' in db.env
        ? { dialect: 'postgres', url: db.env.DATABASE_URL }
        : { dialect: 'sqlite', file: path.join(db.env.DATA_DIR, 'kunde.db') },
  });

  async function freshTarget(): Promise<{ target: BackupTarget; open: () => Db }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-backup-dst-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    if (dialect === 'sqlite') {
      const file = path.join(dir, 'kunde.db');
      return {
        target: { dataDir: dir, database: { dialect, file } },
        open: () => openSqlite(file),
      };
    }
    const database = await emptyPostgres();
    cleanup.push(database.drop);
    return {
      target: { dataDir: dir, database: { dialect, url: database.url } },
      open: () => openPostgres(database.url, 2),
    };
  }

  const rows = (
    db: Db,
    table: 'customers' | 'tickets' | 'ticket_messages' | 'ticket_attachments',
  ) => db.kysely.selectFrom(table).selectAll().orderBy('id').execute();

  it('backs up during writes and restores every customer, ticket and file as it was', async () => {
    const { accountId, principal } = await createBareAccount(services, {
      supportAddresses: [SUPPORT],
    });
    for (let n = 0; n < 6; n++) {
      const id = await services.emailIntake.store(accountId, mail(n), {
        from: `kunde.${n}@backup.no`,
        to: SUPPORT,
      });
      await services.emailIntake.processStored(accountId, id);
    }
    for (let n = 0; n < 40; n++)
      await services.customers.create(principal, { email: `fast.${n}@gmail.com` }, 'agent');
    const before = await rows(source, 'customers');

    // Customers keep being created while the backup runs.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await services.customers.create(
          systemPrincipal(accountId, 'Writer'),
          { email: `under.backup.${written}@gmail.com` },
          'api',
        );
        written += 1;
        // SQLite answers without I/O: a server's event loop turns between requests, and so
        // does this one, or the backup's file streams would never get a turn.
        await setImmediate();
      }
    })();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-backup-out-')), 'b.zip');
    cleanup.push(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
    const manifest = await createBackup(targetOf(source, dataDir), out);
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(manifest).toMatchObject({ format: 'kunde-backup', dialect });
    // Six raw messages and six attachments at least (the neighbour account has files too); with
    // the database file store (PostgreSQL's default) they are in the dump instead.
    const local = services.files.backend === 'local';
    expect(manifest.files).toBeGreaterThanOrEqual(local ? 12 : 0);

    const { target, open } = await freshTarget();
    await restoreBackup(target, out);
    const restored = open();
    try {
      const sourceCustomers = new Map((await rows(source, 'customers')).map((c) => [c.id, c]));
      const restoredCustomers = await rows(restored, 'customers');
      // Everything there before the backup began, and nothing that was not in the source.
      expect(restoredCustomers.length).toBeGreaterThanOrEqual(before.length);
      for (const customer of restoredCustomers)
        expect(customer).toEqual(sourceCustomers.get(customer.id));
      for (const customer of before)
        expect(restoredCustomers.some((c) => c.id === customer.id)).toBe(true);
      for (const table of ['tickets', 'ticket_messages', 'ticket_attachments'] as const)
        expect(await rows(restored, table)).toEqual(await rows(source, table));

      // Every file the restored database names is there, byte for byte.
      const keys = [
        ...(await restored.kysely.selectFrom('ticket_attachments').select('file_key').execute()),
        ...(await restored.kysely.selectFrom('inbound_emails').select('file_key').execute()),
      ].map((r) => r.file_key);
      expect(keys.length).toBeGreaterThanOrEqual(12);
      const restoredFiles = createServices(restored, { dataDir: target.dataDir }).files;
      expect(restoredFiles.backend).toBe(services.files.backend);
      for (const key of keys)
        expect(await restoredFiles.readAll(key)).toEqual(await services.files.readAll(key));
      if (local) expect([...storedFiles(filesRoot(target))].length).toBe(manifest.files);
    } finally {
      await restored.close();
    }

    // Restoring again over it is refused, and replaces it with --force.
    await expect(restoreBackup(target, out)).rejects.toThrow(/not empty.*--force/);
    await expect(restoreBackup(target, out, { force: true })).resolves.toMatchObject({ dialect });

    // A backup of the other kind of database is not a restore.
    const other: BackupTarget =
      dialect === 'sqlite'
        ? {
            dataDir: target.dataDir,
            database: { dialect: 'postgres', url: 'postgres://nowhere/x' },
          }
        : {
            dataDir: target.dataDir,
            database: { dialect: 'sqlite', file: '/nonexistent/kunde.db' },
          };
    await expect(restoreBackup(other, out)).rejects.toThrow(/same kind/);
  });
});
