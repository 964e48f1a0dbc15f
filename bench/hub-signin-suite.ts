// `npm run bench -- --suite hub-signin` (issue 14 item 8): Customer Hub password sign-ins per
// second over HTTP at the hash cost Kunde uses (scrypt N=2^17, r=8, p=1: OWASP's), with
// BENCH_HUB_CONNECTIONS clients at once for BENCH_SECONDS, beside raw scrypt verifications per
// second in this process with the same concurrency: the engine's limit, since every sign-in is
// one verification. The ratio says how much of that limit the HTTP path keeps.
import { performance } from 'node:perf_hooks';
import { accountSettingsSchema } from '../common/settings.ts';
import { insertAccount } from '../server/accounts/account.repository.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import { hashPassword, verifyPassword } from '../server/agents/password.ts';
import type { Dialect } from '../server/db/connect.ts';
import { newId, nowIso } from '../server/db/ids.ts';
import { saveHubLogin } from '../server/hub/hub-login.repository.ts';
import { createServices } from '../server/services.ts';
import { dropDatabase, freshDatabase, type Place } from './fresh-db.ts';
import { startServer } from './http.ts';
import type { Measure } from './suite.ts';

export interface HubSignInOptions extends Place {
  customers: number;
  connections: number;
  seconds: number;
  logLevel: string;
  log: (message: string) => void;
}

export interface HubSignInResult {
  engine: Dialect;
  connections: number;
  measures: Measure[];
  /** Sign-ins that did not answer 200 signed_in (should be 0). */
  failed: number;
}

const PASSWORD = 'a bench customer password';
const SLUG = 'bench-hub';

/** Runs `work` from `connections` loops at once for `seconds`; completions per second. */
async function perSecond(connections: number, seconds: number, work: (i: number) => Promise<void>) {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, loop) => {
      for (let i = loop; performance.now() < end; i += connections) {
        await work(i);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function runHubSignIn(
  engine: Dialect,
  options: HubSignInOptions,
): Promise<HubSignInResult> {
  const fresh = await freshDatabase(engine, options, 'kunde_bench_hub');
  const db = fresh.open(10);
  const target = fresh.url ?? `sqlite:${fresh.file ?? ''}`;
  const services = createServices(db, { dataDir: fresh.dataDir });
  const accountId = newId();
  const settings = accountSettingsSchema.parse({});
  await insertAccount(db.kysely, {
    id: accountId,
    name: 'Bench Hub',
    settings: { ...settings, hub: { ...settings.hub, enabled: true } },
    createdAt: nowIso(),
  });
  await db.kysely
    .insertInto('hub_addresses')
    .values({ slug: SLUG, account_id: accountId })
    .execute();
  // One hash for every customer: the bench measures verifying it, not making it.
  const hash = await hashPassword(PASSWORD);
  const emails: string[] = [];
  for (let i = 0; i < options.customers; i++) {
    const email = `hub.bench.${i}@bench.example`;
    const customer = await services.customers.create(
      systemPrincipal(accountId),
      { email },
      'agent',
    );
    await saveHubLogin(db.kysely, accountId, customer.id, { passwordHash: hash }, nowIso());
    emails.push(email);
  }
  await db.close();
  const server = await startServer(target, options.logLevel);
  let failed = 0;
  try {
    const url = `http://127.0.0.1:${server.port}/api/hub/v1/sites/${SLUG}/sign-in`;
    const signIn = async (i: number) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }),
      });
      const body = await response.text();
      if (response.status !== 200 || !body.includes('"signed_in"')) failed += 1;
    };
    for (let i = 0; i < options.connections; i++) await signIn(i);
    options.log(
      `hub-signin ${engine}: ${options.connections} at once for ${options.seconds} s over HTTP`,
    );
    const api = await perSecond(options.connections, options.seconds, signIn);
    options.log(`hub-signin ${engine}: raw scrypt verifications, same concurrency`);
    await verifyPassword(PASSWORD, hash);
    const raw = await perSecond(options.connections, options.seconds, async () => {
      if (!(await verifyPassword(PASSWORD, hash)))
        throw new Error('the bench hash does not verify');
    });
    return {
      engine,
      connections: options.connections,
      failed,
      measures: [
        { name: 'hub sign-ins/s (scrypt 2^17)', unit: 'req/s', api, raw, ratio: api / raw },
      ],
    };
  } finally {
    await server.stop();
    await dropDatabase(options, fresh);
  }
}

export function formatHubSignIn(results: HubSignInResult[]): string {
  const lines = [
    'Customer Hub sign-in (issue 14): password sign-ins per second over HTTP beside raw scrypt verifications per second (the same concurrency, this machine).',
    '',
    '| engine | clients | measure | API | raw | API / raw | failed |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results)
    for (const m of r.measures)
      lines.push(
        `| ${r.engine} | ${r.connections} | ${m.name} | ${m.api.toFixed(1)} | ${m.raw.toFixed(1)} | ${m.ratio.toFixed(2)}x | ${r.failed} |`,
      );
  return lines.join('\n');
}
