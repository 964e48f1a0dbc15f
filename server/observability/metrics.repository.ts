// The numbers /metrics reads from the tables on each scrape: job queue depth and age, inbound
// email states, the outbox. These are installation-wide operational numbers, the one place where
// queries deliberately run across accounts (house rule: every query filters by account_id). They
// are counts only and leave the node as Prometheus text behind KUNDE_METRICS_TOKEN, never as any
// account's data. Each one counts only rows that are waiting or failed, through an index that
// finds them without reading the rest: jobs_due_idx (status, run_at) for jobs; for the outbox
// and inbound email, whose indexes lead with account_id, one seek per account (account_id in
// the accounts), which is what keeps a scrape at a millisecond beside 500,000 processed emails
// (a scan of the index took 60 ms on SQLite, stalling every request meanwhile).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

export interface JobCount {
  kind: string;
  state: 'queued' | 'running' | 'failed';
  count: number;
  /**
   * When the oldest of them started waiting: a queued job's due time (run_at, only jobs already
   * due: a retry scheduled for later is not waiting yet), a running job's claim (updated_at).
   */
  oldestSince: string | null;
}

/** Jobs not done, by kind and state; done jobs are history and are not counted. */
export async function countOpenJobs(db: Kysely<Database>, now: Date): Promise<JobCount[]> {
  const nowText = now.toISOString();
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => [
      'kind',
      'status',
      eb.fn.countAll<number>().as('count'),
      sql<string | null>`min(case
        when status = 'queued' and run_at <= ${nowText} then run_at
        when status = 'running' then updated_at
      end)`.as('oldest'),
    ])
    .where('status', 'in', ['queued', 'running', 'failed'])
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    state: row.status as JobCount['state'],
    count: Number(row.count),
    oldestSince: row.oldest === null ? null : new Date(row.oldest).toISOString(),
  }));
}

/**
 * Inbound emails not processed yet (received) or whose last attempt failed. By state alone: the
 * index holds (account_id, status), and reading the source as well made SQLite scan the table
 * (90 ms at 500,000 emails instead of one).
 */
export async function countUnfinishedInboundEmails(
  db: Kysely<Database>,
): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('inbound_emails')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .where('account_id', 'in', db.selectFrom('accounts').select('account_id'))
    .where('status', 'in', ['received', 'failed'])
    .groupBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}

/** Outgoing email not sent: held (no SMTP_URL), queued (waiting or retrying) and failed. */
export async function countUnsentOutbox(
  db: Kysely<Database>,
): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .where('account_id', 'in', db.selectFrom('accounts').select('account_id'))
    .where('status', 'in', ['held', 'queued', 'failed'])
    .groupBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}
