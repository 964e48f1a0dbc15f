// Issue 18, item 8: two Kunde nodes against one PostgreSQL, against one node on the same
// database. Two measures, each with the same total load on one node and then split over two:
// GET /api/v1/customers/{id} throughput (autocannon, as the customers suite) and SMTP intake
// throughput (nodemailer pools, as the intake suite: 250 only once the ticket is made, so
// accepted = processed); each with the ratio two / one and the CPU each node used.
//
// A ratio near 1 on a small machine is the machine, not Kunde: the nodes, PostgreSQL and the
// load generator share its cores, so a second node adds no CPU, only another process competing
// for the same ones (see the cores figure, and the load average: the cores' other work, e.g.
// other benchmarks and test runs; when the nodes get a small share, neither count matters). On
// separate machines the nodes share nothing but the database, and the ratio is bounded by
// what PostgreSQL serves.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { systemPrincipal } from '../server/agents/principal.ts';
import { createServices } from '../server/services.ts';
import { freshDatabase, type Place } from './fresh-db.ts';
import { load, type LoadResult } from './http.ts';
import { startKundeProcess, type KundeProcess } from './kunde-process.ts';
import { createBenchAccount, type Log } from './prepare.ts';

export interface NodesBenchOptions extends Place {
  customers: number;
  messages: number;
  connections: number;
  seconds: number;
  logLevel: string;
  log: Log;
}

interface Side {
  nodes: number;
  /** The machine's 1-minute load average when the side began: other work on the same cores. */
  loadAverage: number;
  getById: LoadResult;
  smtp: { messages: number; seconds: number; messagesPerSecond: number };
  /** CPU seconds each node used per second of the measure (1 = one core busy), GET then SMTP. */
  cores: { getById: number[]; smtp: number[] };
}

export interface NodesResult {
  engine: 'postgres';
  cpus: number;
  customers: number;
  connections: number;
  one: Side;
  two: Side;
  /** two ÷ one. */
  ratios: { getById: number; smtp: number };
  checks: { tickets: number; ticketsExpected: number; non2xx: number };
}

const SUPPORT = 'support@kunde-bench.no';

