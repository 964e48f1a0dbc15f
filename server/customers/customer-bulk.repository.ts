// Customer writes (customer-write.ts) many at a time, for an import's batch: COPY and array
// parameters on PostgreSQL, statements prepared once on SQLite (Kysely would compile and prepare
// each batch anew). Same rows, identities and audit entries as writeCustomer() one at a time.
import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type SQLite from 'better-sqlite3';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { CustomerStatus } from '../../common/customer.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { ConflictError } from '../errors.ts';
import {
  adjustStatusTotals,
  afterCustomerWrites,
  CHANGEABLE_COLUMN_TYPES as PG_TYPES,
} from './customer.repository.ts';
import { CHANGEABLE_COLUMNS, type CustomerWrite } from './customer-write.ts';

type Conn = Kysely<Database> | Transaction<Database>;

/** Owners keyed "email:value" / "phone:value". */
export type IdentityOwners = Map<string, string>;

/** The low-level statements of one dialect; customerBulk() builds the writes on them. */
interface BulkSql {
  identityOwners(accountId: string, emails: string[], phones: string[]): Promise<IdentityOwners>;
  insert<T extends keyof Database>(table: T, rows: Database[T][]): Promise<void>;
  /** Writes whole rows back; resolves to how many still had the version they were read at. */
  updateCustomers(rows: CustomerRow[]): Promise<number>;
  markCustomers(
    accountId: string,
    importId: string,
    marks: { id: string; importRow: number }[],
  ): Promise<void>;
}

export interface CustomerBulk {
  /** The customers who own these identities, one query per batch. */
  identityOwners(accountId: string, emails: string[], phones: string[]): Promise<IdentityOwners>;
  /** Writes new customers and changes in the transaction `k` is bound to. */
  write(k: Conn, writes: CustomerWrite[]): Promise<void>;
  /** Records that an import row matched a customer without changing it. */
  markCustomers(
    accountId: string,
    importId: string,
    marks: { id: string; importRow: number }[],
  ): Promise<void>;
}

function customerBulk(sql: BulkSql): CustomerBulk {
  return {
    identityOwners: (accountId, emails, phones) => sql.identityOwners(accountId, emails, phones),
    markCustomers: (accountId, importId, marks) => sql.markCustomers(accountId, importId, marks),
    write: async (k, writes) => {
      const created = writes.filter((w) => w.expectedVersion === undefined);
      const changed = writes.filter((w) => w.expectedVersion !== undefined);
      await sql.insert(
        'customers',
        created.map((w) => w.row),
      );
      await sql.insert(
        'customer_identities',
        created.flatMap((w) => w.addIdentities),
      );
      // Identity changes are rare in an import (a new email for a known phone): one at a time.
      for (const w of changed) {
        for (const identity of w.removeIdentities)
          await k
            .deleteFrom('customer_identities')
            .where('account_id', '=', w.row.account_id)
            .where('kind', '=', identity.kind)
            .where('value', '=', identity.value)
            .where('customer_id', '=', w.row.id)
            .execute();
      }
      const updated = await sql.updateCustomers(changed.map((w) => w.row));
      if (updated !== changed.length)
        throw new ConflictError(
          'version_conflict',
          'A customer in this batch was changed while the batch was written; it will be retried',
        );
      await sql.insert(
        'customer_identities',
        changed.flatMap((w) => w.addIdentities),
      );
      await sql.insert(
        'customer_audit',
        writes.flatMap((w) => (w.audit ? [w.audit] : [])),
      );
      const totals: Partial<Record<CustomerStatus, number>> = {};
      for (const w of writes)
        for (const [status, delta] of Object.entries(w.statusTotals) as [CustomerStatus, number][])
          totals[status] = (totals[status] ?? 0) + delta;
      const accountId = writes[0]?.row.account_id;
      if (accountId) await adjustStatusTotals(k, accountId, totals);
      // The batch's duplicate suggestions, set-based: a statement per kind of match per batch.
      await afterCustomerWrites(k, writes);
    },
  };
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
async function copyMany<T extends keyof Database>(
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

/** On the client a PostgreSQL transaction is open on (withPgClientTransaction). */
export function pgCustomerBulk(client: pg.PoolClient): CustomerBulk {
  return customerBulk({
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
    // One UPDATE … FROM unnest(arrays) per batch instead of a round trip per customer; a row
    // whose version moved since it was read is not written (and the batch is refused). A batch
    // is one account's, and the account is named as well as joined: on Citus that sends the
    // statement to the account's shard (docs/SCALING.md).
    updateCustomers: async (rows) => {
      const accountId = rows[0]?.account_id;
      if (accountId === undefined) return 0;
      const columns = ['account_id', 'id', ...CHANGEABLE_COLUMNS] as const;
      const arrays = columns.map((c) => rows.map((r) => r[c] ?? null));
      const types = columns.map((c) => (c === 'account_id' || c === 'id' ? 'text' : PG_TYPES[c]));
      const result = await client.query(
        `update customers as c set ${CHANGEABLE_COLUMNS.map((c) => `"${c}" = v."${c}"`).join(', ')}
         from unnest(${columns.map((_c, i) => `$${i + 1}::${types[i] === 'jsonb' ? 'text' : types[i]}[]`).join(', ')})
           as v(${columns.map((c) => `"${c}"`).join(', ')})
         where c.account_id = $${columns.length + 1} and c.account_id = v.account_id
           and c.id = v.id and c.version = v.version - 1`.replace(
          /v\."custom_attributes"/,
          'v."custom_attributes"::jsonb',
        ),
        [...arrays, accountId],
      );
      return result.rowCount ?? 0;
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
  });
}

/**
 * Statements prepared once per run, on the connection Kysely's transaction is open on (so they
 * run inside it).
 */
export function sqliteCustomerBulk(database: SQLite.Database): CustomerBulk {
  const statements = new Map<string, SQLite.Statement>();
  const update = database.prepare(
    `update customers set ${CHANGEABLE_COLUMNS.map((c) => `"${c}" = ?`).join(', ')}
     where account_id = ? and id = ? and version = ?`,
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
  return customerBulk({
    identityOwners: (accountId, emails, phones) =>
      Promise.resolve(
        ownersOf(
          owners.all({
            account: accountId,
            emails: JSON.stringify(emails),
            phones: JSON.stringify(phones),
          }) as { kind: string; value: string; customer_id: string }[],
        ),
      ),
    updateCustomers: (rows) => {
      let updated = 0;
      for (const row of rows)
        updated += update.run([
          ...CHANGEABLE_COLUMNS.map((c) => row[c] ?? null),
          row.account_id,
          row.id,
          Number(row.version) - 1,
        ]).changes;
      return Promise.resolve(updated);
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
  });
}
