// The node's Prometheus registry (prom-client) and every metric Kunde publishes on /metrics.
// What happens in this process is counted as it happens (HTTP requests, inbound email, import
// rows); what the database already knows and is small (the job queue, inbound email not yet
// processed, the outbox) is read from the tables on each scrape (metrics.repository.ts), so it
// is right across restarts and for every node alike. Totals that grow with the history (every
// processed email) are never counted from the tables: on SQLite that stalled every request for
// 0.3 s per scrape at 500,000 emails.
// One registry per Kunde instance, not prom-client's global one: tests run several in a process.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/connect.ts';
import {
  countOpenJobs,
  countUnfinishedInboundEmails,
  countUnsentOutbox,
} from './metrics.repository.ts';

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop lag, GC): for the running server only. */
  processMetrics?: boolean;
  log?: (message: string, error?: unknown) => void;
}

/**
 * A gauge whose label sets come from a query: a set seen once and gone from the next answer
 * reads 0 instead of vanishing, so "no queued jobs" is a number an alert can compare.
 */
class TableGauge<L extends string> {
  private readonly seen = new Map<string, Partial<Record<L, string>>>();

  constructor(readonly gauge: Gauge<L>) {}

  update(values: { labels: Partial<Record<L, string>>; value: number }[]): void {
    const fresh = new Set<string>();
    for (const { labels, value } of values) {
      const key = JSON.stringify(labels);
      fresh.add(key);
      this.seen.set(key, labels);
      this.gauge.set(labels, value);
    }
    for (const [key, labels] of this.seen) if (!fresh.has(key)) this.gauge.set(labels, 0);
  }
}

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'kunde_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'kunde_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly importRows = new Counter({
    name: 'kunde_import_rows_total',
    help: 'CSV import rows this node has committed (rate() gives rows per second), dry runs apart',
    labelNames: ['dry_run'] as const,
    registers: [this.registry],
  });

  readonly inboundAccepted = new Counter({
    name: 'kunde_inbound_emails_accepted_total',
    help: 'Inbound emails this node accepted and stored (answered 250 over SMTP, 2xx over the webhook), by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly inboundProcessed = new Counter({
    name: 'kunde_inbound_emails_processed_total',
    help: 'Processing attempts of inbound emails on this node, by outcome (ticket, ignored, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly databaseUp = new Gauge({
    name: 'kunde_database_up',
    help: '1 when the last scrape could read the database, else 0 (the table numbers are then stale)',
    registers: [this.registry],
  });

  private readonly jobs = new TableGauge(
    new Gauge({
      name: 'kunde_jobs',
      help: 'Background jobs not done, by kind and state (queued, running, failed); all accounts',
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
    }),
  );

  private readonly jobAge = new TableGauge(
    new Gauge({
      name: 'kunde_jobs_oldest_age_seconds',
      help: 'Age of the oldest job by kind: queued ones since they were due, running ones since claimed',
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
    }),
  );

  private readonly inboundUnfinished = new TableGauge(
    new Gauge({
      name: 'kunde_inbound_emails_unfinished',
      help: 'Inbound emails stored and not processed yet (received) or whose last attempt failed (failed); all accounts',
      labelNames: ['status'] as const,
      registers: [this.registry],
    }),
  );

  private readonly outbox = new TableGauge(
    new Gauge({
      name: 'kunde_outbox_emails',
      help: 'Outgoing emails not sent, by state (held: no SMTP_URL, queued: waiting or retrying, failed); all accounts',
      labelNames: ['status'] as const,
      registers: [this.registry],
    }),
  );

  constructor(
    private readonly db: Db,
    private readonly options: MetricsOptions = {},
  ) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const pool = db.pgPool;
    if (pool) {
      // Read when scraped: the pool keeps these counts itself.
      const poolGauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [this.registry],
          collect() {
            this.set(read());
          },
        });
      poolGauge(
        'kunde_db_pool_connections',
        'PostgreSQL connections open in the pool',
        () => pool.totalCount,
      );
      poolGauge(
        'kunde_db_pool_idle',
        'PostgreSQL connections open and idle in the pool',
        () => pool.idleCount,
      );
      poolGauge(
        'kunde_db_pool_waiting',
        'Queries waiting for a free PostgreSQL connection',
        () => pool.waitingCount,
      );
    }
  }

  /** One answered HTTP request; `route` is its pattern (/api/v1/customers/:id), never the URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  /** The Prometheus text exposition, with the table numbers read now. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await this.readTables();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async readTables(): Promise<void> {
    try {
      const now = new Date();
      const [jobs, inbound, outbox] = await Promise.all([
        countOpenJobs(this.db.kysely, now),
        countUnfinishedInboundEmails(this.db.kysely),
        countUnsentOutbox(this.db.kysely),
      ]);
      this.jobs.update(
        jobs.map((j) => ({ labels: { kind: j.kind, state: j.state }, value: j.count })),
      );
      this.jobAge.update(
        jobs
          .filter((j) => j.state !== 'failed')
          .map((j) => ({
            labels: { kind: j.kind, state: j.state },
            value: j.oldestSince
              ? Math.max(0, (now.getTime() - Date.parse(j.oldestSince)) / 1000)
              : 0,
          })),
      );
      this.inboundUnfinished.update(
        inbound.map((r) => ({ labels: { status: r.status }, value: r.count })),
      );
      this.outbox.update(outbox.map((r) => ({ labels: { status: r.status }, value: r.count })));
      this.databaseUp.set(1);
    } catch (error) {
      // The in-process numbers are still worth serving; the gauge says the rest is stale.
      this.databaseUp.set(0);
      this.options.log?.('metrics: reading the tables failed', error);
    }
  }
}
