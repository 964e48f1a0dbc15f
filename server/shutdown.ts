// A node's graceful stop (SIGTERM, SIGINT), within one grace period (KUNDE_SHUTDOWN_GRACE_MS).
// At once: HTTP and SMTP stop listening, and the worker claims nothing more. Then in-flight work
// finishes: HTTP requests are answered, SMTP transactions in DATA are stored, processed and
// answered 250 (a client's next command gets 421 and its connection closes), the running job
// reaches its next safe point (an import commits its batch) and is handed back. At the cut-off,
// what is left is cut: SMTP sockets destroyed (an unfinished DATA was never answered 250, so its
// sender still has the message and sends it again), HTTP connections closed, the running job
// released for the next node. Last the database closes. The cut-off leaves a fifth of the grace
// period (at most 2 s) for the release and the close, so the process is gone within the period.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { SMTPServer } from 'smtp-server';
import type { Db } from './db/connect.ts';
import type { Worker } from './jobs/worker.ts';

export interface StoppableParts {
  app: FastifyInstance;
  smtp: SMTPServer;
  /** The SMTP intake's open sockets (see trackSockets). */
  smtpSockets: Set<Socket>;
  worker: Worker;
  db: Db;
}

export interface ShutdownReport {
  /** What the cut-off had to cut ('smtp', 'http', 'job'), or nothing when all finished in time. */
  cut: string[];
  /** Whether the database closed in time (an open PostgreSQL transaction can hold it). */
  databaseClosed: boolean;
  ms: number;
}

/** Keeps the set of a server's open sockets up to date, for the cut-off to destroy. */
export function trackSockets(server: {
  on(event: 'connection', fn: (s: Socket) => void): unknown;
}) {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** What `work` resolves to (or 'failed') if it settles within `ms`, else 'timed out'. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | 'failed' | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), Math.max(0, ms));
  });
  const settled = work.catch(() => 'failed' as const);
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

export async function shutDown(parts: StoppableParts, graceMs: number): Promise<ShutdownReport> {
  const started = Date.now();
  const cutOffMs = graceMs - Math.min(2000, Math.floor(graceMs / 5));
  const left = () => cutOffMs - (Date.now() - started);
  const cut: string[] = [];

  const smtpClosed = new Promise<void>((resolve) => parts.smtp.close(() => resolve()));
  const httpClosed = parts.app.close();
  // stop() releases the running job itself at the cut-off.
  const workerStopped = parts.worker.stop(cutOffMs);

  if ((await within(smtpClosed, left())) === 'timed out') {
    cut.push('smtp');
    for (const socket of parts.smtpSockets) socket.destroy();
  }
  if ((await within(httpClosed, left())) === 'timed out') {
    cut.push('http');
    parts.app.server.closeAllConnections();
  }
  // The worker's own timer ends its wait at the cut-off; the rest of the period is its release.
  const remaining = () => graceMs - (Date.now() - started);
  if ((await within(workerStopped, remaining())) !== 'stopped') cut.push('job');
  const databaseClosed = (await within(parts.db.close(), remaining())) !== 'timed out';
  return { cut, databaseClosed, ms: Date.now() - started };
}
