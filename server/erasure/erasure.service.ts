// The rules of erasure: when a customer may be erased (no unresolved ticket, outside the
// retention period in the account's time zone; retention.ts), the dry run, the request that
// starts an erasure and queues its job, the Deleted Customers log, and the retention purge.
//
// A request is one transaction: the preconditions are read in it, the customer is marked
// 'erasing' with its identities gone (so mail from the person now makes a new customer) and the
// job is queued. The job (erasure.task.ts) then runs erasure-steps.ts, which finishes it after
// a crash too.
import type { Kysely, Transaction } from 'kysely';
import {
  LISTED_TICKETS,
  type DeletedCustomer,
  type ErasureDryRun,
  type ErasureJob,
  type ErasureReason,
  type ErasureRefusal,
  type RetentionPreview,
} from '../../common/erasure.ts';
import type { Page } from '../../common/paging.ts';
import { accountSettingsSchema, type AccountSettings } from '../../common/settings.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { contractsOfContact } from '../contracts/contract.repository.ts';
import { requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import { findCustomer, findCustomers, startErasures } from '../customers/customer.repository.ts';
import {
  buildErasure,
  customerMergedError,
  ERASING,
  MERGED,
  type Actor,
} from '../customers/customer-write.ts';
import { withdrawCustomerWebhooks } from '../webhooks/webhook-erasure.ts';
import type { CustomerRow, Database, DeletedCustomerTable } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { inTransaction, type Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { enqueue } from '../jobs/task.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import * as repo from './erasure.repository.ts';
import { runErasure, runErasures, type ErasureDeps, type ErasureRequest } from './erasure-steps.ts';
import { customerErasureTask, retentionPurgeTask } from './erasure.task.ts';
import { erasureRefusals, retentionCutoff } from './retention.ts';

/** The purge preview counts at most this many customers. */
export const PREVIEW_CAP = 100_000;

export const RETENTION_ACTOR: Actor = { type: 'system', id: null, name: 'Retention policy' };

function presentDeleted(row: DeletedCustomerTable): DeletedCustomer {
  return {
    id: row.id,
    customerNumber: Number(row.customer_number),
    email: row.email_redacted,
    phone: row.phone_redacted,
    reason: row.reason,
    deletedBy: { type: row.deleted_by_type, id: row.deleted_by_id, name: row.deleted_by_name },
    requestedAt: row.requested_at,
    deletedAt: row.deleted_at,
  };
}

export class ErasureService {
  constructor(
    private readonly deps: ErasureDeps,
    /** Wakes this node's worker once a job is queued. */
    private readonly onQueued: () => void = () => undefined,
    /** The clock (tests move it). */
    private readonly now: () => number = Date.now,
  ) {}

  private get db(): Kysely<Database> {
    return this.deps.db;
  }

  private async settings(db: Conn, accountId: string): Promise<AccountSettings> {
    return (await findAccount(db, accountId))?.settings ?? accountSettingsSchema.parse({});
  }

  /** The customer, not being erased and in the agent's scope (out of scope: the same 404). */
  private async customer(db: Conn, principal: Principal, id: string): Promise<CustomerRow> {
    const row = await findCustomer(db, principal.accountId, id);
    if (!row || row.status === ERASING) throw new NotFoundError('customer', id);
    await requireInScope(db, principal.scope, principal.accountId, 'customer', id);
    // A merged-away id is only a pointer (issue 15): the person is its survivor, and erasing the
    // survivor erases the pointer too. Erasing the pointer alone would leave the person.
    if (row.status === MERGED) throw customerMergedError(row);
    return row;
  }

  private async refusals(db: Conn, row: CustomerRow): Promise<ErasureRefusal[]> {
    const settings = await this.settings(db, row.account_id);
    return erasureRefusals({
      unresolvedTickets: await repo.unresolvedTickets(db, row.account_id, row.id, LISTED_TICKETS),
      lastActivityAt: row.last_activity_at,
      createdAt: row.created_at,
      retentionDays: settings.customerRetentionDays,
      timeZone: settings.timeZone,
      now: this.now(),
    });
  }

  /** GET …/erasure: whether the customer may be erased now, why not, and what would go. */
  async dryRun(principal: Principal, customerId: string): Promise<ErasureDryRun> {
    const row = await this.customer(this.db, principal, customerId);
    const reasons = await this.refusals(this.db, row);
    const counts = await repo.countsOf(this.db, row.account_id, row.id, row.email);
    const archives = (await this.deps.countArchives?.(this.db, row.account_id, row.id)) ?? 0;
    const contracts = (await contractsOfContact(this.db, row.account_id, row.id)).map((c) => ({
      id: c.id,
      description: c.description,
      organizationId: c.organization_id,
    }));
    return { allowed: reasons.length === 0, reasons, counts: { ...counts, archives }, contracts };
  }

  /**
   * DELETE /customers/{id}: checks the preconditions, marks the customer and queues the job, in
   * one transaction; a refusal is a 409 carrying every reason.
   */
  async request(
    principal: Principal,
    customerId: string,
    reason: ErasureReason = 'agent_request',
    trx?: Transaction<Database>,
  ): Promise<ErasureJob> {
    const actor: Actor = { type: principal.type, id: principal.userId, name: principal.name };
    const job = await inTransaction(this.db, trx, async (tx) => {
      const row = await this.customer(tx, principal, customerId);
      const reasons = await this.refusals(tx, row);
      if (reasons.length) {
        throw new ConflictError('erasure_refused', reasons.map((r) => r.message).join('; '), {
          reasons,
        });
      }
      return this.start(tx, row, { reason, actor, requestedAt: nowIso() });
    });
    this.onQueued();
    return job;
  }

  private async start(
    trx: Transaction<Database>,
    row: CustomerRow,
    how: Pick<ErasureRequest, 'reason' | 'actor' | 'requestedAt'>,
  ): Promise<ErasureJob> {
    const erasure = buildErasure(
      { accountId: row.account_id, actor: how.actor, now: how.requestedAt },
      row,
      how,
    );
    await startErasures(trx, row.account_id, [erasure]);
    // Nothing about them goes out once erasure is asked for, not even before its job runs.
    await withdrawCustomerWebhooks(trx, row.account_id, [row.id]);
    const jobId = await enqueue(trx, row.account_id, customerErasureTask, {
      customerId: row.id,
      ...how,
    });
    return { jobId, customerId: row.id, customerNumber: Number(row.number), status: 'queued' };
  }

  /** The job's work (and the purge's): every step, idempotent. */
  run(request: ErasureRequest, stopping?: () => boolean) {
    return runErasure(this.deps, request, stopping);
  }

  async deletedCustomers(
    principal: Principal,
    limit: number,
    cursor?: string,
  ): Promise<Page<DeletedCustomer>> {
    const before = cursor
      ? decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string').id
      : undefined;
    const [rows, total] = await Promise.all([
      repo.listDeleted(this.db, principal.accountId, limit + 1, before),
      repo.countDeleted(this.db, principal.accountId),
    ]);
    const items = rows.slice(0, limit).map(presentDeleted);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, total, nextCursor: encodeCursor({ id: last.id }) }
      : { items, total };
  }

  /**
   * How many customers the next purge would erase. With no retention period (0 days) the purge
   * erases nobody: "older than the period" needs a period.
   */
  async purgePreview(accountId: string): Promise<RetentionPreview> {
    const settings = await this.settings(this.db, accountId);
    const days = settings.customerRetentionDays;
    const base = {
      customerRetentionDays: days,
      timeZone: settings.timeZone,
      enabled: settings.retentionPurgeEnabled,
    };
    if (days <= 0) return { ...base, count: 0, capped: false, cutoff: null };
    const cutoff = retentionCutoff(this.now(), days, settings.timeZone);
    const found = await repo.purgeCandidates(this.db, accountId, cutoff, PREVIEW_CAP + 1);
    return {
      ...base,
      count: Math.min(found.length, PREVIEW_CAP),
      capped: found.length > PREVIEW_CAP,
      cutoff,
    };
  }

  /**
   * One purge batch: up to `limit` customers past retention, marked in one transaction (each
   * read again there: a ticket may have arrived since they were picked) and erased together,
   * each logged with the reason retention_policy. Returns how many it erased and whether more
   * wait.
   */
  async purgeBatch(
    accountId: string,
    limit: number,
    stopping: () => boolean = () => false,
  ): Promise<{ erased: number; more: boolean }> {
    const settings = await this.settings(this.db, accountId);
    if (!settings.retentionPurgeEnabled || settings.customerRetentionDays <= 0)
      return { erased: 0, more: false };
    const cutoff = retentionCutoff(this.now(), settings.customerRetentionDays, settings.timeZone);
    // Customers a dead node left half-erased come first: their job may have run out of attempts.
    const leftover = await repo.customersErasing(this.db, accountId, limit);
    const fresh = await repo.purgeCandidates(this.db, accountId, cutoff, limit + 1);
    const requestedAt = nowIso();
    const how = { reason: 'retention_policy' as const, actor: RETENTION_ACTOR, requestedAt };
    const started = await this.db.transaction().execute(async (trx) => {
      // Read again in the transaction: a ticket may have arrived since the candidates.
      const still = await repo.purgeCandidates(
        trx,
        accountId,
        cutoff,
        limit,
        fresh.slice(0, limit),
      );
      const rows = await findCustomers(trx, accountId, [...leftover, ...still]);
      await startErasures(
        trx,
        accountId,
        rows
          .filter((row) => row.status !== ERASING)
          .map((row) => buildErasure({ accountId, ...how, now: requestedAt }, row, how)),
      );
      return rows.map((row) => row.id);
    });
    const requests = started.map((customerId) => ({ accountId, customerId, ...how }));
    // Stopped midway, the marked customers are the next batch's leftovers.
    const result = await runErasures(this.deps, requests, stopping);
    return {
      erased: result === 'done' ? started.length : 0,
      more: result === 'stopped' || fresh.length > limit,
    };
  }

  /**
   * Queues the account's next purge at `runAt` unless one is already waiting or the purge is off
   * (turning it on queues the first run; each run queues the next).
   */
  async schedulePurge(accountId: string, runAt = new Date(), trx?: Transaction<Database>) {
    const db = trx ?? this.db;
    const settings = await this.settings(db, accountId);
    if (!settings.retentionPurgeEnabled) return;
    if (await repo.hasQueuedJob(db, accountId, retentionPurgeTask.kind)) return;
    await enqueue(db, accountId, retentionPurgeTask, {}, { runAt });
    this.onQueued();
  }
}