async function sendTo(ports: number[], messages: number, connections: number, tag: string) {
  const transports = ports.map((port) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: Math.ceil(connections / ports.length),
      maxMessages: Infinity,
    }),
  );
  let next = 0;
  const worker = async (w: number) => {
    const transport = transports[w % transports.length]!;
    while (next < messages) {
      const j = next++;
      await transport.sendMail({
        from: { name: `Kari Nordmann ${j % 200}`, address: `kari.${j % 200}@nodes-bench.example` },
        to: SUPPORT,
        subject: `Spørsmål ${tag} ${j}`,
        text: `Hei,\n\nEt spørsmål om fakturaen (sak ${tag}-${j}).\n\nHilsen Kari\n`,
      });
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  } finally {
    for (const transport of transports) transport.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { messages, seconds, messagesPerSecond: messages / seconds };
}

async function measure(
  nodes: KundeProcess[],
  options: NodesBenchOptions,
  token: string,
  ids: string[],
  tag: string,
): Promise<Side> {
  const loadAverage = os.loadavg()[0] ?? 0;
  let k = 0;
  const path = () => `/api/v1/customers/${ids[k++ % ids.length]}`;
  const per = Math.max(1, Math.floor(options.connections / nodes.length));
  const cpu0 = nodes.map((n) => n.cpuSeconds());
  const started = performance.now();
  const loads = await Promise.all(
    nodes.map((node) => load(node.port, token, path, per, options.seconds)),
  );
  const getSeconds = (performance.now() - started) / 1000;
  const cpu1 = nodes.map((n) => n.cpuSeconds());
  const getById: LoadResult = {
    requestsPerSecond: loads.reduce((a, l) => a + l.requestsPerSecond, 0),
    latencyP50: Math.max(...loads.map((l) => l.latencyP50)),
    latencyP99: Math.max(...loads.map((l) => l.latencyP99)),
    requests: loads.reduce((a, l) => a + l.requests, 0),
    non2xx: loads.reduce((a, l) => a + l.non2xx, 0),
    errors: loads.reduce((a, l) => a + l.errors, 0),
  };
  const smtp = await sendTo(
    nodes.map((n) => n.smtpPort),
    options.messages,
    options.connections,
    tag,
  );
  const cpu2 = nodes.map((n) => n.cpuSeconds());
  return {
    nodes: nodes.length,
    loadAverage,
    getById,
    smtp,
    cores: {
      getById: nodes.map((_, i) => (cpu1[i]! - cpu0[i]!) / getSeconds),
      smtp: nodes.map((_, i) => (cpu2[i]! - cpu1[i]!) / smtp.seconds),
    },
  };
}

export async function runNodes(options: NodesBenchOptions): Promise<NodesResult> {
  const { log } = options;
  const fresh = await freshDatabase('postgres', options, 'kunde_bench_nodes');
  const db = fresh.open();
  let token: string;
  const ids: string[] = [];
  try {
    const { accountId, userId } = await createBenchAccount(db);
    const services = createServices(db, { dataDir: fresh.dataDir });
    await services.settings.update(accountId, { supportAddresses: [SUPPORT] });
    token = (await services.agents.createToken(accountId, userId, 'bench')).token;
    log(`nodes: ${options.customers} customers`);
    const principal = systemPrincipal(accountId, 'Bench');
    for (let i = 0; i < options.customers; i++) {
      const { customer } = await services.customers.findOrCreateBySender(
        principal,
        { email: `person.${i}@nodes-bench.example`, name: `Person ${i}` },
        'email',
      );
      ids.push(customer.id);
    }
  } finally {
    await db.close();
  }
  const start = (i: number) =>
    startKundeProcess({
      dataDir: `${fresh.dataDir}/node-${i}`,
      databaseUrl: fresh.url,
      logLevel: options.logLevel,
      env: {
        SMTP_MAX_CONNECTIONS_PER_IP: String(options.connections + 10),
        SMTP_MESSAGES_PER_MINUTE_PER_IP: '10000000',
      },
    });
  const nodes: KundeProcess[] = [];
  let one: Side;
  let two: Side;
  try {
    nodes.push(await start(0));
    log(`nodes: one node, ${options.seconds} s of GET by id, ${options.messages} messages`);
    one = await measure(nodes, options, token, ids, 'one');
    nodes.push(await start(1));
    log(`nodes: two nodes, the same load split over both`);
    two = await measure(nodes, options, token, ids, 'two');
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
  }
  const check = fresh.open(1);
  let tickets: number;
  try {
    const row = await check.kysely
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    tickets = Number(row.n);
  } finally {
    await check.close();
  }
  return {
    engine: 'postgres',
    cpus: os.cpus().length,
    customers: options.customers,
    connections: options.connections,
    one,
    two,
    ratios: {
      getById: two.getById.requestsPerSecond / one.getById.requestsPerSecond,
      smtp: two.smtp.messagesPerSecond / one.smtp.messagesPerSecond,
    },
    checks: {
      tickets,
      ticketsExpected: 2 * options.messages,
      non2xx: one.getById.non2xx + two.getById.non2xx,
    },
  };
}

export function formatNodes(result: NodesResult): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  const cores = (c: number[]) => c.map((x) => f(x, 2)).join(' + ');
  const row = (side: Side) =>
    `| ${side.nodes} | ${f(side.loadAverage, 1)} | ${f(side.getById.requestsPerSecond)} | ${f(side.getById.latencyP99)} | ${cores(side.cores.getById)} | ${f(side.smtp.messagesPerSecond, 1)} | ${cores(side.cores.smtp)} |`;
  return [
    `Several nodes on one PostgreSQL (${result.cpus} CPUs on this machine, ${result.connections} connections in all, ${result.customers} customers)`,
    '',
    '| nodes | load avg | GET /customers/{id} req/s | p99 ms | node cores | SMTP messages/s | node cores |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(result.one),
    row(result.two),
    `| two / one | | ${f(result.ratios.getById, 2)} | | | ${f(result.ratios.smtp, 2)} | |`,
    '',
    `Checks: ${result.checks.tickets} tickets of ${result.checks.ticketsExpected} messages sent; ${result.checks.non2xx} non-2xx answers.`,
  ].join('\n');
}
