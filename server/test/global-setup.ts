// Test run setup: PostgreSQL for the dialect loop. Uses TEST_DATABASE_URL when set (CI starts a
// cluster), otherwise starts a private cluster for this run and stops it after. Tests never
// silently skip PostgreSQL: without it they fail, unless KUNDE_TEST_SQLITE_ONLY=1 says so.
// Then the migrated templates every test database is copied from (templates.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTemplates } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** The migrated SQLite file a test database is a copy of. */
    sqliteTemplate: string;
    /** The migrated PostgreSQL database a test database is created from ('' without one). */
    postgresTemplate: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export default async function setup(project: TestProject) {
  // Build once, before the tests start: the compiled server (main.test.ts and the bench run it
  // as npm start does; esbuild takes well under a second) and the console, which the Vite build
  // takes seconds for, unless the run says it needs no console.
  const { ensureBuilt } = await import('../../scripts/build.mjs');
  await ensureBuilt(process.env.KUNDE_TEST_SKIP_WEB_BUILD === '1' ? ['server'] : ['web', 'server']);
  // Each project of vitest.config.ts runs this setup: what it starts is named after both.
  const key = `${process.pid}_${project.name.replace(/[^a-z0-9]/gi, '')}`;
  let url = '';
  let stopCluster = () => {};
  if (process.env.KUNDE_TEST_SQLITE_ONLY === '1') {
    url = '';
  } else if (process.env.TEST_DATABASE_URL) {
    url = process.env.TEST_DATABASE_URL;
  } else {
    const dir = path.join(ROOT, '.tmp', `pg-test-${key}`);
    const script = path.join(ROOT, 'scripts', 'pg-cluster.sh');
    url = execFileSync(script, ['start', dir, String(await freePort())], {
      encoding: 'utf8',
    }).trim();
    stopCluster = () => {
      execFileSync(script, ['stop', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.initdb.log`, { force: true });
    };
  }
  project.provide('postgresUrl', url);
  const templates = await buildTemplates(path.join(ROOT, '.tmp'), key, url).catch(
    (error: unknown) => {
      stopCluster();
      throw error;
    },
  );
  project.provide('sqliteTemplate', templates.sqliteFile);
  project.provide('postgresTemplate', templates.postgresName);
  return async () => {
    await templates.remove();
    stopCluster();
  };
}
