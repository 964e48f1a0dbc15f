// A real Kunde HTTP server on a free port and a fresh database, for HTTP and browser tests.
import type { Dialect } from '../db/connect.ts';
import { buildApp } from '../http/app.ts';
import { WEB_ROOT } from '../main.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb } from './databases.ts';

export interface TestServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startTestServer(options: { dialect?: Dialect } = {}): Promise<TestServer> {
  const db = await createTestDb(options.dialect ?? 'sqlite');
  const services = createServices(db);
  const app = await buildApp({ services, webRoot: WEB_ROOT, logLevel: 'warn' });
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
