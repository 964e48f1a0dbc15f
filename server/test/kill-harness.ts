// A real Kunde process over a test database, killed and started again by the kill tests: the
// database and the data directory live for the describe block, and every process started from
// it is killed at its end (killing one that already exited does nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startKundeProcess, type KundeProcess } from '../../bench/kunde-process.ts';
import type { Dialect } from '../db/connect.ts';
import { createTestDb, type TestDb } from './databases.ts';

export interface KillHarness {
  readonly db: TestDb;
  readonly dataDir: string;
  /** The compiled server on this database and directory. */
  start(): Promise<KundeProcess>;
}

/** Registers the block's hooks; `prefix` names its temporary data directory. */
/** The kill tests' file store, for their own services too (see start()). */
export const KILL_FILE_STORE = 'local' as const;

export function useKillHarness(dialect: Dialect, prefix: string): KillHarness {
  let db: TestDb | undefined;
  let dataDir = '';
  const started: KundeProcess[] = [];

  beforeAll(async () => {
    db = await createTestDb(dialect);
    dataDir =
      'DATA_DIR' in db.env ? db.env.DATA_DIR : fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    for (const kunde of started) await kunde.kill();
    if (!db) return;
    await db.destroy();
    if (!('DATA_DIR' in db.env)) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get db() {
      if (!db) throw new Error('The kill harness is used before its beforeAll ran');
      return db;
    },
    get dataDir() {
      return dataDir;
    },
    async start() {
      const current = this.db;
      const kunde = await startKundeProcess({
        dataDir,
        databaseUrl: 'DATABASE_URL' in current.env ? current.env.DATABASE_URL : undefined,
        logLevel: 'warn',
        // The dead worker's lease runs out a second after the kill, so a restart takes it over.
        // Files on disk (KILL_FILE_STORE): the kill is timed by the archive's unfinished file.
        env: { KUNDE_JOB_LEASE_MS: '1000', KUNDE_FILE_STORE: KILL_FILE_STORE },
      });
      started.push(kunde);
      return kunde;
    },
  };
}
