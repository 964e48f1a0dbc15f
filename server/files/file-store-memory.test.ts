// Memory stays flat through the database and S3 backends: a 20 MB file (the bench's size is
// 100 MB; 20 MB keeps CI fast) is generated as it is written and counted as it is read, so
// only the store's own buffering can hold it. RSS over the baseline is asserted loosely.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createTestAccount } from '../test/factories.ts';
import { startTestS3, type TestS3 } from '../test/s3.ts';
import { DatabaseFileStore } from './database-file-store.ts';
import type { FileStore } from './file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

const MB = 1024 * 1024;
const SIZE = 20 * MB;

function generated(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const piece = Buffer.alloc(Math.min(64 * 1024, size - sent), sent & 0xff);
      sent += piece.length;
      this.push(piece);
    },
  });
}

describe.each(testDialects())('file store memory on %s', (dialect) => {
  let db: TestDb;
  let s3: TestS3;
  let account: string;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    s3 = await startTestS3();
    account = (await createTestAccount(createServices(db))).accountId;
  });
  afterAll(async () => {
    await s3.close();
    await db.destroy();
  });

  it.each(['database', 's3'])(
    'streams 20 MB in and out through %s with flat memory',
    async (backend) => {
      const store: FileStore =
        backend === 'database' ? new DatabaseFileStore(db.kysely) : new S3FileStore(s3.settings);
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      try {
        const key = `attachments/${account}/memory-${backend}`;
        expect((await store.write(key, generated(SIZE))).size).toBe(SIZE);
        let read = 0;
        for await (const chunk of store.read(key)) read += (chunk as Buffer).length;
        expect(read).toBe(SIZE);
        await store.remove(key);
      } finally {
        clearInterval(sample);
        if (store instanceof S3FileStore) store.close();
      }
      const growthMb = (peak - baseline) / MB;
      console.log(
        `${dialect} ${backend}: RSS growth ${growthMb.toFixed(1)} MB for a ${SIZE / MB} MB file`,
      );
      expect(growthMb).toBeLessThan(40);
    },
  );
});
