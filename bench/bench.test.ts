// Keeps the bench from rotting: the whole code path on a small SQLite database, in seconds.
// (The figures themselves are for `npm run bench`; nothing here asserts a speed.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '../server/customers/identity.ts';
import { runBench } from './bench.ts';
import { DEFAULT_SEED, customerAt, searchQueries } from './data.ts';
import { importRowAt } from './import-data.ts';
import { COMPILED_MAIN } from '../scripts/build.mjs';
import { START_NODE_FLAGS } from './kunde-process.ts';
import { formatDataRights, runDataRights } from './data-rights-suite.ts';
import { runImport } from './import-suite.ts';
import { runIntake } from './intake-suite.ts';
import { formatReport } from './report.ts';
import { organizationIndexer } from './scope-data.ts';
import { MEASURES, formatScope, runScope } from './scope-suite.ts';
import { formatImport, formatIntake } from './suites-report.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kunde-bench-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bench data', () => {
  it('writes identities the way the app normalizes them', () => {
    for (let i = 0; i < 500; i++) {
      const { row, identities } = customerAt(DEFAULT_SEED, i, 500, 'account');
      expect(row.number).toBe(i + 1);
      expect(identities.length).toBeGreaterThan(0);
      for (const { kind, value } of identities) {
        const normalized = kind === 'email' ? normalizeEmail(value) : normalizePhone(value, 'NO');
        expect(normalized).toEqual({ ok: true, value });
      }
    }
  });

  it('writes import rows whose good cells the app accepts and whose bad rows are bad', () => {
    for (let i = 0; i < 1000; i++) {
      const [email = '', phone = ''] = importRowAt(DEFAULT_SEED, i, 1000);
      const bad = i % 100 === 37;
      if (email && !bad) expect(normalizeEmail(email).ok, email).toBe(true);
      if (phone && !bad) expect(normalizePhone(phone, 'NO').ok, phone).toBe(true);
      if (!bad) expect(Boolean(email || phone)).toBe(true);
    }
  });

  it('runs Kunde with the heap flags npm start gives it, so its memory is what users get', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toContain(`node ${START_NODE_FLAGS.join(' ')} ${COMPILED_MAIN}`);
  });

  it('draws the same queries for the same seed, mostly of 3+ characters', () => {
    const queries = searchQueries(DEFAULT_SEED, 200, 1000);
    expect(searchQueries(DEFAULT_SEED, 200, 1000)).toEqual(queries);
    expect(queries.filter((q) => [...q.q].length >= 3).length).toBeGreaterThan(180);
  });
});

describe('npm run bench', () => {
  it('reports every measure on SQLite, API beside raw, and reuses its data', async () => {
    const options = {
      customers: 2000,
      seed: DEFAULT_SEED,
      searches: 40,
      listRequests: 10,
      seconds: 1,
      connections: 10,
      dir,
      engines: ['sqlite' as const],
      postgresDatabase: 'unused',
      logLevel: 'warn',
      log: () => undefined,
    };
    const report = await runBench(options);
    const [sqlite] = report.engines;
    expect(sqlite?.engine).toBe('sqlite');
    expect(sqlite?.generation.reused).toBe(false);
    expect(sqlite?.measures.map((m) => m.name)).toEqual([
      'search p50',
      'search p99',
      'list first page p50',
      'list first page p99',
      'list deep page p50',
      'list deep page p99',
      'get by id',
    ]);
    for (const measure of sqlite?.measures ?? []) {
      expect(measure.api, measure.name).toBeGreaterThan(0);
      expect(measure.raw, measure.name).toBeGreaterThan(0);
      expect(measure.ratio, measure.name).toBeCloseTo(measure.api / measure.raw);
    }
    expect(sqlite?.details.search.mismatches).toBe(0);
    expect(sqlite?.details.firstPage.mismatches).toBe(0);
    expect(sqlite?.details.getById.api.non2xx).toBe(0);
    expect(formatReport(report)).toContain('API/raw');

    const again = await runBench({ ...options, searches: 5, listRequests: 2 });
    expect(again.engines[0]?.generation.reused).toBe(true);
  }, 120_000);
});

