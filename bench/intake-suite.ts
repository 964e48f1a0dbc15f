// Issue 5, item 8: messages per second through the SMTP intake of a Kunde process of its own
// (nodemailer, one pooled transport with 50 connections, 50 messages in flight; 80% from a few
// hundred known senders, 20% from new ones; the intake answers 250 only after the ticket is made,
// so accepted = processed), and find-or-create operations per second in-process on the same
// database, each beside the engine's raw insert-or-get (insert-or-get.ts) measured in this run.
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { systemPrincipal } from '../server/agents/principal.ts';
import type { Db, Dialect } from '../server/db/connect.ts';
import { createServices } from '../server/services.ts';
import { asciiName, rngFor } from './data.ts';
import { freshDatabase, type FreshDatabase, type Place } from './fresh-db.ts';
import { postgresInsertOrGet, sqliteInsertOrGet, type RawInsertOrGet } from './insert-or-get.ts';
import { startKundeProcess } from './kunde-process.ts';
import { FIRST_NAMES, FREE_MAIL, LAST_NAMES } from './names.ts';
import { createBenchAccount, type Log } from './prepare.ts';

export interface IntakeBenchOptions extends Place {
  messages: number;
  operations: number;
  knownSenders: number;
  connections: number;
  seed: number;
  logLevel: string;
  log: Log;
}

export interface IntakeResult {
  engine: Dialect;
  smtp: {
    messages: number;
    newSenders: number;
    connections: number;
    seconds: number;
    messagesPerSecond: number;
    /** CPU seconds the Kunde process used per second of the run (1 = one core busy). */
    kundeCpuCores: number;
    peakRssBytes: number;
  };
  findOrCreate: {
    operations: number;
    newSenders: number;
    concurrency: number;
    seconds: number;
    opsPerSecond: number;
  };
  raw: RawInsertOrGet;
  checks: {
    tickets: number;
    ticketsExpected: number;
    processed: number;
    customers: number;
    customersExpected: number;
    /** After the in-process find-or-create: its new senders added exactly once. */
    customersAfterFindOrCreate: number;
    customersAfterFindOrCreateExpected: number;
  };
  /** SMTP messages/s ÷ raw ops/s, and find-or-create ops/s ÷ raw ops/s. */
  ratios: { smtp: number; findOrCreate: number };
}

interface Sender {
  email: string;
  name: string;
}

function senderAt(seed: number, tag: string, k: number): Sender {
  const rng = rngFor(seed ^ 0x5e7d, k + (tag === 'known' ? 0 : 1_000_000));
  const first = FIRST_NAMES[Math.floor(rng() * FIRST_NAMES.length)] ?? 'Ola';
  const last = LAST_NAMES[Math.floor(rng() * LAST_NAMES.length)] ?? 'Nordmann';
  const domain = FREE_MAIL[Math.floor(rng() * FREE_MAIL.length)] ?? 'example.com';
  // Half the display names are written "Last, First", as some mail clients do.
  const name = rng() < 0.5 ? `${first} ${last}` : `${last}, ${first}`;
  return { email: `${asciiName(first)}.${asciiName(last)}.${tag}${k}@${domain}`, name };
}

/** Every fifth sender is new (a distinct `tag` address); the rest are known, some in capitals. */
function mix(options: IntakeBenchOptions, count: number, tag: string): Sender[] {
  return Array.from({ length: count }, (_, j) => {
    if (j % 5 === 4) return senderAt(options.seed, tag, j);
    const rng = rngFor(options.seed ^ 0x3c1, j);
    const known = senderAt(options.seed, 'known', Math.floor(rng() * options.knownSenders));
    return rng() < 0.25 ? { ...known, email: known.email.toUpperCase() } : known;
  });
}

