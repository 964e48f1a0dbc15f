// `kunde restore FILE`: a backup back into an empty data directory or database. A non-empty
// target is refused unless --force says to replace it. The backup's dialect must be the
// target's: moving between SQLite and PostgreSQL is not a restore. The restored schema is as the
// backup had it; the next start (or `kunde migrate`) brings it up to date. On SQLite it takes the
// data directory's server lock (db/sqlite-lock.ts), so it is refused while Kunde runs there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import yauzl from 'yauzl';
import { DataDirectoryInUseError, lockDataDirectory } from '../db/sqlite-lock.ts';
import {
  BACKUP_FORMAT,
  BackupError,
  filesRoot,
  pgProgram,
  run,
  storedFiles,
  type BackupManifest,
  type BackupTarget,
} from './backup.ts';

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

/** Every entry of the zip, one at a time; `use` streams the ones it wants. */
async function eachEntry(
  zip: yauzl.ZipFile,
  use: (entry: yauzl.Entry, open: () => Promise<NodeJS.ReadableStream>) => Promise<void>,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      const open = () =>
        new Promise<NodeJS.ReadableStream>((res, rej) =>
          zip.openReadStream(entry, (error, stream) => (error ? rej(error) : res(stream))),
        );
      use(entry, open).then(() => zip.readEntry(), reject);
    });
    zip.readEntry();
  });
}

async function readManifest(file: string): Promise<BackupManifest> {
  const zip = await openZip(file);
  let manifest: BackupManifest | undefined;
  try {
    await eachEntry(zip, async (entry, open) => {
      if (entry.fileName !== 'manifest.json') return;
      let text = '';
      for await (const chunk of await open()) text += (chunk as Buffer).toString();
      manifest = JSON.parse(text) as BackupManifest;
    });
  } finally {
    zip.close();
  }
  if (manifest?.format !== BACKUP_FORMAT)
    throw new BackupError(`${path.basename(file)} is not a Kunde backup (no manifest.json)`);
  return manifest;
}

async function postgresTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>(
      "select count(*) as count from information_schema.tables where table_schema = 'public'",
    );
    return Number(result.rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** Why the target is not empty, or undefined when it is. */
async function notEmpty(target: BackupTarget): Promise<string | undefined> {
  if (target.database.dialect === 'sqlite') {
    const file = target.database.file;
    if (fs.existsSync(file) && fs.statSync(file).size > 0) return `${file} exists`;
  } else if ((await postgresTables(target.database.url)) > 0) {
    return 'the database has tables';
  }
  const [file] = storedFiles(filesRoot(target));
  return file ? `${filesRoot(target)} holds files` : undefined;
}

async function emptyTarget(target: BackupTarget): Promise<void> {
  fs.rmSync(filesRoot(target), { recursive: true, force: true });
  if (target.database.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm'])
      fs.rmSync(`${target.database.file}${suffix}`, { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: target.database.url });
  await client.connect();
  try {
    await client.query('drop schema public cascade');
    await client.query('create schema public');
  } finally {
    await client.end();
  }
}

/** A file path inside `root` for a zip entry, or a refusal (no "..", no absolute paths). */
function inside(root: string, name: string): string {
  const full = path.resolve(root, name);
  if (!full.startsWith(path.resolve(root) + path.sep))
    throw new BackupError(`The backup holds a file outside its folder: ${name}`);
  return full;
}

export async function restoreBackup(
  target: BackupTarget,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`No such file: ${file}`);
  const manifest = await readManifest(file);
  if (manifest.dialect !== target.database.dialect)
    throw new BackupError(
      `The backup is of a ${manifest.dialect} database and this Kunde uses ${target.database.dialect}; restore it into the same kind`,
    );
  // SQLite: a running server has the database open; replacing it underneath would lose both.
  let lock;
  try {
    lock = target.database.dialect === 'sqlite' ? lockDataDirectory(target.dataDir) : undefined;
  } catch (error) {
    if (!(error instanceof DataDirectoryInUseError)) throw error;
    throw new BackupError(
      `Kunde is running on the data directory ${error.dataDir}${error.holder}: stop it before restoring into it`,
    );
  }
  try {
    return await restoreUnlocked(target, file, manifest, options);
  } finally {
    lock?.release();
  }
}

async function restoreUnlocked(
  target: BackupTarget,
  file: string,
  manifest: BackupManifest,
  options: { force?: boolean },
): Promise<BackupManifest> {
  const occupied = await notEmpty(target);
  if (occupied && !options.force)
    throw new BackupError(
      `Refusing to restore into a data directory or database that is not empty (${occupied}); use --force to replace it`,
    );
  if (occupied) await emptyTarget(target);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-restore-'));
  const root = filesRoot(target);
  const zip = await openZip(file);
  try {
    let database: string | undefined;
    await eachEntry(zip, async (entry, open) => {
      const name = entry.fileName;
      if (name.endsWith('/')) return;
      let destination: string | undefined;
      if (name.startsWith('database/')) destination = database = inside(work, name);
      else if (name.startsWith('files/')) destination = inside(root, name.slice('files/'.length));
      if (!destination) return;
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      await pipeline(await open(), fs.createWriteStream(destination));
    });
    if (!database) throw new BackupError('The backup holds no database');
    if (target.database.dialect === 'sqlite') {
      const into = target.database.file;
      fs.mkdirSync(path.dirname(into), { recursive: true });
      fs.copyFileSync(database, `${into}.part`);
      fs.renameSync(`${into}.part`, into);
    } else {
      const program = pgProgram('pg_restore');
      if (!program)
        throw new BackupError('pg_restore was not found: install the PostgreSQL client');
      await run(program, [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${target.database.url}`,
        database,
      ]);
    }
  } finally {
    zip.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return manifest;
}
