// Migrated template databases, built once per test run by the global setup: a SQLite file that
// each test database starts as a copy of, and a PostgreSQL database each one is created from
// (`create database … template …`). Migrating from scratch cost 1-3 s per database on a busy CI
// machine, two or more per test file; a copy costs a few milliseconds. The templates are made by
// the same migrateToLatest every test database used to run, at the start of every run, so they
// always have the migrations of the checkout under test.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openPostgres, openSqlite } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';

export interface Templates {
  /** The migrated SQLite file to copy. */
  sqliteFile: string;
  /** The migrated PostgreSQL database's name ('' without PostgreSQL). */
  postgresName: string;
  /** Drops both. */
  remove(): Promise<void>;
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * `key` names this run's templates (the run's pid and the vitest project: each project of the
 * config runs the global setup, and each keeps its own templates until its own teardown).
 */
export async function buildTemplates(
  root: string,
  key: string,
  adminUrl: string,
): Promise<Templates> {
  const dir = path.join(root, `db-template-${key}`);
  fs.mkdirSync(dir, { recursive: true });
  const sqliteFile = path.join(dir, 'kunde.db');
  const sqlite = openSqlite(sqliteFile);
  await migrateToLatest(sqlite);
  // Closing checkpoints the WAL into the file and removes it: the one file is the database.
  await sqlite.close();

  let postgresName = '';
  if (adminUrl) {
    postgresName = `kunde_template_${key}`;
    await adminQuery(adminUrl, `drop database if exists ${postgresName}`);
    await adminQuery(adminUrl, `create database ${postgresName}`);
    const db = openPostgres(databaseUrl(adminUrl, postgresName), 2);
    await migrateToLatest(db);
    // A template may have no connection open while it is copied.
    await db.close();
  }
  return {
    sqliteFile,
    postgresName,
    remove: async () => {
      if (postgresName) {
        await adminQuery(adminUrl, `drop database if exists ${postgresName} with (force)`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
