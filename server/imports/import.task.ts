// The customer-import task: streams the stored file, applies rows in transactional batches, and
// checkpoints the position with each batch, so a killed process resumes where it stopped with
// nothing lost and nothing twice. A dry run rolls every batch back and keeps only the report.
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { z } from 'zod';
import {
  pgCustomerBulk,
  sqliteCustomerBulk,
  type CustomerBulk,
} from '../customers/customer-bulk.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import { withPgClientTransaction, type Db } from '../db/connect.ts';
import type { CustomerImportRow, Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { FileStore } from '../files/file-store.ts';
import { defineTask, STOPPED_EARLY } from '../jobs/task.ts';
import { listTypeRows } from '../customer-types/customer-type.repository.ts';
import type { ColumnTarget } from '../../common/import-columns.ts';
import type { CustomField } from '../../common/custom-field.ts';
import type { AccountSettings } from '../../common/settings.ts';
import { readBatches, type BatchSource } from './batch-reader.ts';
import type { CsvEncoding, Delimiter } from './csv-reader.ts';
import { applyBatch, type BatchContext } from './import-batch.ts';
import * as repo from './import.repository.ts';
import type { CustomerDraft, RowError } from './row.ts';

class DryRunRollback extends Error {
  constructor(readonly result: Awaited<ReturnType<typeof applyBatch>>) {
    super('dry run');
  }
}

export interface ImportTaskDeps {
  db: Db;
  files: FileStore;
  customers: CustomerService;
  customFields: CustomFieldService;
  batchSize?: number;
  /** Told each committed batch's rows (observability/metrics.ts). */
  countRows?: (rows: number, dryRun: boolean) => void;
}

/** A batch's transaction over one database and its bulk writer (SQLite statements prepared once). */
function batchTransactions(db: Db) {
  const sqliteWriter = db.sqlite ? sqliteCustomerBulk(db.sqlite) : undefined;
  const writerFor = (client?: pg.PoolClient): CustomerBulk => {
    if (client) return pgCustomerBulk(client);
    if (!sqliteWriter) throw new Error('imports need a SQLite or PostgreSQL database');
    return sqliteWriter;
  };

  /** One transaction: on PostgreSQL on a raw client (COPY), on SQLite through Kysely. */
  function transaction<T>(
    work: (k: Kysely<Database>, client?: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    if (db.pgPool) return withPgClientTransaction(db.pgPool, (client, k) => work(k, client));
    return db.kysely.transaction().execute((trx) => work(trx));
  }
  return { transaction, writerFor };
}

/** The steps of one run, over one database: its SQLite statements are prepared once per run. */
function importSteps(deps: ImportTaskDeps) {
  const { db } = deps;
  const batchSize = deps.batchSize ?? 5000;
  const { transaction, writerFor } = batchTransactions(db);

  /** `file`: the stored CSV as a path (batch-reader.ts reads it on a worker thread). */
  async function buildContext(
    row: CustomerImportRow,
    file: string,
  ): Promise<{ batch: BatchContext; source: BatchSource }> {
    const accountId = row.account_id;
    const settings = await deps.customers.settings(accountId);
    const fields = await deps.customFields.list(accountId, 'customer');
    const types = await listTypeRows(db.kysely, accountId);
    return {
      source: {
        file,
        encoding: row.encoding as CsvEncoding,
        delimiter: row.delimiter as Delimiter,
        skip: Number(row.processed_rows),
        batchSize,
        header: JSON.parse(row.header) as string[],
        mapping: JSON.parse(row.mapping) as ColumnTarget[],
        fields,
        phoneCountry: settings.phoneDefaultCountry,
        overwriteEmpty: Boolean(row.overwrite_empty),
      },
      batch: batchContextFor(row, settings, fields, types),
    };
  }

  async function commitBatch(
    row: CustomerImportRow,
    context: BatchContext,
    drafts: CustomerDraft[],
    parseErrors: RowError[],
    rows: number,
  ) {
    const counters = (k: Kysely<Database>, result: Awaited<ReturnType<typeof applyBatch>>) =>
      k
        .updateTable('customer_imports')
        .set((eb) => ({
          processed_rows: eb('processed_rows', '+', rows),
          created_count: eb('created_count', '+', result.created),
          updated_count: eb('updated_count', '+', result.updated),
          unchanged_count: eb('unchanged_count', '+', result.unchanged),
          failed_count: eb('failed_count', '+', result.failed),
        }))
        .where('account_id', '=', row.account_id)
        .where('id', '=', row.id)
        .execute();
    if (!context.dryRun) {
      await transaction(async (k, client) => {
        const result = await applyBatch(k, writerFor(client), context, drafts, parseErrors);
        await repo.insertErrors(k, row.account_id, row.id, result.errors);
        await counters(k, result);
      });
      return;
    }
    let result: Awaited<ReturnType<typeof applyBatch>>;
    try {
      await transaction(async (k, client) => {
        throw new DryRunRollback(
          await applyBatch(k, writerFor(client), context, drafts, parseErrors),
        );
      });
      throw new Error('unreachable');
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
      result = error.result;
    }
    await db.kysely.transaction().execute(async (trx) => {
      await repo.rememberKeys(trx, row.account_id, row.id, result.identities);
      await repo.insertErrors(trx, row.account_id, row.id, result.errors);
      await counters(trx, result);
    });
  }

  return { buildContext, commitBatch };
}

/** How an import's batches are applied: its options, actor, columns, types. */
export function batchContextFor(
  row: CustomerImportRow,
  settings: AccountSettings,
  fields: CustomField[],
  types: { id: string; name: string; name_key: string }[],
): BatchContext {
  const header = JSON.parse(row.header) as string[];
  const mapping = JSON.parse(row.mapping) as ColumnTarget[];
  const headerFor = (target: string, fallback: string) =>
    header[mapping.indexOf(target as ColumnTarget)] ?? fallback;
  return {
    accountId: row.account_id,
    importId: row.id,
    mode: row.mode === 'upsert' ? 'upsert' : 'create',
    dryRun: Boolean(row.dry_run),
    actor: {
      type: row.created_by ? 'user' : 'system',
      id: row.created_by,
      name: row.created_by_name,
    },
    settings,
    requiredFields: fields.filter((f) => f.required),
    columnOf: {
      email: headerFor('email', 'email'),
      phone: headerFor('phone', 'phone'),
      organization: headerFor('organization', 'organization'),
      type: headerFor('type', 'type'),
      additionalEmails: headerFor('additional_emails', 'additional emails'),
      additionalPhones: headerFor('additional_phones', 'additional phones'),
    },
    typeByName: new Map(types.map((t) => [t.name_key, { id: t.id, name: t.name }])),
    organizations: new Map(),
    domainsSettled: new Set(),
  };
}

/**
 * Applies drafts as the import would and rolls everything back: the preview's sample (issue 16)
 * gets the same decisions (already a customer, same row twice, no such type) as the real run.
 */
export async function rehearseBatch(
  db: Db,
  context: BatchContext,
  drafts: CustomerDraft[],
  parseErrors: RowError[],
): Promise<Awaited<ReturnType<typeof applyBatch>>> {
  const steps = batchTransactions(db);
  try {
    await steps.transaction(async (k, client) => {
      throw new DryRunRollback(
        await applyBatch(k, steps.writerFor(client), context, drafts, parseErrors),
      );
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
  throw new Error('unreachable');
}

export const importTask = defineTask({
  // Stored in the jobs table: queued jobs from older versions name it so.
  kind: 'customer-import',
  payload: z.object({ importId: z.string().min(1) }),
  attempts: 3,
  backoffMs: (attempt) => 5000 * attempt,
  run: async ({ job, payload: { importId }, stopping }, deps: ImportTaskDeps) => {
    const { db } = deps;
    const { buildContext, commitBatch } = importSteps(deps);
    const accountId = job.account_id;
    let row = await repo.findImport(db.kysely, accountId, importId);
    if (!row || row.status === 'done' || row.status === 'failed') return;
    await repo.updateImport(db.kysely, accountId, importId, {
      status: 'running',
      started_at: row.started_at ?? nowIso(),
    });
    row = { ...row, status: 'running' };
    // The worker thread reads a path: off the local backend, a temporary copy for this run
    // (a resumed run makes a new one and skips the rows already checkpointed).
    const copy = await deps.files.localCopy(row.file_key);
    try {
      const context = await buildContext(row, copy.path);
      for await (const batch of readBatches(context.source, Number(row.size_bytes))) {
        await commitBatch(row, context.batch, batch.drafts, batch.errors, batch.rows);
        deps.countRows?.(batch.rows, context.batch.dryRun);
        if (stopping()) return STOPPED_EARLY;
        // SQLite answers without I/O and the next batch is often ready: without this turn of the
        // event loop, HTTP requests would wait until the whole import is done.
        await setImmediate();
      }
      if (context.batch.dryRun) await repo.forgetKeys(db.kysely, accountId, importId);
    } finally {
      await copy.release();
    }
    await repo.updateImport(db.kysely, accountId, importId, {
      status: 'done',
      finished_at: nowIso(),
    });
    // SQLite's planner statistics are taken on open (connect.ts): a first import into a new
    // database leaves them describing near-empty tables, and plans chosen from those scan. The
    // pragma re-analyzes only tables that grew or shrank many times over (analysis_limit keeps
    // it to milliseconds), so later queries plan for the rows the import brought.
    db.sqlite?.pragma('optimize');
  },
  onFailed: async ({ job, payload: { importId }, error }, deps) => {
    await repo.updateImport(deps.db.kysely, job.account_id, importId, {
      status: 'failed',
      finished_at: nowIso(),
      error: error instanceof Error ? error.message : String(error),
    });
  },
});
