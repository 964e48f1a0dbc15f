// What both loaders share: the bench account, how a finished load is recognised (so a re-run
// reuses it), and the rows in batches.
import { findLoginByEmail } from '../server/agents/agent.repository.ts';
import type { Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createServices } from '../server/services.ts';
import { customerAt, type CustomerRow, type GeneratedCustomer } from './data.ts';

/** Bump when data.ts changes what it generates, so old caches are rebuilt. */
export const DATA_VERSION = 1;
export const BENCH_EMAIL = 'bench@kunde.test';

export interface LoadMeta {
  version: number;
  customers: number;
  seed: number;
  seconds: number;
}

export interface PreparedDatabase {
  /** What bench/server.ts opens: sqlite:FILE or a postgres:// URL. */
  target: string;
  accountId: string;
  userId: string;
  generation: { seconds: number; reused: boolean };
}

export type Log = (message: string) => void;

export function metaMatches(meta: unknown, customers: number, seed: number): meta is LoadMeta {
  if (typeof meta !== 'object' || meta === null) return false;
  const m = meta as Partial<LoadMeta>;
  return (
    m.version === DATA_VERSION &&
    m.customers === customers &&
    m.seed === seed &&
    typeof m.seconds === 'number'
  );
}

/** Migrates (a reused database gets later migrations too) and returns the bench login. */
export async function benchLogin(
  db: Db,
): Promise<{ accountId: string; userId: string } | undefined> {
  await migrateToLatest(db);
  return findLoginByEmail(db.kysely, BENCH_EMAIL);
}

/** A fresh, migrated database gets the bench account and its administrator through the app. */
export async function createBenchAccount(db: Db): Promise<{ accountId: string; userId: string }> {
  await migrateToLatest(db);
  return createServices(db).agents.createAccount({
    accountName: 'Kunde bench',
    name: 'Bench Administrator',
    email: BENCH_EMAIL,
    password: 'kunde bench password',
  });
}

/** Customers [from, to) of the bench account. */
export function generateBatch(
  seed: number,
  from: number,
  to: number,
  total: number,
  accountId: string,
): GeneratedCustomer[] {
  const batch: GeneratedCustomer[] = [];
  for (let i = from; i < to; i++) batch.push(customerAt(seed, i, total, accountId));
  return batch;
}

export function progress(
  log: Log,
  what: string,
  done: number,
  total: number,
  startedMs: number,
): void {
  const seconds = (performance.now() - startedMs) / 1000;
  log(
    `${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${seconds.toFixed(1)} s)`,
  );
}

export const CUSTOMER_COLUMNS = [
  'account_id',
  'id',
  'number',
  'first_name',
  'last_name',
  'email',
  'phone',
  'custom_attributes',
  'status',
  'created_via',
  'search_text',
  'last_activity_at',
  'created_at',
  'updated_at',
  'version',
  'organization_id',
  'type_id',
  'email_domain',
] as const satisfies readonly (keyof CustomerRow)[];

export type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number];

export function pickColumns(
  row: CustomerRow,
  columns: readonly CustomerColumn[],
): Partial<CustomerRow> {
  const picked: Partial<Record<CustomerColumn, unknown>> = {};
  for (const column of columns) picked[column] = row[column];
  return picked as Partial<CustomerRow>;
}
