// `kunde files migrate --to …` from a shell: the configured backend is the source (as a node
// would choose it), the target is opened with the same DATA_DIR / bucket settings.
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import type { FileBackend } from './file-store.ts';
import { migrateFiles } from './files-migrate.ts';
import { chooseBackend, openFileStore } from './open-file-store.ts';

/** Runs the migration, printing progress and counts; returns the exit code (2: some failed). */
export async function runFilesMigrateCommand(to: FileBackend): Promise<number> {
  const config = loadConfig();
  if (to === 's3' && !config.files.s3)
    throw new AppError(400, 'files_target', 'No bucket', 'KUNDE_S3_BUCKET must be set for --to s3');
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const fromBackend = chooseBackend(db.dialect, config.dataDir, config.files.backend);
    if (fromBackend === to)
      throw new AppError(
        400,
        'files_same_backend',
        'Nothing to move',
        `Files are already in the ${to} backend (KUNDE_FILE_STORE)`,
      );
    const from = openFileStore(db, config.dataDir, fromBackend, config.files.s3);
    const target = openFileStore(db, config.dataDir, to, config.files.s3);
    let shown = 0;
    const counts = await migrateFiles(from, target, (c) => {
      const done = c.copied + c.failed.length;
      if (done - shown >= 100) {
        shown = done;
        console.error(`kunde: ${done} files copied so far (${Math.round(c.bytes / 1024 ** 2)} MB)`);
      }
    });
    console.log(
      `Copied ${counts.copied} files (${Math.round(counts.bytes / 1024 ** 2)} MB) from ${fromBackend} to ${to}; ${counts.skipped} were there already; ${counts.failed.length} failed`,
    );
    for (const failure of counts.failed) console.error(`  ${failure.key}: ${failure.reason}`);
    if (counts.failed.length) {
      console.error('kunde: run it again to retry the failed files');
      return 2;
    }
    console.log(
      `Set KUNDE_FILE_STORE=${to} on every node and restart them; the ${fromBackend} files are left as they were`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
