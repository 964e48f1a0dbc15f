// One contract for every file store backend (local directory, database, S3 against a real
// S3-protocol server), on both databases: what a caller of FileStore may rely on whichever
// backend an installation runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createTestAccount } from '../test/factories.ts';
import { startTestS3, type TestS3 } from '../test/s3.ts';
import { DatabaseFileStore } from './database-file-store.ts';
import {
  FileNotFoundError,
  FileTooLargeError,
  type FileBackend,
  type FileStore,
} from './file-store.ts';
import { LocalFileStore } from './local-file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

const backends: FileBackend[] = ['local', 'database', 's3'];

/** A body in pieces of uneven size, so chunk and part boundaries fall mid-piece. */
function pieces(content: Buffer, size = 100_003): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < content.length; at += size) parts.push(content.subarray(at, at + size));
  return Readable.from(parts);
}

async function text(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function keys(store: FileStore, prefix: string): Promise<string[]> {
  const all: string[] = [];
  for await (const key of store.list(prefix)) all.push(key);
  return all;
}

describe.each(testDialects())('file stores on %s', (dialect) => {
  let db: TestDb;
  let s3: TestS3;
  let dataDir: string;
  let account: string;
  const stores = new Map<FileBackend, FileStore>();

  beforeAll(async () => {
    db = await createTestDb(dialect);
    s3 = await startTestS3();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-store-'));
    account = (await createTestAccount(createServices(db, { dataDir }))).accountId;
    stores.set('local', new LocalFileStore(path.join(dataDir, 'files')));
    // Small chunks and parts, so a file of a few hundred KB crosses several of them.
    stores.set('database', new DatabaseFileStore(db.kysely, 64 * 1024));
    stores.set('s3', new S3FileStore(s3.settings, 5 * 1024 * 1024));
  });
  afterAll(async () => {
    (stores.get('s3') as S3FileStore | undefined)?.close();
    await s3.close();
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe.each(backends)('%s', (backend) => {
    const store = () => stores.get(backend)!;
    // 6 MB: more than one S3 part (5 MB here) and many database chunks.
    const content = Buffer.alloc(6 * 1024 * 1024 + 12345);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31 + (i >> 11)) & 0xff;

    it('writes a body, reports its size and sha256, and reads it back whole and by range', async () => {
      const key = `attachments/${account}/${backend}-whole`;
      const stored = await store().write(key, pieces(content));
      expect(stored.size).toBe(content.length);
      const expected = (await import('node:crypto')).createHash('sha256').update(content);
      expect(stored.sha256).toBe(expected.digest('hex'));
      expect((await text(store().read(key))).equals(content)).toBe(true);
      // Ranges inside one chunk, across chunk and part boundaries, to the end.
      for (const [start, end] of [
        [0, 0],
        [10, 70_000],
        [65_535, 65_537],
        [5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 3],
        [content.length - 5, content.length - 1],
      ] as const) {
        const part = await text(store().read(key, { start, end }));
        expect(part.equals(content.subarray(start, end + 1))).toBe(true);
      }
      expect(await store().stat(key)).toEqual({ size: content.length });
      expect(await store().exists(key)).toBe(true);
    });

    it('stores an empty file and a small one; replacing a file replaces it whole', async () => {
      const key = `inbound/${account}/${backend}-small.eml`;
      await store().write(key, Readable.from([]));
      expect(await store().stat(key)).toEqual({ size: 0 });
      expect((await store().readAll(key)).length).toBe(0);
      await store().writeBuffer(key, Buffer.from('Subject: first\r\n'));
      await store().writeBuffer(key, Buffer.from('Subject: second\r\n'));
      expect((await store().readAll(key)).toString()).toBe('Subject: second\r\n');
    });

    it('refuses a body past the limit and leaves nothing of it, nor of the file it would replace', async () => {
      const key = `imports/${account}/${backend}-big.csv`;
      await expect(store().write(key, pieces(content), 1024 * 1024)).rejects.toBeInstanceOf(
        FileTooLargeError,
      );
      expect(await store().exists(key)).toBe(false);
      expect(await keys(store(), `imports/${account}/${backend}-big`)).toEqual([]);
      if (backend === 'database') {
        const chunks = await db.kysely
          .selectFrom('file_chunks')
          .select(db.kysely.fn.countAll().as('count'))
          .where('account_id', '=', account)
          .executeTakeFirstOrThrow();
        const files = await db.kysely
          .selectFrom('files')
          .select(db.kysely.fn.countAll().as('count'))
          .where('account_id', '=', account)
          .executeTakeFirstOrThrow();
        // Every chunk belongs to a stored file: none is left of the refused one.
        const named = await db.kysely
          .selectFrom('file_chunks')
          .innerJoin('files', (j) =>
            j
              .onRef('files.account_id', '=', 'file_chunks.account_id')
              .onRef('files.version', '=', 'file_chunks.version'),
          )
          .select(db.kysely.fn.countAll().as('count'))
          .where('file_chunks.account_id', '=', account)
          .executeTakeFirstOrThrow();
        expect(Number(chunks.count)).toBe(Number(named.count));
        expect(Number(files.count)).toBeGreaterThan(0);
      }
    });

    it('a body that fails midway stores nothing', async () => {
      const key = `exports/${account}/${backend}-broken.zip`;
      const broken = new Readable({
        read() {
          this.push(content.subarray(0, 300_000));
          this.destroy(new Error('the client went away'));
        },
      });
      await expect(store().write(key, broken)).rejects.toThrow('the client went away');
      expect(await store().exists(key)).toBe(false);
    });

    it('lists keys by prefix, removes a file (twice is fine), and a missing one reads as not found', async () => {
      const prefix = `attachments/${account}/${backend}-list-`;
      for (const name of ['b', 'a', 'c'])
        await store().writeBuffer(`${prefix}${name}`, Buffer.from(name));
      expect(await keys(store(), prefix)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
      await store().remove(`${prefix}b`);
      await store().remove(`${prefix}b`);
      expect(await keys(store(), prefix)).toEqual([`${prefix}a`, `${prefix}c`]);
      expect(await store().exists(`${prefix}b`)).toBe(false);
      expect(await store().stat(`${prefix}b`)).toBeUndefined();
      await expect(text(store().read(`${prefix}b`))).rejects.toBeInstanceOf(FileNotFoundError);
      expect((await keys(store(), '')).length).toBeGreaterThanOrEqual(2);
    });

    it('gives a local copy by path, removed when released', async () => {
      const key = `imports/${account}/${backend}-copy.csv`;
      await store().writeBuffer(key, Buffer.from('email\nkari@example.no\n'));
      const copy = await store().localCopy(key);
      expect(fs.readFileSync(copy.path, 'utf8')).toBe('email\nkari@example.no\n');
      await copy.release();
      expect(fs.existsSync(copy.path)).toBe(backend === 'local');
    });
  });
});
