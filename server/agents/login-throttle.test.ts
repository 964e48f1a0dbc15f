// The login throttle under concurrency, over real HTTP: guesses sent all at once are counted
// before their passwords are hashed, so no more than the limit are ever checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../test/databases.ts';
import { createTestAccount, type TestAccount } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

const WINDOW_MS = 15 * 60_000;
// Each checked guess is a real scrypt hash, about 170 of them in this file, at the test server's
// cost (TEST_PASSWORD_COST, N=2^12; at N=2^17 they took ~55 s of CI). What is counted, and when
// (before the hash is checked), does not depend on how long a hash takes.
const TIMEOUT_MS = 60_000;

describe.each(testDialects())('login throttle over HTTP on %s', (dialect) => {
  let server: TestServer;
  let account: TestAccount;
  let offset = 0;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    account = await createTestAccount(server.services);
    server.services.agents.clock = () => Date.now() + offset;
  });
  afterAll(() => server.close());

  function login(email: string, password: string) {
    return fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  }

  it(
    'checks at most 10 of 50 concurrent wrong passwords for one email; the right one works after the window',
    async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => login(account.adminEmail, `wrong guess ${i}`)),
      );
      const statuses = responses.map((r) => r.status);
      const checked = statuses.filter((s) => s === 401).length;
      const refused = responses.filter((r) => r.status === 429);
      expect(checked).toBe(10);
      expect(refused).toHaveLength(40);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);

      // Inside the window even the right password is refused (it is not checked at all).
      expect((await login(account.adminEmail, account.password)).status).toBe(429);

      offset += WINDOW_MS + 1000;
      const ok = await login(account.adminEmail, account.password);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toBeTruthy();
    },
    TIMEOUT_MS,
  );

  it(
    'one success among concurrent guesses does not unlock a flood',
    async () => {
      offset += WINDOW_MS + 1000;
      // The owner logs in while 30 guesses arrive at the same moment.
      const [owner, ...guesses] = await Promise.all([
        login(account.adminEmail, account.password),
        ...Array.from({ length: 30 }, (_, i) => login(account.adminEmail, `guess ${i}`)),
      ]);
      expect(owner?.status === 200 || owner?.status === 429).toBe(true);
      const checked = guesses.filter((r) => r.status === 401).length;
      expect(checked).toBeLessThanOrEqual(10);
      // Nor does a later success: the wrong guesses still count for the rest of the window.
      offset += WINDOW_MS + 1000;
      for (let i = 0; i < 9; i++)
        expect((await login(account.adminEmail, `slow ${i}`)).status).toBe(401);
      expect((await login(account.adminEmail, account.password)).status).toBe(200);
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login(account.adminEmail, `after ${i}`)),
      );
      expect(after.filter((r) => r.status === 401)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    'counts concurrent guesses per client IP across many emails',
    async () => {
      offset += WINDOW_MS + 1000;
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => login(`nobody${i}@example.com`, 'wrong password')),
      );
      expect(responses.filter((r) => r.status === 401)).toHaveLength(50);
      expect(responses.filter((r) => r.status === 429)).toHaveLength(10);
    },
    TIMEOUT_MS,
  );
});
