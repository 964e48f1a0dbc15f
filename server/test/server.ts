// A real Kunde HTTP server on a free port and a fresh database, for HTTP and browser tests.
import type { PasswordCost } from '../agents/password.ts';
import type { Dialect } from '../db/connect.ts';
import { buildApp } from '../http/app.ts';
import { WEB_ROOT } from '../main.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb } from './databases.ts';
import { ensureNeighbour } from './factories.ts';

export interface TestServer {
  url: string;
  services: Services;
  /** The scrypt cost its hashes are made at: a hash a test writes directly should match it. */
  passwordCost: PasswordCost;
  close(): Promise<void>;
}

/** scrypt at 2^12: the same code and format as PASSWORD_COST, 40 times cheaper. */
export const TEST_PASSWORD_COST: PasswordCost = { logN: 12, r: 8, p: 1 };

export interface TestServerOptions {
  dialect?: Dialect;
  /** Turns the platform API on (KUNDE_PLATFORM_TOKEN). */
  platformToken?: string;
  /** Turns /metrics on (KUNDE_METRICS_TOKEN). */
  metricsToken?: string;
  /**
   * The scrypt cost of every password hash the server makes. Left out: TEST_PASSWORD_COST, since
   * a test server's subject is never the hash's cost (each hash at OWASP's cost takes 0.6 s of a
   * core, and the suite makes a thousand); a test about the hash itself (its timing, the decoy)
   * passes PASSWORD_COST.
   */
  passwordCost?: PasswordCost;
  /** Outbound SMTP (SMTP_URL); without it mail is held in the outbox. */
  smtpUrl?: string;
  /**
   * A neighbour account with data is there from the start (see factories.ts); false only for
   * tests of an empty database (first-run setup).
   */
  neighbour?: boolean;
  /** Webhooks to 127.0.0.1 (a receiver in the test); off as in production unless asked. */
  allowPrivateWebhooks?: boolean;
  /** A database collated otherwise than the test cluster (databases.ts TestDbOptions). */
  collation?: 'icu';
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = await createTestDb(options.dialect ?? 'sqlite', { collation: options.collation });
  const passwordCost = options.passwordCost ?? TEST_PASSWORD_COST;
  const services = createServices(db, {
    platformToken: options.platformToken,
    smtpUrl: options.smtpUrl,
    passwordCost,
    webhooks: { allowPrivateAddresses: options.allowPrivateWebhooks ?? false },
  });
  if (options.neighbour !== false) await ensureNeighbour(services);
  const app = await buildApp({
    services,
    webRoot: WEB_ROOT,
    logLevel: 'warn',
    metricsToken: options.metricsToken,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    passwordCost,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}