async function count(db: Db, table: 'customers' | 'tickets' | 'inbound_emails', where = '') {
  let query = db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$castTo<{ n: number }>();
  if (where) query = query.where('status' as never, '=', where as never);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

async function sendAll(port: number, senders: Sender[], connections: number) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  let next = 0;
  const worker = async () => {
    while (next < senders.length) {
      const j = next++;
      const sender = senders[j] as Sender;
      await transport.sendMail({
        from: { name: sender.name, address: sender.email },
        to: 'support@kunde-bench.no',
        subject: `Spørsmål om faktura ${j}`,
        text: `Hei,\n\nJeg har et spørsmål om fakturaen for mars (sak ${j}). Beløpet ser feil ut.\n\nHilsen\n${sender.name}\n`,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    transport.close();
  }
}

async function findOrCreateAll(db: Db, accountId: string, senders: Sender[], concurrency: number) {
  const { customers } = createServices(db);
  const principal = systemPrincipal(accountId, 'Bench');
  let next = 0;
  const worker = async () => {
    while (next < senders.length) {
      const sender = senders[next++] as Sender;
      await customers.findOrCreateBySender(principal, sender, 'email');
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

export async function runIntake(
  engine: Dialect,
  options: IntakeBenchOptions,
): Promise<IntakeResult> {
  const { log } = options;
  const fresh: FreshDatabase = await freshDatabase(engine, options, 'kunde_bench_intake');
  let db = fresh.open();
  const { accountId } = await createBenchAccount(db);
  const known = Array.from({ length: options.knownSenders }, (_, k) =>
    senderAt(options.seed, 'known', k),
  );
  for (const sender of known)
    await createServices(db).customers.findOrCreateBySender(
      systemPrincipal(accountId, 'Bench'),
      sender,
      'email',
    );
  await db.close();

  const kunde = await startKundeProcess({
    dataDir: fresh.dataDir,
    databaseUrl: fresh.url,
    logLevel: options.logLevel,
    // All of the bench's mail comes from 127.0.0.1, over more connections and faster than the
    // per-IP defaults let one client; the limits are not what it measures.
    env: {
      SMTP_MAX_CONNECTIONS_PER_IP: String(options.connections + 10),
      SMTP_MESSAGES_PER_MINUTE_PER_IP: '10000000',
    },
  });
  const mail = mix(options, options.messages, 'new');
  let seconds: number;
  let cpu: number;
  let peakRssBytes: number;
  try {
    log(`${engine} intake: ${options.messages} messages over ${options.connections} connections`);
    const cpuBefore = kunde.cpuSeconds();
    const started = performance.now();
    await sendAll(kunde.smtpPort, mail, options.connections);
    seconds = (performance.now() - started) / 1000;
    cpu = kunde.cpuSeconds() - cpuBefore;
    peakRssBytes = kunde.peakRss();
  } finally {
    await kunde.stop();
  }

  db = fresh.open();
  const newInSmtp = mail.filter((_, j) => j % 5 === 4).length;
  let checks: IntakeResult['checks'];
  let findSeconds: number;
  const lookups = mix(options, options.operations, 'fc');
  const newInLookups = lookups.filter((_, j) => j % 5 === 4).length;
  try {
    const counted = {
      tickets: await count(db, 'tickets'),
      ticketsExpected: options.messages,
      processed: await count(db, 'inbound_emails', 'processed'),
      customers: await count(db, 'customers'),
      customersExpected: options.knownSenders + newInSmtp,
    };
    log(`${engine} intake: find-or-create, ${options.operations} operations in-process`);
    findSeconds = await findOrCreateAll(db, accountId, lookups, options.connections);
    checks = {
      ...counted,
      customersAfterFindOrCreate: await count(db, 'customers'),
      customersAfterFindOrCreateExpected: counted.customersExpected + newInLookups,
    };
  } finally {
    await db.close();
  }

  log(`${engine} intake: raw insert-or-get, ${options.operations} operations`);
  const rawEmails = mix(options, options.operations, 'raw').map((s) => s.email.toLowerCase());
  const raw =
    engine === 'postgres'
      ? await postgresInsertOrGet(fresh, accountId, rawEmails, options.connections)
      : sqliteInsertOrGet(fresh, accountId, rawEmails);
  const messagesPerSecond = options.messages / seconds;
  const opsPerSecond = options.operations / findSeconds;
  return {
    engine,
    smtp: {
      messages: options.messages,
      newSenders: newInSmtp,
      connections: options.connections,
      seconds,
      messagesPerSecond,
      kundeCpuCores: cpu / seconds,
      peakRssBytes,
    },
    findOrCreate: {
      operations: options.operations,
      newSenders: newInLookups,
      concurrency: options.connections,
      seconds: findSeconds,
      opsPerSecond,
    },
    raw,
    checks,
    ratios: {
      smtp: messagesPerSecond / raw.opsPerSecond,
      findOrCreate: opsPerSecond / raw.opsPerSecond,
    },
  };
}
