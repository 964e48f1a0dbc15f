// Where files live (attachments, raw mail, import uploads, export archives), behind one interface
// with three backends: a local directory (local-file-store.ts), the database
// (database-file-store.ts: every node sees every file, and the database's backup holds them) and
// an S3-compatible bucket (s3-file-store.ts); open-file-store.ts picks one from the config.
// Keys are relative paths chosen by Kunde ("imports/<account>/<id>.csv"), never by users; the
// second segment is always the account, which is how the database backend scopes its rows.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Conn } from '../db/transaction.ts';

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${Math.round(limit / 1024 / 1024)} MB`);
  }
}

export class FileNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored file ${key}`);
  }
}

export type FileBackend = 'local' | 'database' | 's3';

export interface StoredFile {
  size: number;
  sha256: string;
}

/** Inclusive byte positions, as fs.createReadStream and HTTP Range take them. */
export interface ByteRange {
  start?: number;
  end?: number;
}

/** A file as a path on this node's disk, for code that reads by path (a worker thread). */
export interface LocalCopy {
  path: string;
  /** Deletes the temporary copy (nothing for the local backend, whose path is the file). */
  release(): Promise<void>;
}

export interface FileStore {
  readonly backend: FileBackend;
  /**
   * Streams a body in, hashing it and refusing it past `limit` bytes. A file is replaced whole:
   * a reader sees the old content or the new, and a refused or failed write leaves nothing.
   * `trx`: as for remove (a write inside the caller's transaction on the database backend).
   */
  write(key: string, body: Readable, limit?: number, trx?: Conn): Promise<StoredFile>;
  /** The content as a stream; a missing file is the stream's error (FileNotFoundError). */
  read(key: string, range?: ByteRange): Readable;
  /** Size of a stored file, or undefined when there is none; `trx` as for remove. */
  stat(key: string, trx?: Conn): Promise<{ size: number } | undefined>;
  exists(key: string, trx?: Conn): Promise<boolean>;
  /**
   * Removes a file; removing a missing one is not an error (erasure steps run again). Given the
   * caller's transaction, the database backend removes it in that transaction (on SQLite the
   * only connection is the transaction's until it ends); the others remove it at once.
   */
  remove(key: string, trx?: Conn): Promise<void>;
  /** Every stored key starting with `prefix` ('' for all), in key order. */
  list(prefix: string): AsyncIterable<string>;
  readAll(key: string): Promise<Buffer>;
  writeBuffer(key: string, content: Buffer): Promise<StoredFile>;
  localCopy(key: string): Promise<LocalCopy>;
}

/** Counts and hashes what passes through, failing the stream past `limit` bytes. */
export function meter(limit: number): { transform: Transform; result(): StoredFile } {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) return callback(new FileTooLargeError(limit));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, result: () => ({ size, sha256: (digest ??= hash.digest('hex')) }) };
}

/** The account a key belongs to: its second segment ("inbound/<account>/<id>.eml"). */
export function accountOfKey(key: string): string {
  const account = key.split('/')[1];
  if (!account || key.includes('..') || key.startsWith('/')) throw new Error(`bad file key ${key}`);
  return account;
}

/** What every backend does the same way, in terms of write, read and stat. */
export abstract class BaseFileStore implements FileStore {
  abstract readonly backend: FileBackend;
  abstract write(key: string, body: Readable, limit?: number, trx?: Conn): Promise<StoredFile>;
  abstract read(key: string, range?: ByteRange): Readable;
  abstract stat(key: string, trx?: Conn): Promise<{ size: number } | undefined>;
  abstract remove(key: string, trx?: Conn): Promise<void>;
  abstract list(prefix: string): AsyncIterable<string>;

  async exists(key: string, trx?: Conn): Promise<boolean> {
    return (await this.stat(key, trx)) !== undefined;
  }

  async readAll(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.read(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  writeBuffer(key: string, content: Buffer): Promise<StoredFile> {
    return this.write(key, Readable.from([content]));
  }

  /** A temporary copy on local disk, streamed (never whole in memory). */
  async localCopy(key: string): Promise<LocalCopy> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kunde-file-'));
    const file = path.join(dir, path.basename(key));
    const release = () => fs.promises.rm(dir, { recursive: true, force: true });
    try {
      await pipeline(this.read(key), fs.createWriteStream(file));
    } catch (error) {
      await release();
      throw error;
    }
    return { path: file, release };
  }
}
