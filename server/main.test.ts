// `npm start` as a new team runs it: the compiled server (dist/server/main.js, which the test
// set-up builds as npm start does) in a real process with npm start's node flags, migrations, the
// first administrator from the environment, an import on the bundle's worker thread, and a clear
// refusal of bad configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_NODE_FLAGS } from '../bench/kunde-process.ts';
import { COMPILED_MAIN, partState } from '../scripts/build.mjs';
import { createTestDb, testDialects, type TestDb } from './test/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, COMPILED_MAIN);
const FIXTURES = path.join(import.meta.dirname, 'imports', 'fixtures');

it('runs a current build of these sources', () => {
  expect(partState('server')).toBe('current');
});

function startProcess(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [...START_NODE_FLAGS, MAIN], {
    env: {
      ...process.env,
      DATA_DIR: '',
      DATABASE_URL: '',
      PORT: '0',
      SMTP_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    cwd: ROOT,
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => reject(new Error(`exited: ${output}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, url, exit };
}

describe.each(testDialects())('starting Kunde on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(() => db.destroy());

  it('creates the first administrator from KUNDE_ADMIN_* and serves the API', async () => {
    const kunde = startProcess({
      ...db.env,
      KUNDE_ADMIN_EMAIL: 'first@example.com',
      KUNDE_ADMIN_PASSWORD: 'first password',
      KUNDE_IMPORT_MAX_BYTES: '4096',
    });
    try {
      const url = await kunde.url;
      const login = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'first@example.com', password: 'first password' }),
      });
      expect(login.status).toBe(200);
      expect(await fetch(`${url}/api/v1/setup`).then((r) => r.json())).toEqual({ needed: false });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

      // The CSV is parsed on a worker thread: in the build, a bundle of its own.
      const upload = await fetch(`${url}/api/v1/customer-imports?start=true`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'text/csv' },
        body: fs.readFileSync(path.join(FIXTURES, 'utf8-bom-comma.csv')),
      });
      expect(upload.status, await upload.clone().text()).toBe(201);
      const { id } = ((await upload.json()) as { import: { id: string } }).import;
      let view: { status?: string; created?: number } = {};
      for (let i = 0; i < 100 && view.status !== 'done' && view.status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        view = (await fetch(`${url}/api/v1/customer-imports/${id}`, { headers: { cookie } }).then(
          (r) => r.json(),
        )) as typeof view;
      }
      expect(view).toMatchObject({ status: 'done' });
      const found = await fetch(`${url}/api/v1/customers?q=ola%40example.com`, {
        headers: { cookie },
      });
      expect(JSON.stringify(await found.json())).toContain('Nordmann');

      // KUNDE_IMPORT_MAX_BYTES reaches the HTTP edge through config.ts.
      const tooLarge = await fetch(`${url}/api/v1/customer-imports`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'text/csv' },
        body: `email\r\n${'someone@example.com\r\n'.repeat(300)}`,
      });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.text()).toMatch(/too large/i);

      // Swagger UI's assets come from node_modules, found from the bundle.
      const css = await fetch(`${url}/api/docs/assets/swagger-ui.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('.swagger-ui');
    } finally {
      kunde.child.kill('SIGTERM');
      expect(await kunde.exit).toBe(0);
    }
  });
});

describe('bad configuration', () => {
  it('stops at start with a message naming the variable', async () => {
    const kunde = startProcess({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://nope',
      KUNDE_IMPORT_BATCH_SIZE: 'abc',
    });
    kunde.url.catch(() => undefined);
    expect(await kunde.exit).toBe(78);
    expect(kunde.output()).toContain('PORT: PORT must be a port number');
    expect(kunde.output()).toContain('DATABASE_URL: DATABASE_URL must start with postgres://');
    expect(kunde.output()).toContain(
      'KUNDE_IMPORT_BATCH_SIZE: must be a whole number from 100 to 100000',
    );
    expect(kunde.output()).not.toMatch(/at .*\.[jt]s:\d+/);
  });
});
