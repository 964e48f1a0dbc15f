// Test databases: every database test runs once per dialect (SQLite, then PostgreSQL), each
// test file on a database of its own, a copy of the run's migrated template (templates.ts: a
// file copy on SQLite, `create database … template` on PostgreSQL). Once migrated, every
// statement it runs is checked to name its account (account-scope.ts: the Citus path).
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { newId } from '../db/ids.ts';
import { openPostgres, openSqlite, type Db, type Dialect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { enforceAccountScope } from './account-scope.ts';
import { databaseUrl } from './templates.ts';

export function testDialects(): Dialect[] {
  return inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDb extends Db {
  /** The environment that points `npm start` or the CLI at this database. */
  env: { DATA_DIR: string } | { DATABASE_URL: string };
  /** Closes and throws the database away. */
  destroy(): Promise<void>;
}

export interface TestDbOptions {
  /**
   * false: an empty database with no migration applied and no account check (the upgrade test
   * migrates it step by step and calls enforceAccountScope itself). Otherwise the database has
   * every migration, as migrateToLatest leaves it (a copy of the template it ran on).
   */
  migrate?: boolean;
  /**
   * 'icu': on PostgreSQL, a database collated by ICU's en-US rules instead of the test cluster's
   * C.UTF-8, as many production clusters are (en_US.UTF-8): for tests of what must not depend
   * on the cluster's collation. Migrated from scratch (the template is C.UTF-8). No effect on
   * SQLite, which compares bytewise.
   */
  collation?: 'icu';
}

export async function createTestDb(dialect: Dialect, options: TestDbOptions = {}): Promise<TestDb> {
  const migrate = options.migrate !== false;
  const name = `kunde_test_${newId().replace(/-/g, '').slice(-16)}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-test-'));
    const file = path.join(dir, 'kunde.db');
    if (migrate) fs.copyFileSync(inject('sqliteTemplate'), file);
    const db = openSqlite(file);
    if (migrate) await enforceAccountScope(db);
    return {
      ...db,
      env: { DATA_DIR: dir },
      destroy: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = inject('postgresUrl');
  const icu = options.collation === 'icu';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      icu
        ? `create database ${name} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`
        : migrate
          ? `create database ${name} template ${inject('postgresTemplate')}`
          : `create database ${name}`,
    );
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const db = openPostgres(url, 20);
  if (icu && migrate) await migrateToLatest(db);
  if (migrate) await enforceAccountScope(db);
  return {
    ...db,
    env: { DATABASE_URL: url },
    destroy: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
