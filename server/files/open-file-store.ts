// Which file store a node uses, from KUNDE_FILE_STORE. Left out: the local directory on SQLite
// (one node), the database on PostgreSQL (any number of nodes) — except that an installation on
// PostgreSQL that already keeps files in DATA_DIR/files stays local, since switching would hide
// them; it is told that `kunde files migrate --to database` moves them.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connect.ts';
import { DatabaseFileStore } from './database-file-store.ts';
import type { FileBackend, FileStore } from './file-store.ts';
import { LocalFileStore } from './local-file-store.ts';
import { S3FileStore, type S3Settings } from './s3-file-store.ts';

export interface FileStoreOptions {
  backend: FileBackend | undefined;
  s3: S3Settings | undefined;
}

/** DATA_DIR/files: the local backend's root. */
export function localFilesRoot(dataDir: string): string {
  return path.join(dataDir, 'files');
}

function holdsFiles(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && !entry.name.endsWith('.part')) return true;
    if (entry.isDirectory() && holdsFiles(full)) return true;
  }
  return false;
}

export function chooseBackend(
  dialect: Db['dialect'],
  dataDir: string,
  configured: FileBackend | undefined,
  log?: (message: string) => void,
): FileBackend {
  if (configured) return configured;
  if (dialect === 'sqlite') return 'local';
  if (holdsFiles(localFilesRoot(dataDir))) {
    log?.(
      `Files stay in ${localFilesRoot(dataDir)} (it holds files): other nodes cannot read them. ` +
        '`kunde files migrate --to database` moves them into the database; then set KUNDE_FILE_STORE=database',
    );
    return 'local';
  }
  return 'database';
}

export function openFileStore(
  db: Db,
  dataDir: string,
  backend: FileBackend,
  s3: S3Settings | undefined,
): FileStore {
  if (backend === 'database') return new DatabaseFileStore(db.kysely);
  if (backend === 's3') {
    if (!s3) throw new Error('KUNDE_S3_BUCKET must be set when KUNDE_FILE_STORE is s3');
    return new S3FileStore(s3);
  }
  return new LocalFileStore(localFilesRoot(dataDir));
}
