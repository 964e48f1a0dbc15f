// Issue 4, item 10: a generated CSV (1,000,000 rows, about 100 MB; 10% update, 1% bad) imported
// end to end through the API of a Kunde process of its own (upload text/csv with start=true and
// mode=upsert, poll until done), beside the same engine's raw bulk insert of the rows it created
// (bulk-ceiling.ts), measured in the same run. Memory is the Kunde process's peak RSS.
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CustomerImport } from '../common/customer-import.ts';
import { customFieldCreateSchema } from '../common/custom-field.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import type { Dialect } from '../server/db/connect.ts';
import { createServices } from '../server/services.ts';
import { postgresCeiling, sqliteCeiling, type Ceiling } from './bulk-ceiling.ts';
import { dropDatabase, freshDatabase, type FreshDatabase, type Place } from './fresh-db.ts';
import { CUSTOMER_NO_FIELD, importFile, preloadFile, type ImportFile } from './import-data.ts';
import { startKundeProcess } from './kunde-process.ts';
import { createBenchAccount, type Log } from './prepare.ts';

export interface ImportBenchOptions extends Place {
  rows: number;
  /**
   * Duplicate suggestion upkeep (issue 15) in the Kunde process: off only to measure what it
   * costs (BENCH_DUPLICATE_UPKEEP=off passes KUNDE_BENCH_DUPLICATE_UPKEEP=off to the process).
   */
  duplicateUpkeep?: 'on' | 'off';
  /**
   * false (BENCH_IMPORT_CEILING=off): no raw ceiling. At 1M rows on SQLite it takes over an hour
   * (FTS5 segment merges under secure_delete, issue 17's note), so comparing the import with and
   * without upkeep can skip it; the ratio is then not a figure.
   */
  ceiling?: boolean;
  seed: number;
  logLevel: string;
  log: Log;
}

export interface ImportResult {
  engine: Dialect;
  rows: number;
  bytes: number;
  /** KUNDE_IMPORT_BATCH_SIZE, when set. */
  batchSize: string;
  /** Whether the Kunde process kept duplicate suggestions up during the import. */
  duplicateUpkeep: 'on' | 'off';
  /** Duplicate suggestions in the account after the import. */
  suggestions: number;
  preloaded: number;
  /** POST until answered: the file stored, its rows counted, the job queued. */
  uploadSeconds: number;
  /** The import job, started_at to finished_at: rows/s = data rows / these seconds. */
  jobSeconds: number;
  rowsPerSecond: number;
  /** From the first byte of the upload until the poll saw "done". */
  endToEndSeconds: number;
  /** VmHWM of the Kunde process at the end, and the peak of VmRSS sampled every 100 ms. */
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  /**
   * CPU seconds the Kunde process used, start to end (user + system): on a shared machine the
   * fairer figure for comparing two runs than the job's wall time.
   */
  kundeCpuSeconds: number;
  /** Peak VmRSS sampled while idle after start, during the upload, and during the job. */
  rssByPhase: { idle: number; upload: number; job: number };
  counts: { created: number; updated: number; unchanged: number; failed: number; total: number };
  expected: ImportFile['expected'];
  checks: {
    /** created + updated + unchanged + failed = data rows */
    accounted: boolean;
    asExpected: boolean;
    customersInDatabase: number;
    customersExpected: number;
    rowsWithErrors: number;
  };
  ceiling: Ceiling;
  /** Import rows/s ÷ ceiling rows/s. */
  ratio: number;
}

/** The account, the customer_no field, the existing customers (imported in-process), a token. */
async function prepare(fresh: FreshDatabase, preload: ImportFile) {
  const db = fresh.open(2);
  try {
    const services = createServices(db, { dataDir: fresh.dataDir });
    const login = await createBenchAccount(db);
    await services.customFields.create(
      login.accountId,
      customFieldCreateSchema.parse({ entity: 'customer', ...CUSTOMER_NO_FIELD }),
    );
    const principal = systemPrincipal(login.accountId, 'Bench');
    const { import: started } = await services.imports.upload(principal, {
      filename: 'preload.csv',
      body: fs.createReadStream(preload.file),
      start: true,
      options: { mode: 'create', dryRun: false, overwriteEmpty: false },
    });
    await services.worker.drain();
    const done = await services.imports.get(principal, started.id);
    if (done.created !== preload.rows)
      throw new Error(`preload created ${done.created} of ${preload.rows} customers`);
    const { token } = await services.agents.createToken(login.accountId, login.userId, 'bench');
    return { ...login, token };
  } finally {
    await db.close();
  }
}