describe('npm run bench --suite import,intake', () => {
  const place = { dir, seed: DEFAULT_SEED, logLevel: 'warn', log: () => undefined };

  it('imports a small file end to end, every row accounted for, beside its ceiling', async () => {
    const result = await runImport('sqlite', { ...place, rows: 400 });
    expect(result.counts).toEqual({ ...result.expected, total: 400 });
    expect(result.expected).toEqual({ created: 356, updated: 40, unchanged: 0, failed: 4 });
    expect(result.checks.accounted).toBe(true);
    expect(result.checks.asExpected).toBe(true);
    expect(result.checks.customersInDatabase).toBe(result.checks.customersExpected);
    expect(result.checks.rowsWithErrors).toBe(4);
    expect(result.ceiling.rows).toBe(result.counts.created);
    for (const value of [result.rowsPerSecond, result.ceiling.rowsPerSecond, result.peakRssBytes])
      expect(value).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.rowsPerSecond / result.ceiling.rowsPerSecond);
    expect(formatImport([result])).toContain('import rows/s');
  }, 120_000);

  it('takes mail over SMTP and finds or creates senders, beside the raw insert-or-get', async () => {
    const result = await runIntake('sqlite', {
      ...place,
      messages: 200,
      operations: 200,
      knownSenders: 30,
      connections: 10,
    });
    expect(result.checks).toEqual({
      tickets: 200,
      ticketsExpected: 200,
      processed: 200,
      customers: 70,
      customersExpected: 70,
      customersAfterFindOrCreate: 110,
      customersAfterFindOrCreateExpected: 110,
    });
    expect(result.raw.inserted).toBe(40);
    for (const value of [
      result.smtp.messagesPerSecond,
      result.findOrCreate.opsPerSecond,
      result.raw.opsPerSecond,
    ])
      expect(value).toBeGreaterThan(0);
    expect(result.ratios.smtp).toBeCloseTo(result.smtp.messagesPerSecond / result.raw.opsPerSecond);
    expect(formatIntake([result])).toContain('find-or-create ops/s');
  }, 120_000);
});

describe('npm run bench --suite data-rights', () => {
  it('exports through a real server, erases and purges a small customer base', async () => {
    const result = await runDataRights('sqlite', {
      dir,
      tickets: 30,
      messagesPerTicket: 2,
      purgeCustomers: 20,
      log: () => undefined,
    });
    expect(result.export.seconds).toBeGreaterThan(0);
    expect(result.export.peakRssMb).toBeGreaterThanOrEqual(result.export.idleRssMb);
    expect(result.erase).toMatchObject({ tickets: 30, messages: 60 });
    expect(result.purge.customers).toBe(20);
    expect(formatDataRights([result])).toContain('server RSS idle → peak');
  }, 120_000);
});

describe('npm run bench --suite scope', () => {
  it('lists and searches as an unscoped and a scoped agent, beside the scoped SQL, and reuses its load', async () => {
    const layout = {
      seed: DEFAULT_SEED,
      customers: 2000,
      tickets: 4000,
      organizations: 20,
      served: 2,
      perServed: 50,
    };
    const options = {
      dir,
      postgresDatabase: 'unused',
      layout,
      requests: 5,
      searches: 4,
      budgetSeconds: 5,
      logLevel: 'warn',
      log: () => undefined,
    };
    const result = await runScope('sqlite', options);
    expect(result.load.reused).toBe(false);
    // The active customers of the two served organizations, and nobody else: no ticket of the
    // scoped team's is outside them and none is assigned to the agent.
    const organizationOf = organizationIndexer(layout);
    let expected = 0;
    for (let n = 1; n <= layout.customers; n++) {
      const index = organizationOf(n);
      const { row } = customerAt(DEFAULT_SEED, n - 1, layout.customers, 'x');
      if (index !== null && index < layout.served && row.status === 'active') expected += 1;
    }
    expect(result.scoped.customersInScope).toBe(expected);
    for (const who of ['unscoped', 'scoped'] as const)
      for (const name of MEASURES) {
        const timing = result.timings[who][name];
        expect(timing.api.n, `${who} ${name}`).toBeGreaterThan(0);
        expect(timing.raw.n, `${who} ${name}`).toBe(timing.api.n);
        expect(timing.raw.p50, `${who} ${name}`).toBeGreaterThan(0);
      }
    // Exact terms find their one customer, except the scoped agent's out-of-scope ones.
    expect(result.timings.unscoped['search out-of-scope exact'].meanRawTotal).toBe(1);
    expect(result.timings.scoped['search in-scope exact'].meanRawTotal).toBe(1);
    expect(result.timings.scoped['search out-of-scope exact'].meanRawTotal).toBe(0);
    expect(result.timings.scoped['list first page'].meanRawTotal).toBe(expected);
    // Once the server applies the scope, what it answers is what the scoped SQL gives.
    if (result.scoped.serverAppliesScope)
      for (const name of MEASURES) expect(result.timings.scoped[name].mismatches, name).toBe(0);
    expect(formatScope([result])).toContain('scoped API');

    const again = await runScope('sqlite', { ...options, requests: 3, searches: 3 });
    expect(again.load.reused).toBe(true);
    expect(again.scoped.customersInScope).toBe(expected);
  }, 180_000);
});
