// Kunde's HTTP app on the bench database, in a process of its own. Started by http.ts with
// BENCH_TARGET (sqlite:FILE or a postgres:// URL); prints "listening PORT" when ready.
import { openPostgres, openSqlite } from '../server/db/connect.ts';
import { buildApp } from '../server/http/app.ts';
import { createServices } from '../server/services.ts';

const target = process.env.BENCH_TARGET ?? '';
// The same pool size openDatabase() gives PostgreSQL in production.
const db = target.startsWith('postgres')
  ? openPostgres(target)
  : openSqlite(target.replace(/^sqlite:/, ''));
const app = await buildApp({
  services: createServices(db),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
