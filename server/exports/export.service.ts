// The rules for customer data archives (issue 11, items 1 and 2). A request is one transaction:
// the export row, the customer's "export requested" audit entry and the job that builds it. The
// job streams the zip into the file store and then, in one transaction, marks it ready, queues
// the email to the requesting agent and queues the job that expires it when its time is up. A
// download is refused with a problem (and no audit entry) unless the archive is ready and not
// past its expiry; a granted one writes its "export downloaded" entry before the first byte.
//
// Expiry is exact and needs no clock loop: each ready archive queues an expire-export job due at
// its expires_at (jobs survive restarts in the jobs table). Lists and downloads also check the
// time, so an archive is never offered past its expiry even while no worker runs.
import { lockUnlessMerged } from '../customers/customer-guard.ts';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { CustomerExport } from '../../common/export.ts';
import { inScope, requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import { findUser } from '../agents/agent.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { buildAuditEvent } from '../customers/customer-write.ts';
import {
  findCustomer,
  findCustomerByNumber,
  findIdentityOwner,
  insertAuditEvent,
} from '../customers/customer.repository.ts';
import { normalizeEmail, normalizePhone } from '../customers/identity.ts';
import type { CustomerExportRow, Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { AppError, NotFoundError } from '../errors.ts';
import type { FileStore } from '../files/file-store.ts';
import { enqueue } from '../jobs/task.ts';
import { queueEmail } from '../mail/outbox.ts';
import { outboundFromAddress } from '../tickets/ticket.service.ts';
import { writeArchive } from './archive.ts';
import { exportLocale, readyEmail } from './export-texts.ts';
import * as repo from './export.repository.ts';
import { buildExportTask, expireExportTask } from './export.task.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ExportDeps {
  db: Kysely<Database>;
  files: FileStore;
  customers: CustomerService;
  /** Wakes this node's worker after a request (the job is already committed). */
  notify: () => void;
  smtpConfigured: boolean;
  /** Where the console is reached, for the link in the ready email. */
  publicUrl: string;
}

export function presentExport(row: CustomerExportRow, now = nowIso()): CustomerExport {
  const state = row.state === 'ready' && isPastExpiry(row, now) ? 'expired' : row.state;
  return {
    id: row.id,
    customerId: row.customer_id,
    state,
    requestedBy: { id: row.requested_by, name: row.requested_by_name },
    sizeBytes: state === 'ready' && row.size !== null ? Number(row.size) : null,
    error: row.error,
    createdAt: row.created_at,
    readyAt: row.ready_at,
    expiresAt: row.expires_at,
    downloadUrl: state === 'ready' ? `/api/v1/exports/${row.id}/download` : null,
  };
}

function isPastExpiry(row: CustomerExportRow, now: string): boolean {
  return row.expires_at !== null && Date.parse(row.expires_at) <= Date.parse(now);
}

/**
 * The sentences an archive's problems and failures say, in one place: the console translates
 * each (web/i18n/server-message-rules.ts; e2e/server-messages.test.ts checks them all).
 */
export const EXPORT_SENTENCES = {
  expired: (expiresAt: string) =>
    `The archive expired on ${expiresAt} and was deleted; request a new one`,
  failed: 'The archive could not be made; request a new one',
  notReady: 'The archive is still being prepared',
  customerGone: 'The customer no longer exists',
} as const;

export class ExportRefusedError extends AppError {
  constructor(status: number, code: string, detail: string) {
    super(status, code, status === 410 ? 'Gone' : 'Conflict', detail);
  }
}

export interface Download {
  filename: string;
  size: number;
  body: Readable;
}

export class ExportService {
  constructor(private readonly deps: ExportDeps) {}

  /**
   * Queues an archive of the customer. While one is still being prepared, that one is answered
   * again (`created: false`): a double click does not build two.
   */
  async request(
    principal: Principal,
    customerId: string,
  ): Promise<{ export: CustomerExport; created: boolean }> {
    const { accountId } = principal;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const customer = await findCustomer(trx, accountId, customerId);
      if (!customer) throw new NotFoundError('customer', customerId);
      await requireInScope(trx, principal.scope, accountId, 'customer', customerId);
      // A merged-away customer's data is the survivor's now: refused, naming it (issue 15),
      // under the row's lock so a merge committing meanwhile is seen.
      await lockUnlessMerged(trx, accountId, customerId);
      const [latest] = await repo.listExports(trx, accountId, customerId, 1);
      if (latest?.state === 'preparing') return { row: latest, created: false };
      const now = nowIso();
      const row: CustomerExportRow = {
        account_id: accountId,
        id: newId(),
        customer_id: customerId,
        requested_by: principal.userId,
        requested_by_name: principal.name,
        locale: exportLocale(principal.locale),
        state: 'preparing',
        file_key: null,
        size: null,
        error: null,
        created_at: now,
        ready_at: null,
        expires_at: null,
      };
      await repo.insertExport(trx, row);
      await insertAuditEvent(
        trx,
        buildAuditEvent(
          { accountId, actor: actorOf(principal), now },
          customerId,
          'export_requested',
        ),
      );
      await enqueue(trx, accountId, buildExportTask, { exportId: row.id });
      return { row, created: true };
    });
    if (result.created) this.deps.notify();
    return { export: presentExport(result.row), created: result.created };
  }

  async list(principal: Principal, customerId: string): Promise<CustomerExport[]> {
    const { accountId } = principal;
    const customer = await findCustomer(this.deps.db, accountId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    await requireInScope(this.deps.db, principal.scope, accountId, 'customer', customerId);
    const rows = await repo.listExports(this.deps.db, accountId, customerId, 50);
    const now = nowIso();
    return rows.map((row) => presentExport(row, now));
  }

  /**
   * A customer named the way an administrator would on the command line: its id, its reference
   * number, an email address or a phone number (any format the account reads).
   */
  async resolveCustomer(accountId: string, reference: string): Promise<string> {
    const { db } = this.deps;
    const text = reference.trim();
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (UUID.test(text) && (await findCustomer(db, accountId, text.toLowerCase())))
      return text.toLowerCase();
    if (/^\d{1,9}$/.test(text)) {
      const byNumber = await findCustomerByNumber(db, accountId, Number(text));
      if (byNumber) return byNumber.id;
    }
    const email = text.includes('@') ? normalizeEmail(text) : undefined;
    if (email?.ok) {
      const owner = await findIdentityOwner(db, accountId, 'email', email.value);
      if (owner) return owner;
    }
    if (!email) {
      const settings = await this.deps.customers.settings(accountId);
      const phone = normalizePhone(text, settings.phoneDefaultCountry);
      const owner = phone.ok
        ? await findIdentityOwner(db, accountId, 'phone', phone.value)
        : undefined;
      if (owner) return owner;
    }
    throw new AppError(
      404,
      'customer_not_found',
      'Not found',
      `No customer has the id, number, email or phone ${JSON.stringify(text)}`,
    );
  }

  /**
   * The newest export of each customer (the customer list's export buttons); customers out of
   * the agent's scope are left out like customers without one.
   */
  async latest(principal: Principal, customerIds: string[]): Promise<CustomerExport[]> {
    const rows = await repo.latestExports(
      this.deps.db,
      principal.accountId,
      customerIds,
      principal.scope,
    );
    const now = nowIso();
    return rows.map((row) => presentExport(row, now));
  }

  /**
   * Opens a ready archive for download and writes its audit entry first. Another account's
   * export is "not found", never "forbidden": its existence is not revealed; so is the export of
   * a customer out of the agent's scope, before its state could say anything.
   */
  async download(principal: Principal, exportId: string): Promise<Download> {
    const { accountId } = principal;
    const { db, files } = this.deps;
    return db.transaction().execute(async (trx) => {
      const row = await repo.findExport(trx, accountId, exportId);
      if (
        !row ||
        (!principal.scope.all &&
          !(await inScope(trx, principal.scope, accountId, 'customer', row.customer_id)))
      )
        throw new NotFoundError('export', exportId);
      const now = nowIso();
      const shown = presentExport(row, now);
      if (shown.state === 'expired')
        throw new ExportRefusedError(
          410,
          'export_expired',
          EXPORT_SENTENCES.expired(row.expires_at ?? ''),
        );
      if (shown.state === 'failed')
        throw new ExportRefusedError(409, 'export_failed', EXPORT_SENTENCES.failed);
      if (shown.state === 'preparing' || !row.file_key)
        throw new ExportRefusedError(409, 'export_not_ready', EXPORT_SENTENCES.notReady);
      const customer = await findCustomer(trx, accountId, row.customer_id);
      if (!customer || !(await files.exists(row.file_key, trx)))
        throw new NotFoundError('export', exportId);
      // Opened before the entry is committed: a file that cannot be read writes no entry.
      const body = files.read(row.file_key);
      await insertAuditEvent(
        trx,
        buildAuditEvent(
          { accountId, actor: actorOf(principal), now },
          row.customer_id,
          'export_downloaded',
        ),
      );
      return {
        filename: `customer-${Number(customer.number)}-${row.created_at.slice(0, 10)}.zip`,
        size: Number(row.size ?? 0),
        body,
      };
    });
  }

  /** The build-export task: writes the zip, then marks it ready with its email and expiry job. */
  async build(accountId: string, exportId: string): Promise<void> {
    const { db, files } = this.deps;
    const row = await repo.findExport(db, accountId, exportId);
    // Gone (erased with its customer) or already finished by an earlier attempt.
    if (!row || row.state !== 'preparing') return;
    const customer = await findCustomer(db, accountId, row.customer_id);
    if (!customer) {
      await repo.updateExport(db, accountId, exportId, ['preparing'], {
        state: 'failed',
        error: EXPORT_SENTENCES.customerGone,
      });
      return;
    }
    const key = repo.exportFileKey(accountId, exportId);
    const started = new Date();
    const size = await writeArchive(
      { db, files, customers: this.deps.customers },
      { customer, locale: exportLocale(row.locale), now: started },
      key,
    );
    const settings = await this.deps.customers.settings(accountId);
    const readyMs = Date.now();
    const readyAt = new Date(readyMs).toISOString();
    const expiresAt = new Date(readyMs + settings.exportRetentionDays * DAY_MS).toISOString();
    const moved = await db.transaction().execute(async (trx) => {
      const done = await repo.updateExport(trx, accountId, exportId, ['preparing'], {
        state: 'ready',
        file_key: key,
        size,
        error: null,
        ready_at: readyAt,
        expires_at: expiresAt,
      });
      if (!done) return false;
      await enqueue(trx, accountId, expireExportTask, { exportId }, { runAt: new Date(expiresAt) });
      await this.queueReadyEmail(trx, row, customer.id, displayName(customer), expiresAt);
      return true;
    });
    // Erased (or otherwise ended) while the zip was written: no row may point at it, so no file.
    if (!moved) await files.remove(key);
  }

  private async queueReadyEmail(
    trx: Conn,
    row: CustomerExportRow,
    customerId: string,
    customerName: string,
    expiresAt: string,
  ) {
    if (!row.requested_by) return;
    const agent = await findUser(trx, row.account_id, row.requested_by);
    if (!agent) return;
    const settings = await this.deps.customers.settings(row.account_id, trx);
    const link = `${this.deps.publicUrl.replace(/\/$/, '')}/customers/${customerId}`;
    const mail = readyEmail(exportLocale(agent.locale), customerName, link, expiresAt);
    const from = outboundFromAddress(settings);
    await queueEmail(
      trx,
      row.account_id,
      {
        to: agent.email,
        from,
        subject: mail.subject,
        text: mail.text,
        messageId: `<export-${row.id}@${from.split('@')[1] ?? 'kunde'}>`,
      },
      this.deps.smtpConfigured,
    );
  }

  /** The last attempt failed: the export says so, and no file of it is left. */
  async markFailed(accountId: string, exportId: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const moved = await repo.updateExport(this.deps.db, accountId, exportId, ['preparing'], {
      state: 'failed',
      error: reason.slice(0, 500),
    });
    if (!moved) return;
    // No row will ever point at what an attempt left: a zip finished just before its ready
    // transaction failed, or the unfinished file of an attempt whose process was killed.
    const key = repo.exportFileKey(accountId, exportId);
    await this.deps.files.remove(key);
    await this.deps.files.remove(`${key}.part`);
  }

  /** The expire-export task: an archive past its expiry is marked expired and its file deleted. */
  async expire(accountId: string, exportId: string): Promise<void> {
    const row = await repo.findExport(this.deps.db, accountId, exportId);
    if (!row || row.state !== 'ready' || !isPastExpiry(row, nowIso())) return;
    const moved = await repo.updateExport(this.deps.db, accountId, exportId, ['ready'], {
      state: 'expired',
      file_key: null,
    });
    if (moved && row.file_key) await this.deps.files.remove(row.file_key);
  }
}

function actorOf(principal: Principal) {
  return { type: principal.type, id: principal.userId, name: principal.name };
}

function displayName(customer: {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  number: number;
}): string {
  return (
    [customer.first_name, customer.last_name].filter(Boolean).join(' ') ||
    customer.email ||
    customer.phone ||
    `#${Number(customer.number)}`
  );
}
