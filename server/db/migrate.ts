// Runs Kysely migrations; the list is static so that it works the same under tsx, tests and builds.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
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
import * as contracts from './migrations/20261202T1100_contracts.ts';

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
  '20261202T1100_contracts': contracts,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `Migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return applied;
}

/** Migrations this build has that the database has not applied yet (readiness: /api/ready). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
