// `kunde backup`: one zip with the database and the file store, made while Kunde runs.
//
// Consistency: the database is copied first (SQLite's VACUUM INTO, one read transaction; pg_dump's
// snapshot on PostgreSQL), then the files. Kunde writes a file before the row that names it and never
// changes a file in place, so every file the copied database names is already there when the
// files are read; a file written during the backup is at most an unnamed extra. The zip is
// written beside its destination and renamed when complete: a backup is whole or absent.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import yazl from 'yazl';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

export const BACKUP_FORMAT = 'kunde-backup';
export const BACKUP_VERSION = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  dialect: 'sqlite' | 'postgres';
  createdAt: string;
  /** Migrations the copied database had applied: restoring it into a newer Kunde migrates on. */
  migrations: string[];
  files: number;
  fileBytes: number;
}

export type BackupTarget = Pick<Config, 'database' | 'dataDir'>;

export class BackupError extends AppError {
  constructor(message: string) {
    super(400, 'backup_refused', 'Backup or restore refused', message);
  }
}

/** Where the file store keeps its files (services.ts: DATA_DIR/files). */
export function filesRoot(target: BackupTarget): string {
  return path.join(target.dataDir, 'files');
}

/** Every stored file below `root`, as paths relative to it; unfinished writes (.part) skipped. */
export function* storedFiles(root: string, dir = ''): Generator<string> {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* storedFiles(root, relative);
    else if (entry.isFile() && !entry.name.endsWith('.part')) yield relative;
  }
}

/** A PostgreSQL client program: on PATH, else from the newest installed server version. */
export function pgProgram(name: 'pg_dump' | 'pg_restore'): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const candidate = path.join(root, version, 'bin', name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(program)} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

async function copyDatabase(target: BackupTarget, into: string): Promise<string[]> {
  if (target.database.dialect === 'sqlite') {
    const source = new SQLite(target.database.file, { fileMustExist: true });
    try {
      // One read transaction: a consistent copy while Kunde writes (the online backup API
      // restarts whenever another connection writes, so under steady writes it may never end).
      // The copy is compact and carries no freed pages, so nothing an erasure removed.
      source.prepare('vacuum into ?').run(into);
    } finally {
      source.close();
    }
    const copy = new SQLite(into, { readonly: true });
    try {
      return (
        copy.prepare('select name from kysely_migration order by name').all() as {
          name: string;
        }[]
      ).map((row) => row.name);
    } catch {
      return [];
    } finally {
      copy.close();
    }
  }
  const program = pgProgram('pg_dump');
  if (!program)
    throw new BackupError(
      'pg_dump was not found: install the PostgreSQL client (postgresql-client) of your server version, or see "Backups" in the README for doing it by hand',
    );
  // Custom format: compressed, and pg_restore can restore it into an empty database.
  await run(program, [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${into}`,
    `--dbname=${target.database.url}`,
  ]);
  return [];
}

/** Makes the backup at `out`; returns what it holds. */
export async function createBackup(target: BackupTarget, out: string): Promise<BackupManifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-backup-'));
  try {
    const sqlite = target.database.dialect === 'sqlite';
    const databaseFile = path.join(work, sqlite ? 'kunde.db' : 'kunde.dump');
    const migrations = await copyDatabase(target, databaseFile);
    const zip = new yazl.ZipFile();
    zip.addFile(databaseFile, `database/${path.basename(databaseFile)}`, { compress: sqlite });
    const root = filesRoot(target);
    let files = 0;
    let fileBytes = 0;
    for (const relative of storedFiles(root)) {
      const full = path.join(root, relative);
      fileBytes += fs.statSync(full).size;
      files += 1;
      // Attachments are mostly compressed already; storing them keeps the backup fast.
      zip.addFile(full, `files/${relative}`, { compress: false });
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      dialect: target.database.dialect,
      createdAt: new Date().toISOString(),
      migrations,
      files,
      fileBytes,
    };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
    zip.end();
    const partial = `${out}.part`;
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    try {
      await pipeline(zip.outputStream, fs.createWriteStream(partial));
      fs.renameSync(partial, out);
    } catch (error) {
      fs.rmSync(partial, { force: true });
      throw error;
    }
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
