// The local backend: DATA_DIR/files on this node's disk (the default on SQLite). A write goes to
// `<file>.part` and is renamed when whole, so a reader never sees half a file; keys never
// resolve outside the root.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BaseFileStore,
  FileNotFoundError,
  meter,
  type ByteRange,
  type LocalCopy,
  type StoredFile,
} from './file-store.ts';

export class LocalFileStore extends BaseFileStore {
  readonly backend = 'local';

  constructor(readonly root: string) {
    super();
  }

  /** The file's path on disk (tests, and code that must name a path). */
  path(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep))
      throw new Error(`bad file key ${key}`);
    return full;
  }

  async write(key: string, body: Readable, limit = Infinity): Promise<StoredFile> {
    const target = this.path(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const measured = meter(limit);
    const temporary = `${target}.part`;
    try {
      await pipeline(body, measured.transform, fs.createWriteStream(temporary));
      await fs.promises.rename(temporary, target);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
    return measured.result();
  }

  read(key: string, range: ByteRange = {}): Readable {
    const stream = fs.createReadStream(this.path(key), range);
    // The interface's missing-file error, so callers need not know the backend.
    const emit = stream.emit.bind(stream);
    stream.emit = (event: string | symbol, ...args: unknown[]) =>
      event === 'error' && (args[0] as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
        ? emit('error', new FileNotFoundError(key))
        : emit(event, ...args);
    return stream;
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const stat = await fs.promises.stat(this.path(key));
      return stat.isFile() ? { size: stat.size } : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.path(key), { force: true });
    await fs.promises.rm(`${this.path(key)}.part`, { force: true });
  }

  list(prefix: string): AsyncIterable<string> {
    return (async function* (root) {
      for (const key of walk(root, ''))
        if (key.startsWith(prefix)) yield await Promise.resolve(key);
    })(this.root);
  }

  override async localCopy(key: string): Promise<LocalCopy> {
    if (!(await this.exists(key))) throw new FileNotFoundError(key);
    return { path: this.path(key), release: async () => {} };
  }
}

/** Stored files below `root` in key order; unfinished writes (.part) skipped. */
function* walk(root: string, dir: string): Generator<string> {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return;
  const entries = fs.readdirSync(full, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(root, relative);
    else if (entry.isFile() && !entry.name.endsWith('.part')) yield relative;
  }
}
