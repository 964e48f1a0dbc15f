// Where files live (uploads, export archives, attachments): a directory under DATA_DIR.
// Keys are relative paths chosen by Kunde ("imports/<account>/<id>.csv"), never by users.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${Math.round(limit / 1024 / 1024)} MB`);
  }
}

export class FileStore {
  constructor(readonly root: string) {}

  private resolve(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep))
      throw new Error(`bad file key ${key}`);
    return full;
  }

  /** Streams a body into the store, hashing it and refusing it past `limit` bytes. */
  async write(
    key: string,
    body: Readable,
    limit = Infinity,
  ): Promise<{ size: number; sha256: string }> {
    const target = this.resolve(key);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) return callback(new FileTooLargeError(limit));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const temporary = `${target}.part`;
    try {
      await pipeline(body, meter, fs.createWriteStream(temporary));
      fs.renameSync(temporary, target);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  read(key: string, options: { start?: number; end?: number } = {}): Readable {
    return fs.createReadStream(this.resolve(key), options);
  }

  path(key: string): string {
    return this.resolve(key);
  }

  exists(key: string): boolean {
    return fs.existsSync(this.resolve(key));
  }

  async readAll(key: string): Promise<Buffer> {
    return fs.promises.readFile(this.resolve(key));
  }

  /** Replaces a file's content in one rename, so a reader sees the old or the new file whole. */
  async writeBuffer(key: string, content: Buffer): Promise<void> {
    const target = this.resolve(key);
    const temporary = `${target}.part`;
    await fs.promises.writeFile(temporary, content);
    await fs.promises.rename(temporary, target);
  }

  remove(key: string): void {
    fs.rmSync(this.resolve(key), { force: true });
  }
}
