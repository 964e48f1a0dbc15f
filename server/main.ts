// Starts Kunde: config → database → migrations → first administrator → HTTP, SMTP intake and
// the job worker; stops it gracefully on SIGTERM/SIGINT within KUNDE_SHUTDOWN_GRACE_MS
// (shutdown.ts). Logs are JSON lines (Fastify's pino logger), the services' included.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { lockDataDirectory } from './db/sqlite-lock.ts';
import { buildApp } from './http/app.ts';
import { createServices, type Services } from './services.ts';
import { createSmtpIntake } from './intake/smtp.ts';
import { releaseHeldMail } from './mail/outbox.ts';
import type { FastifyBaseLogger } from 'fastify';
import { shutDown, trackSockets, type ShutdownReport } from './shutdown.ts';

// From source this module is server/main.ts; compiled (scripts/build.mjs) it is dist/server/main.js.
// Either way ROOT is the folder holding dist/, and the console is built into dist/web.
const COMPILED = import.meta.url.endsWith('.js');
export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  COMPILED ? '../..' : '..',
);
export const WEB_ROOT = path.join(ROOT, 'dist', 'web');

export interface RunningKunde {
  url: string;
  smtpPort: number;
  services: Services;
  /** JSON lines on stdout (pino), as the HTTP requests are logged. */
  log: FastifyBaseLogger;
  /** Stops gracefully within `graceMs` (default: the configured KUNDE_SHUTDOWN_GRACE_MS). */
  close(graceMs?: number): Promise<ShutdownReport>;
}

/** Creates the first account and administrator from KUNDE_ADMIN_* on an empty database. */
export async function bootstrapAdmin(services: Services, config: Config): Promise<boolean> {
  if (!config.admin || !(await services.agents.isSetupNeeded())) return false;
  await services.agents.createAccount({
    accountName: config.admin.accountName,
    name: 'Administrator',
    email: config.admin.email,
    password: config.admin.password,
  });
  return true;
}

export async function startKunde(config: Config): Promise<RunningKunde> {
  // SQLite: one server per data directory (sqlite-lock.ts); a second one stops here, before it
  // touches anything. PostgreSQL takes as many nodes as you like.
  const lock = config.database.dialect === 'sqlite' ? lockDataDirectory(config.dataDir) : undefined;
  const opened = openDatabase(config);
  const db = {
    ...opened,
    close: async () => {
      try {
        await opened.close();
      } finally {
        lock?.release();
      }
    },
  };
  try {
    await migrateToLatest(db);
    // The app's logger once there is one: the same JSON lines as the requests' own.
    const sink: { logger?: FastifyBaseLogger } = {};
    const log = (message: string, error?: unknown) => {
      if (sink.logger)
        sink.logger.error(error instanceof Error ? { err: error } : { detail: error }, message);
      else console.error(message, error instanceof Error ? error.message : (error ?? ''));
    };
    const services = createServices(db, {
      dataDir: config.dataDir,
      log,
      smtpUrl: config.smtpUrl,
      tuning: config.tuning,
      platformToken: config.platformToken,
      processMetrics: true,
      publicUrl: config.publicUrl,
      files: config.files,
      webhooks: config.webhooks,
    });
    await bootstrapAdmin(services, config);
    const app = await buildApp({
      services,
      webRoot: WEB_ROOT,
      logLevel: config.logLevel,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
    });
    sink.logger = app.log;
    if (config.smtpUrl) await releaseHeldMail(db.kysely);
    services.worker.start();
    const smtp = createSmtpIntake({
      db: db.kysely,
      intake: services.emailIntake,
      log,
      maxBytes: config.smtp.maxMessageBytes,
      maxConnectionsPerIp: config.smtp.maxConnectionsPerIp,
      messagesPerMinutePerIp: config.smtp.messagesPerMinutePerIp,
      spoolDir: path.join(config.dataDir, 'spool', 'smtp'),
    });
    const smtpSockets = trackSockets(smtp.server);
    await new Promise<void>((resolve, reject) => {
      smtp.once('error', reject);
      smtp.listen(config.smtpPort, config.host, () => {
        smtp.off('error', reject);
        resolve();
      });
    });
    smtp.on('error', (error) => log('smtp intake', error));
    const smtpAddress = smtp.server.address();
    const smtpPort =
      typeof smtpAddress === 'object' && smtpAddress ? smtpAddress.port : config.smtpPort;
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      url: `http://localhost:${port}`,
      smtpPort,
      services,
      log: app.log,
      close: (graceMs = config.shutdownGraceMs) =>
        shutDown({ app, smtp, smtpSockets, worker: services.worker, db }, graceMs),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const kunde = await startKunde(config);
  const where = config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL';
  console.log(
    `Kunde is running at ${kunde.url} (database: ${where}); SMTP intake on port ${kunde.smtpPort}`,
  );
  if (await kunde.services.agents.isSetupNeeded()) {
    console.log(`Open ${kunde.url} to create the first account and administrator.`);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means now.
    if (stopping) process.exit(1);
    stopping = true;
    const { log } = kunde;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    kunde.close().then(
      (report) => {
        log.info(report, 'shut down');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Real paths: node runs a main module from its real path, and dist/server is a symbolic link.
const isMain = (argv1: string | undefined) =>
  argv1 !== undefined && fs.realpathSync(argv1) === fs.realpathSync(fileURLToPath(import.meta.url));

if (isMain(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
