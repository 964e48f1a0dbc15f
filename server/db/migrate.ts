// Runs Kysely migrations; the list is static so that it works the same under tsx, tests and builds.
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './connect.ts';
import * as foundation from './migrations/20261124T1200_foundation.ts';
import * as organizations from './migrations/20261125T0000_organizations.ts';
import * as jobsAndImports from './migrations/20261125T0100_jobs_and_imports.ts';
import * as tickets from './migrations/20261125T0200_tickets.ts';
import * as ftsMerge from './migrations/20261125T0300_fts_merge.ts';
import * as createdByImport from './migrations/20261125T0400_created_by_import.ts';
import * as inboundStates from './migrations/20261201T1200_inbound_states.ts';
import * as auditReferences from './migrations/20261201T1300_audit_references.ts';
import * as customerExports from './migrations/20261201T1400_customer_exports.ts';
import * as erasure from './migrations/20261201T1500_erasure.ts';
import * as ftsSecureDeleteScoped from './migrations/20261202T0900_fts_secure_delete_scoped.ts';
import * as locations from './migrations/20261202T1000_locations.ts';
import * as contracts from './migrations/20261202T1100_contracts.ts';
import * as teamAccess from './migrations/20261203T0000_team_access.ts';
import * as passwordTokens from './migrations/20261203T0100_password_tokens.ts';
import * as files from './migrations/20261203T0400_files.ts';
import * as customerHub from './migrations/20261204T0000_customer_hub.ts';
import * as mergeWebhooks from './migrations/20261205T0000_merge_webhooks.ts';
import * as duplicateKeys from './migrations/20261205T0200_duplicate_keys.ts';
import * as loginThrottle from './migrations/20261205T0300_login_throttle.ts';
import * as customerSorts from './migrations/20261206T0100_customer_sorts.ts';
import * as outboxDelivery from './migrations/20261206T0300_outbox_delivery.ts';
import * as duplicateBackfill from './migrations/20261206T0400_duplicate_backfill.ts';
import * as importErrorCodes from './migrations/20261206T0400_import_error_codes.ts';
import * as identityBytewise from './migrations/20261207T0100_identity_bytewise.ts';

const migrations: Record<string, Migration> = {
  '20261124T1200_foundation': foundation,
  '20261125T0000_organizations': organizations,
  '20261125T0100_jobs_and_imports': jobsAndImports,
  '20261125T0200_tickets': tickets,
  '20261125T0300_fts_merge': ftsMerge,
  '20261125T0400_created_by_import': createdByImport,
  '20261201T1200_inbound_states': inboundStates,
  '20261201T1300_audit_references': auditReferences,
  '20261201T1400_customer_exports': customerExports,
  '20261201T1500_erasure': erasure,
  '20261202T0900_fts_secure_delete_scoped': ftsSecureDeleteScoped,
  '20261202T1000_locations': locations,
  '20261202T1100_contracts': contracts,
  '20261203T0000_team_access': teamAccess,
  '20261203T0100_password_tokens': passwordTokens,
  '20261203T0400_files': files,
  '20261204T0000_customer_hub': customerHub,
  '20261205T0000_merge_webhooks': mergeWebhooks,
  '20261205T0200_duplicate_keys': duplicateKeys,
  '20261205T0300_login_throttle': loginThrottle,
  '20261206T0100_customer_sorts': customerSorts,
  '20261206T0300_outbox_delivery': outboxDelivery,
  '20261206T0400_duplicate_backfill': duplicateBackfill,
  '20261206T0400_import_error_codes': importErrorCodes,
  '20261207T0100_identity_bytewise': identityBytewise,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

// SQLite: Kysely runs each migration there outside any transaction (its SQLite adapter does not
// claim transactional DDL, though SQLite has it), so a migration failing halfway (a full disk,
// a killed process) would leave its first half behind and every later start would trip over
// it. Each migration runs in a transaction of its own instead. PostgreSQL already runs all
// pending migrations in one transaction (under an advisory lock, so two nodes never both run).
const sqliteProvider: MigrationProvider = {
  getMigrations: () =>
    Promise.resolve(
      Object.fromEntries(
        Object.entries(migrations).map(([name, migration]) => [
          name,
          {
            up: (db) => db.transaction().execute((trx) => migration.up(trx)),
            down:
              migration.down && ((db) => db.transaction().execute((trx) => migration.down!(trx))),
          } satisfies Migration,
        ]),
      ),
    ),
};

function migratorFor(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: db.dialect === 'sqlite' ? sqliteProvider : provider,
  });
}

/** Every migration this build has, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

export class MigrationError extends Error {}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateToLatest());
}

/**
 * Brings the schema up to `name` and no further (the upgrade test builds a database as an
 * earlier release left it).
 */
export async function migrateTo(db: Db, name: string): Promise<string[]> {
  if (!MIGRATION_NAMES.includes(name)) throw new MigrationError(`No migration is called ${name}`);
  return migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Db,
  step: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<string[]> {
  const { error, results } = await step(migratorFor(db));
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `Migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return applied;
}

/**
 * Migrations this build has that the database has not applied yet (readiness: /api/ready, and
 * `kunde migrate --dry-run`). Reads only: on a database never migrated it creates nothing.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
