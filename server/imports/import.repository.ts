// SQL for imports: the import records, their row errors, and the identities a dry run has seen.
// The customers a batch writes go through customers/customer-bulk.repository.ts.
import type { Kysely, Transaction } from 'kysely';
import type { CustomerImportRow, Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertImport(db: Conn, row: CustomerImportRow): Promise<void> {
  await db.insertInto('customer_imports').values(row).execute();
}

export async function findImport(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('customer_imports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findImportByIdempotencyKey(db: Conn, accountId: string, key: string) {
  return db
    .selectFrom('customer_imports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * The same file uploaded again within the window, still pending or done (not failed). A dry run
 * wrote nothing, so it never counts; with options given, only an import with the same mode and
 * the same handling of empty cells is the same upload.
 */
export async function findRecentImportBySha(
  db: Conn,
  accountId: string,
  sha256: string,
  since: string,
  options?: { mode: string; overwriteEmpty: boolean },
) {
  let query = db
    .selectFrom('customer_imports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('file_sha256', '=', sha256)
    .where('created_at', '>=', since)
    .where('status', 'not in', ['failed', 'cancelled'])
    .where('dry_run', '=', 0);
  if (options)
    query = query
      .where('mode', '=', options.mode)
      .where('overwrite_empty', '=', options.overwriteEmpty ? 1 : 0);
  return query.orderBy('created_at', 'desc').executeTakeFirst();
}

export async function listImports(db: Conn, accountId: string, limit: number) {
  return db
    .selectFrom('customer_imports')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function updateImport(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<CustomerImportRow>,
) {
  await db
    .updateTable('customer_imports')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export interface ImportErrorRecord {
  row: number;
  column: string;
  value: string | null;
  reason: string;
  /** The reason's stable code and params, where it has one (common/import-reasons.ts). */
  code?: string;
  params?: Record<string, string | number>;
}

export async function insertErrors(
  db: Conn,
  accountId: string,
  importId: string,
  errors: ImportErrorRecord[],
) {
  const seqByRow = new Map<number, number>();
  const rows = errors.map((e) => {
    const seq = (seqByRow.get(e.row) ?? 0) + 1;
    seqByRow.set(e.row, seq);
    return {
      account_id: accountId,
      import_id: importId,
      row_number: e.row,
      seq,
      column_name: e.column,
      value: e.value?.slice(0, 500) ?? null,
      reason: e.reason,
      code: e.code ?? null,
      params: e.code && e.params && Object.keys(e.params).length ? JSON.stringify(e.params) : null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('customer_import_errors')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function deleteErrorsFrom(
  db: Conn,
  accountId: string,
  importId: string,
  fromRow: number,
) {
  await db
    .deleteFrom('customer_import_errors')
    .where('account_id', '=', accountId)
    .where('import_id', '=', importId)
    .where('row_number', '>=', fromRow)
    .execute();
}

export async function pageErrors(
  db: Conn,
  accountId: string,
  importId: string,
  after: { row: number; seq: number },
  limit: number,
) {
  return db
    .selectFrom('customer_import_errors')
    .select(['row_number', 'seq', 'column_name', 'value', 'reason', 'code', 'params'])
    .where('account_id', '=', accountId)
    .where('import_id', '=', importId)
    .where((eb) =>
      eb.or([
        eb('row_number', '>', after.row),
        eb.and([eb('row_number', '=', after.row), eb('seq', '>', after.seq)]),
      ]),
    )
    .orderBy('row_number')
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Dry runs: which of these identities an earlier batch already had, by row. */
export async function seenKeys(
  db: Conn,
  accountId: string,
  importId: string,
  identities: string[],
) {
  const seen = new Map<string, number>();
  for (let i = 0; i < identities.length; i += 500) {
    const chunk = identities.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('customer_import_keys')
      .select(['identity', 'row_number'])
      .where('account_id', '=', accountId)
      .where('import_id', '=', importId)
      .where('identity', 'in', chunk)
      .execute();
    for (const row of rows) seen.set(row.identity, Number(row.row_number));
  }
  return seen;
}

export async function rememberKeys(
  db: Conn,
  accountId: string,
  importId: string,
  keys: Map<string, number>,
) {
  const rows = [...keys].map(([identity, row]) => ({
    account_id: accountId,
    import_id: importId,
    identity,
    row_number: row,
  }));
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto('customer_import_keys')
      .values(rows.slice(i, i + 400))
      .onConflict((oc) => oc.columns(['account_id', 'import_id', 'identity']).doNothing())
      .execute();
  }
}

export async function forgetKeys(db: Conn, accountId: string, importId: string) {
  await db
    .deleteFrom('customer_import_keys')
    .where('account_id', '=', accountId)
    .where('import_id', '=', importId)
    .execute();
}

/**
 * Deletes an import that was never started (status preview) with its recorded errors and answers
 * its file's key; undefined when there is none such (started meanwhile, or already gone). The
 * status in the WHERE makes a start racing the removal one or the other, never both.
 */
export async function deleteNeverStartedImport(
  db: Conn,
  accountId: string,
  id: string,
): Promise<string | undefined> {
  const row = await db
    .deleteFrom('customer_imports')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', '=', 'preview')
    .returning('file_key')
    .executeTakeFirst();
  if (!row) return undefined;
  await db
    .deleteFrom('customer_import_errors')
    .where('account_id', '=', accountId)
    .where('import_id', '=', id)
    .execute();
  return row.file_key;
}
