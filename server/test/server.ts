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
  close(): Promise<void>;
}

export interface TestServerOptions {
  dialect?: Dialect;
  /** Turns the platform API on (KUNDE_PLATFORM_TOKEN). */
  platformToken?: string;
  /** Turns /metrics on (KUNDE_METRICS_TOKEN). */
  metricsToken?: string;
  /** A cheaper scrypt cost, for tests that hash by the hundred but do not test the hash. */
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
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = await createTestDb(options.dialect ?? 'sqlite');
  const services = createServices(db, {
    platformToken: options.platformToken,
    smtpUrl: options.smtpUrl,
    passwordCost: options.passwordCost,
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
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}
