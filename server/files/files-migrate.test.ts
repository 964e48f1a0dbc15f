// `kunde files migrate`: every file copied and verified, a second run copies nothing, and a
// copy that read back different is reported and retried by the next run; local → database → S3
// on both databases, then the real command line (local → database) with its counts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createTestAccount } from '../test/factories.ts';
import { startTestS3, type TestS3 } from '../test/s3.ts';
import { DatabaseFileStore } from './database-file-store.ts';
import { migrateFiles } from './files-migrate.ts';
import { LocalFileStore } from './local-file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

const run = promisify(execFile);

describe.each(testDialects())('kunde files migrate on %s', (dialect) => {
  let db: TestDb;
  let s3: TestS3;
  let dataDir: string;
  let account: string;
  const contents = new Map<string, Buffer>();

  beforeAll(async () => {
    db = await createTestDb(dialect);
    s3 = await startTestS3();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-migrate-'));
    account = (await createTestAccount(createServices(db, { dataDir }))).accountId;
    const local = new LocalFileStore(path.join(dataDir, 'files'));
    const sizes = [0, 10, 300_000, 2 * 1024 * 1024 + 1];
    for (const [i, size] of sizes.entries()) {
      const key = `attachments/${account}/file-${i}`;
      const content = Buffer.alloc(size, i + 1);
      contents.set(key, content);
      await local.writeBuffer(key, content);
    }
    contents.set(`inbound/${account}/mail.eml`, Buffer.from('Subject: hei\r\n\r\nHallo\r\n'));
    await local.writeBuffer(
      `inbound/${account}/mail.eml`,
      contents.get(`inbound/${account}/mail.eml`)!,
    );
  });
  afterAll(async () => {
    await s3.close();
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every file local → database → S3, verified, and a second run copies nothing', async () => {
    const local = new LocalFileStore(path.join(dataDir, 'files'));
    const database = new DatabaseFileStore(db.kysely);
    const bucket = new S3FileStore(s3.settings);
    try {
      const first = await migrateFiles(local, database);
      expect(first).toMatchObject({ copied: contents.size, skipped: 0, failed: [] });
      for (const [key, content] of contents)
        expect((await database.readAll(key)).equals(content)).toBe(true);
      expect(await migrateFiles(local, database)).toMatchObject({
        copied: 0,
        skipped: contents.size,
      });

      // A target copy that differs (a run stopped mid-write elsewhere) is copied again.
      const damaged = `attachments/${account}/file-2`;
      await database.writeBuffer(damaged, Buffer.alloc(300_000, 0));
      expect(await migrateFiles(local, database)).toMatchObject({
        copied: 1,
        skipped: contents.size - 1,
      });
      expect((await database.readAll(damaged)).equals(contents.get(damaged)!)).toBe(true);

      expect(await migrateFiles(database, bucket)).toMatchObject({
        copied: contents.size,
        failed: [],
      });
      for (const [key, content] of contents)
        expect((await bucket.readAll(key)).equals(content)).toBe(true);
    } finally {
      bucket.close();
    }
  });

  it(
    'runs as `kunde files migrate --to database` and prints the counts',
    { timeout: 120_000 },
    async () => {
      // On SQLite the data directory is the test database's: the files go beside it.
      const dir = 'DATA_DIR' in db.env ? db.env.DATA_DIR : dataDir;
      if (dir !== dataDir)
        fs.cpSync(path.join(dataDir, 'files'), path.join(dir, 'files'), { recursive: true });
      const env = {
        ...process.env,
        DATA_DIR: dir,
        DATABASE_URL: '',
        ...db.env,
        KUNDE_FILE_STORE: 'local',
      };
      const cli = [path.resolve(import.meta.dirname, '../../bin/kunde.js'), 'files', 'migrate'];
      const done = await run(process.execPath, [...cli, '--to', 'database'], { env });
      expect(done.stdout).toContain(
        `Copied 0 files (0 MB) from local to database; ${contents.size} were there already; 0 failed`,
      );
      expect(done.stdout).toContain('Set KUNDE_FILE_STORE=database');
      const same = run(process.execPath, [...cli, '--to', 'local'], { env });
      const refused = (await same.catch((error: unknown) => error)) as {
        code: number;
        stderr: string;
      };
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Files are already in the local backend');
    },
  );
});
