// `npm start` as a new team runs it: a real process, migrations, the first administrator from
// the environment, and a clear refusal of bad configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from './test/databases.ts';

const MAIN = path.resolve(import.meta.dirname, 'main.ts');

function startProcess(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
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
    cwd: path.resolve(import.meta.dirname, '..'),
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
    } finally {
      kunde.child.kill('SIGTERM');
      expect(await kunde.exit).toBe(0);
    }
  });
});

describe('bad configuration', () => {
  it('stops at start with a message naming the variable', async () => {
    const kunde = startProcess({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    kunde.url.catch(() => undefined);
    expect(await kunde.exit).toBe(78);
    expect(kunde.output()).toContain('PORT: PORT must be a port number');
    expect(kunde.output()).toContain('DATABASE_URL: DATABASE_URL must start with postgres://');
    expect(kunde.output()).not.toMatch(/at .*\.ts:\d+/);
  });
});
