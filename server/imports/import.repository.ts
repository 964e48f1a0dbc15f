// SQL for imports: the import records, their row errors, and the bulk reads and writes of a
// batch (statements prepared once on SQLite, COPY and array parameters on PostgreSQL).
import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type SQLite from 'better-sqlite3';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { CustomerImportRow, CustomerRow, Database } from '../db/database.ts';

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
    .select(['row_number', 'seq', 'column_name', 'value', 'reason'])
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

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  // Almost no value needs escaping; testing once is far cheaper than four replaces.
  if (!COPY_SPECIAL.test(text)) return text;
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** COPY … FROM STDIN on the transaction's client: PostgreSQL's fastest way in. */
export async function copyMany<T extends keyof Database>(
  client: pg.PoolClient,
  table: T,
  rows: Database[T][],
) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  // Lines go out in chunks of about 64 KB: one chunk a row costs a socket write a row.
  const lines = function* () {
    let chunk = '';
    for (const row of rows) {
      const record = row as unknown as Record<string, unknown>;
      chunk += `${columns.map((c) => copyValue(record[c] as string | number | null)).join('\t')}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  const stream = client.query(
    copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`),
  );
  await pipeline(Readable.from(lines()), stream);
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

/** Owners keyed "email:value" / "phone:value". */
export type IdentityOwners = Map<string, string>;

/**
 * How a batch reads and writes many rows at once: COPY and array parameters on PostgreSQL,
 * statements prepared once on SQLite.
 */
export interface BulkSql {
  /** The customers who own these identities, one query per batch. */
  identityOwners(accountId: string, emails: string[], phones: string[]): Promise<IdentityOwners>;
  insert<T extends keyof Database>(table: T, rows: Database[T][]): Promise<void>;
  /** Writes whole customer rows back (the columns an import can change). */
  updateCustomers(rows: CustomerRow[]): Promise<void>;
  /** Records that an import row matched a customer without changing it. */
  markCustomers(
    accountId: string,
    importId: string,
    marks: { id: string; importRow: number }[],
  ): Promise<void>;
}

/** The customer columns an import may change, in the order the bulk updates bind them. */
const UPDATED_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'custom_attributes',
  'organization_id',
  'type_id',
  'email_domain',
  'search_text',
  'updated_at',
  'version',
  'import_id',
  'import_row',
] as const;

const PG_TYPES: Record<(typeof UPDATED_COLUMNS)[number], string> = {
  first_name: 'text',
  last_name: 'text',
  email: 'text',
  phone: 'text',
  custom_attributes: 'jsonb',
  organization_id: 'text',
  type_id: 'text',
  email_domain: 'text',
  search_text: 'text',
  updated_at: 'timestamptz',
  version: 'integer',
  import_id: 'text',
  import_row: 'integer',
};

function ownersOf(rows: { kind: string; value: string; customer_id: string }[]): IdentityOwners {
  const owners: IdentityOwners = new Map();
  for (const row of rows) owners.set(`${row.kind}:${row.value}`, row.customer_id);
  return owners;
}

/** Parameter 1 is the account, 2 the emails, 3 the phones; `param` spells the dialect's. */
const ownersSql = (param: (n: number) => string, among: (param: string) => string) =>
  `select kind, value, customer_id from customer_identities
   where account_id = ${param(1)} and kind = 'email' and ${among(param(2))}
   union all
   select kind, value, customer_id from customer_identities
   where account_id = ${param(1)} and kind = 'phone' and ${among(param(3))}`;

export function copyWriter(client: pg.PoolClient): BulkSql {
  return {
    // An array, not an IN list: one short statement to plan instead of thousands of parameters.
    identityOwners: async (accountId, emails, phones) =>
      ownersOf(
        (
          await client.query<{ kind: string; value: string; customer_id: string }>(
            ownersSql(
              (n) => `$${n}`,
              // One index scan over the sorted array: three times faster than IN (select unnest(…)).
              (p) => `value = any(${p}::text[])`,
            ),
            [accountId, emails, phones],
          )
        ).rows,
      ),
    insert: (table, rows) => copyMany(client, table, rows),
    // One UPDATE … FROM unnest(arrays) per batch instead of a round trip per customer.
    updateCustomers: async (rows) => {
      if (rows.length === 0) return;
      const columns = ['account_id', 'id', ...UPDATED_COLUMNS] as const;
      const arrays = columns.map((c) => rows.map((r) => r[c] ?? null));
      const types = columns.map((c) => (c === 'account_id' || c === 'id' ? 'text' : PG_TYPES[c]));
      await client.query(
        `update customers as c set ${UPDATED_COLUMNS.map((c) => `"${c}" = v."${c}"`).join(', ')}
         from unnest(${columns.map((_c, i) => `$${i + 1}::${types[i] === 'jsonb' ? 'text' : types[i]}[]`).join(', ')})
           as v(${columns.map((c) => `"${c}"`).join(', ')})
         where c.account_id = v.account_id and c.id = v.id`.replace(
          /v\."custom_attributes"/,
          'v."custom_attributes"::jsonb',
        ),
        arrays,
      );
    },
    markCustomers: async (accountId, importId, marks) => {
      if (marks.length === 0) return;
      await client.query(
        `update customers as c set import_id = $2, import_row = v.row
         from unnest($3::text[], $4::integer[]) as v(id, row)
         where c.account_id = $1 and c.id = v.id`,
        [accountId, importId, marks.map((m) => m.id), marks.map((m) => m.importRow)],
      );
    },
  };
}

/**
 * better-sqlite3 statements prepared once per table, run on the connection Kysely's transaction
 * is open on (so they are inside it); Kysely would compile and prepare each batch anew.
 */
export function sqliteWriter(database: SQLite.Database): BulkSql {
  const statements = new Map<string, SQLite.Statement>();
  const update = database.prepare(
    `update customers set ${UPDATED_COLUMNS.map((c) => `"${c}" = ?`).join(', ')} where account_id = ? and id = ?`,
  );
  const mark = database.prepare(
    'update customers set import_id = ?, import_row = ? where account_id = ? and id = ?',
  );
  const owners = database.prepare<{ account: string; emails: string; phones: string }>(
    ownersSql(
      (n) => ['@account', '@emails', '@phones'][n - 1] ?? '',
      (p) => `value in (select value from json_each(${p}))`,
    ),
  );
  return {
    identityOwners: (accountId, emails, phones) =>
      Promise.resolve(
        ownersOf(
          owners.all({
            account: accountId,
            emails: JSON.stringify(emails),
            phones: JSON.stringify(phones),
          }) as {
            kind: string;
            value: string;
            customer_id: string;
          }[],
        ),
      ),
    updateCustomers: (rows) => {
      for (const row of rows)
        update.run([...UPDATED_COLUMNS.map((c) => row[c] ?? null), row.account_id, row.id]);
      return Promise.resolve();
    },
    markCustomers: (accountId, importId, marks) => {
      for (const m of marks) mark.run(importId, m.importRow, accountId, m.id);
      return Promise.resolve();
    },
    insert: (table, rows) => {
      if (rows.length === 0) return Promise.resolve();
      const columns = Object.keys(rows[0] as object);
      const key = `${table}:${columns.join(',')}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = database.prepare(
          `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        statements.set(key, statement);
      }
      for (const row of rows) {
        const record = row as unknown as Record<string, unknown>;
        statement.run(columns.map((c) => record[c] ?? null));
      }
      return Promise.resolve();
    },
  };
}
