// The duplicate suggestion backfill's rate (issue 15 point 4), a script of its own:
//
//   node --import tsx bench/duplicate-backfill.ts [--only sqlite|postgres]
//
//   BENCH_BACKFILL_CUSTOMERS  rows of the import bench's file to import (100000: about 99,000
//                             customers, 30% in organizations, so same names pair up)
//   DATABASE_URL              a PostgreSQL server: adds the PostgreSQL run, in a database of its own
//   BENCH_DIR                 files and the SQLite database (.tmp/bench)   BENCH_SEED  data seed
//
// The customers are imported in-process with upkeep on (the pairs to compare with), then made
// old: their match keys and suggestions deleted, as an account from before upkeep has none. The
// backfill then walks them as its job does (1,000 a transaction, a pause between batches);
// rows/s is customers ÷ the walk's seconds. A second walk shows the cost of running it again.
// The longest batch is how long a writer (an email arriving) can wait for the SQLite lock.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { customFieldCreateSchema } from '../common/custom-field.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import type { Dialect } from '../server/db/connect.ts';
import { createServices } from '../server/services.ts';
import { DEFAULT_SEED } from './data.ts';
import { dropDatabase, freshDatabase, type Place } from './fresh-db.ts';
import { CUSTOMER_NO_FIELD, importFile } from './import-data.ts';
import { createBenchAccount } from './prepare.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface WalkResult {
  seconds: number;
  rowsPerSecond: number;
  batches: number;
  /** The longest and the median batch (its transaction), without the pause between batches. */
  maxBatchMs: number;
  medianBatchMs: number;
}

async function walk(
  services: ReturnType<typeof createServices>,
  accountId: string,
  customers: number,
): Promise<WalkResult> {
  await services.duplicateBackfill.request(accountId);
  const batchMs: number[] = [];
  let last = performance.now();
  const started = last;
  await services.duplicateBackfill.run(accountId, {
    afterBatch: () => {
      const now = performance.now();
      batchMs.push(now - last);
      last = now;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  // Every interval but the first includes the 20 ms pause before its batch.
  const own = batchMs.map((ms, i) => (i === 0 ? ms : ms - 20)).sort((a, b) => a - b);
  return {
    seconds,
    rowsPerSecond: Math.round(customers / seconds),
    batches: own.length,
    maxBatchMs: Math.round(own.at(-1) ?? 0),
    medianBatchMs: Math.round(own[Math.floor(own.length / 2)] ?? 0),
  };
}

async function count(
  services: ReturnType<typeof createServices>,
  table: 'duplicate_suggestions' | 'customer_match_keys',
  accountId: string,
) {
  const row = await services.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function runOne(dialect: Dialect, place: Place, customers: number, seed: number) {
  const log = (message: string) => console.error(`${dialect}: ${message}`);
  // The import bench's file, imported in create mode: its update rows create customers too, its
  // bad rows fail.
  const preload = await importFile(place.dir, customers, seed);
  const fresh = await freshDatabase(dialect, place, 'kunde_bench_backfill');
  const db = fresh.open(4);
  try {
    const services = createServices(db, { dataDir: fresh.dataDir });
    const { accountId } = await createBenchAccount(db);
    await services.customFields.create(
      accountId,
      customFieldCreateSchema.parse({ entity: 'customer', ...CUSTOMER_NO_FIELD }),
    );
    log(`importing ${preload.rows.toLocaleString('en')} rows (upkeep on)`);
    const importStart = performance.now();
    await services.imports.upload(systemPrincipal(accountId, 'Bench'), {
      filename: 'backfill.csv',
      body: fs.createReadStream(preload.file),
      start: true,
      options: { mode: 'create', dryRun: false, overwriteEmpty: false },
    });
    await services.worker.drain();
    const importSeconds = (performance.now() - importStart) / 1000;
    const imported = Number(
      (
        await db.kysely
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const upkeepPairs = await count(services, 'duplicate_suggestions', accountId);
    const upkeepKeys = await count(services, 'customer_match_keys', accountId);

    // Made old: what an account from before upkeep holds.
    await db.kysely.deleteFrom('customer_match_keys').where('account_id', '=', accountId).execute();
    await db.kysely
      .deleteFrom('duplicate_suggestions')
      .where('account_id', '=', accountId)
      .execute();
    log('backfill');
    const first = await walk(services, accountId, imported);
    const backfillPairs = await count(services, 'duplicate_suggestions', accountId);
    const backfillKeys = await count(services, 'customer_match_keys', accountId);
    log('backfill again');
    const again = await walk(services, accountId, imported);
    const againPairs = await count(services, 'duplicate_suggestions', accountId);
    return {
      dialect,
      customers: imported,
      importSeconds: Math.round(importSeconds * 10) / 10,
      upkeep: { pairs: upkeepPairs, keys: upkeepKeys },
      backfill: { ...first, pairs: backfillPairs, keys: backfillKeys },
      again: { ...again, pairs: againPairs },
    };
  } finally {
    await db.close();
    await dropDatabase(place, fresh);
  }
}

async function main() {
  const raw = process.env.BENCH_BACKFILL_CUSTOMERS ?? '100000';
  const customers = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(customers) || customers < 1)
    throw new Error(`BENCH_BACKFILL_CUSTOMERS must be a positive integer, not "${raw}"`);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const at = process.argv.indexOf('--only');
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres')
    throw new Error(`--only takes sqlite or postgres, not "${only}"`);
  if (only === 'postgres' && !databaseUrl) throw new Error('--only postgres needs DATABASE_URL');
  const dialects: Dialect[] = only ? [only] : databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  const place: Place = {
    dir: path.resolve(ROOT, process.env.BENCH_DIR ?? '.tmp/bench'),
    databaseUrl,
  };
  const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
  for (const dialect of dialects)
    console.log(JSON.stringify(await runOne(dialect, place, customers, seed), null, 2));
}

await main();
