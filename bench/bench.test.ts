// Keeps the bench from rotting: the whole code path on a small SQLite database, in seconds.
// (The figures themselves are for `npm run bench`; nothing here asserts a speed.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '../server/customers/identity.ts';
import { runBench } from './bench.ts';
import { DEFAULT_SEED, customerAt, searchQueries } from './data.ts';
import { formatReport } from './report.ts';

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
