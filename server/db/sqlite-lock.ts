// One server process per SQLite data directory (issue 18 item 3). Two servers on one SQLite
// file would each run a job worker, an SMTP spool and a login throttle of their own; SQLite
// would keep the data consistent, but not those. So the server holds an exclusive lock on
// DATA_DIR/kunde.lock for as long as it runs, and a second one is refused with who holds it.
//
// The lock is SQLite's own file lock (a `BEGIN EXCLUSIVE` kept open on a small database of its
// own), not a pid file: the operating system drops it when the process ends however it ends,
// so a crashed or killed server leaves no stale lock behind (a pid file would, and a reused pid
// would keep it looking alive). DATA_DIR/kunde.pid only says who holds it, for the message.
// The CLI (`kunde backup`, `kunde migrate`, `kunde files …`) never takes the lock: it works
// beside a running server, as SQLite lets several processes share the database file itself.
// Only `kunde restore` takes it, since it replaces the database under whoever has it open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dataDir: string,
    /** Who holds the lock, as " (pid …, on …, since …)", or '' when the pid file is unreadable. */
    readonly holder: string,
  ) {
    super(
      `Another Kunde server is already running on the data directory ${dataDir}${holder}. ` +
        'One server per SQLite data directory: stop the other one first, or use PostgreSQL ' +
        '(DATABASE_URL) to run several nodes. The kunde CLI (backup, migrate, files) works beside it.',
    );
  }
}

export interface DataDirectoryLock {
  release(): void;
}

function holder(pidFile: string): string {
  try {
    const info = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as {
      pid?: number;
      host?: string;
      since?: string;
    };
    return ` (pid ${info.pid ?? '?'} on ${info.host ?? '?'}, since ${info.since ?? '?'})`;
  } catch {
    return '';
  }
}

/** Takes the data directory's lock or throws DataDirectoryInUseError naming the holder. */
export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'kunde.lock');
  const pidFile = path.join(dataDir, 'kunde.pid');
  const lock = new SQLite(lockFile, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new DataDirectoryInUseError(dataDir, holder(pidFile));
  }
  fs.writeFileSync(
    pidFile,
    JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
  );
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      fs.rmSync(pidFile, { force: true });
      lock.close();
    },
  };
}