function upload(port: number, token: string, file: string): Promise<CustomerImport> {
  const query = new URLSearchParams({ start: 'true', mode: 'upsert', filename: 'bench.csv' });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/customer-imports?${query.toString()}`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/csv',
          'content-length': fs.statSync(file).size,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 201)
            reject(new Error(`upload: ${response.statusCode} ${body}`));
          else resolve((JSON.parse(body) as { import: CustomerImport }).import);
        });
      },
    );
    request.on('error', reject);
    fs.createReadStream(file).pipe(request);
  });
}

async function poll(port: number, token: string, id: string): Promise<CustomerImport> {
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/customer-imports/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    }).catch((error: unknown) => {
      const cause = (error as { cause?: unknown }).cause;
      throw new Error(`polling the import: ${String(cause ?? error)}`);
    });
    const view = (await response.json()) as CustomerImport;
    if (view.status === 'done' || view.status === 'failed') return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function countChecks(fresh: FreshDatabase, accountId: string, importId: string) {
  const db = fresh.open(2);
  try {
    const customers = await db.kysely
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    const errors = await db.kysely
      .selectFrom('customer_import_errors')
      .select((eb) => eb.fn.count<number>('row_number').distinct().as('n'))
      .where('account_id', '=', accountId)
      .where('import_id', '=', importId)
      .executeTakeFirstOrThrow();
    const suggestions = await db.kysely
      .selectFrom('duplicate_suggestions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return {
      customers: Number(customers.n),
      rowsWithErrors: Number(errors.n),
      suggestions: Number(suggestions.n),
    };
  } finally {
    await db.close();
  }
}

export async function runImport(
  engine: Dialect,
  options: ImportBenchOptions,
): Promise<ImportResult> {
  const { log } = options;
  log(`${engine} import: writing or reusing the files (${options.rows.toLocaleString('en')} rows)`);
  const big = await importFile(options.dir, options.rows, options.seed);
  const preload = await preloadFile(options.dir, options.rows, options.seed);
  const fresh = await freshDatabase(engine, options, 'kunde_bench_import');
  log(`${engine} import: ${preload.rows.toLocaleString('en')} existing customers`);
  const login = await prepare(fresh, preload);

  const kunde = await startKundeProcess({
    dataDir: fresh.dataDir,
    databaseUrl: fresh.url,
    logLevel: options.logLevel,
    env: options.duplicateUpkeep === 'off' ? { KUNDE_BENCH_DUPLICATE_UPKEEP: 'off' } : {},
  });
  let view: CustomerImport;
  let uploadSeconds: number;
  let endToEndSeconds: number;
  let peakRssBytes: number;
  let sampledPeakRssBytes: number;
  let rssByPhase: ImportResult['rssByPhase'];
  let kundeCpuSeconds: number;
  try {
    log(`${engine} import: uploading ${(big.bytes / 1e6).toFixed(0)} MB and importing`);
    const idle = kunde.sampleRss(100)();
    const stopUpload = kunde.sampleRss(100);
    const started = performance.now();
    const queued = await upload(kunde.port, login.token, big.file);
    uploadSeconds = (performance.now() - started) / 1000;
    const uploadPeak = stopUpload();
    const stopJob = kunde.sampleRss(100);
    view = await poll(kunde.port, login.token, queued.id);
    endToEndSeconds = (performance.now() - started) / 1000;
    rssByPhase = { idle, upload: uploadPeak, job: stopJob() };
    sampledPeakRssBytes = Math.max(rssByPhase.upload, rssByPhase.job);
    peakRssBytes = kunde.peakRss();
    kundeCpuSeconds = kunde.cpuSeconds();
  } finally {
    await kunde.stop();
  }
  if (view.status !== 'done') throw new Error(`the import ${view.status}: ${view.error ?? ''}`);
  const jobSeconds = (Date.parse(view.finishedAt ?? '') - Date.parse(view.startedAt ?? '')) / 1000;
  const rowsPerSecond = big.rows / jobSeconds;
  log(`${engine} import: ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s; ceiling`);

  const found = await countChecks(fresh, login.accountId, view.id);
  // Updated customers carry the import's id too; those it created were created after it started.
  const created = { importId: view.id, since: view.startedAt ?? '' };
  let ceiling: Ceiling = {
    method: 'not measured',
    rows: 0,
    identities: 0,
    seconds: 0,
    rowsPerSecond: NaN,
  };
  if (options.ceiling !== false) {
    const target = await freshDatabase(engine, options, 'kunde_bench_ceiling');
    ceiling =
      engine === 'postgres'
        ? await postgresCeiling(fresh, target, login.accountId, created)
        : sqliteCeiling(fresh, target, created);
    await dropDatabase(options, target);
  }

  const counts = {
    created: view.created,
    updated: view.updated,
    unchanged: view.unchanged,
    failed: view.failed,
    total: view.totalRows,
  };
  return {
    engine,
    rows: big.rows,
    bytes: big.bytes,
    batchSize: process.env.KUNDE_IMPORT_BATCH_SIZE ?? 'default',
    duplicateUpkeep: options.duplicateUpkeep ?? 'on',
    suggestions: found.suggestions,
    preloaded: preload.rows,
    uploadSeconds,
    jobSeconds,
    rowsPerSecond,
    endToEndSeconds,
    peakRssBytes,
    sampledPeakRssBytes,
    kundeCpuSeconds,
    rssByPhase,
    counts,
    expected: big.expected,
    checks: {
      accounted:
        counts.total === big.rows &&
        counts.created + counts.updated + counts.unchanged + counts.failed === big.rows,
      asExpected:
        counts.created === big.expected.created &&
        counts.updated === big.expected.updated &&
        counts.unchanged === big.expected.unchanged &&
        counts.failed === big.expected.failed,
      customersInDatabase: found.customers,
      customersExpected: preload.rows + counts.created,
      rowsWithErrors: found.rowsWithErrors,
    },
    ceiling,
    ratio: rowsPerSecond / ceiling.rowsPerSecond,
  };
}
