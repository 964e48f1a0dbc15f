// The test run (`npm test` = `vitest run`): two groups of test files, one after the other.
// First everything that only needs to be right, two files at a time (vitest's default is
// cpus - 1, one worker on the 2-core CI machine). Then, one file at a time, the files that
// measure time or memory or race a killed process against a deadline: beside another busy
// file their deadlines (a restart within 60 s, a stop within 2 s, a memory ceiling) measure the
// neighbour, not Kunde. Each group runs the global setup (build, PostgreSQL, templates).
// KUNDE_TEST_WORKERS sets the first group's width (1 runs the whole suite one file at a time).
import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './server/test/sequencer.ts';

const WORKERS = Number(process.env.KUNDE_TEST_WORKERS ?? 2);

const INCLUDE = [
  'common/**/*.test.ts',
  'server/**/*.test.ts',
  'e2e/**/*.test.ts',
  'bench/**/*.test.ts',
];

/** Timing-, memory- and kill-sensitive: run alone. */
const ALONE = [
  'server/exports/export-kill.test.ts',
  'server/erasure/erasure-kill.test.ts',
  'server/erasure/erasure-crash.test.ts',
  'server/intake/smtp-crash.test.ts',
  'server/intake/smtp-memory.test.ts',
  'server/files/file-store-memory.test.ts',
  'server/shutdown.test.ts',
  // Two Kunde processes on one database, and two on one SQLite data directory (issue 18).
  'server/nodes.test.ts',
  'server/jobs/worker-stop.test.ts',
  'bench/bench.test.ts',
  // Known and unknown emails answer within 20% of each other's time (issue 14).
  'server/hub/hub-brute-force.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: INCLUDE,
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
