// The administrator's view of inbound email (routes in inbound.routes.ts): list by state, one
// message, its raw file, and a retry of a failed one through the job queue.
import type { Kysely } from 'kysely';
import type { InboundEmail, InboundEmailListQuery } from '../../common/inbound.ts';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { EmailIntake } from './email-intake.ts';
import * as repo from './inbound.repository.ts';

export class InboundEmailAdmin {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: FileStore,
    private readonly intake: EmailIntake,
  ) {}

  async list(accountId: string, query: InboundEmailListQuery) {
    const { rows, total } = await repo.listInbound(this.db, accountId, query.state, query.limit);
    return { items: rows.map(repo.inboundRowToInboundEmail), total };
  }

  async get(accountId: string, id: string): Promise<InboundEmail> {
    const row = await repo.findInbound(this.db, accountId, id);
    if (!row) throw new NotFoundError('inbound email', id);
    return repo.inboundRowToInboundEmail(row);
  }

  /** The raw message file, for download. */
  async rawFile(accountId: string, id: string) {
    const row = await repo.findInbound(this.db, accountId, id);
    if (!row) throw new NotFoundError('inbound email', id);
    return this.files.read(row.file_key);
  }

  /** An administrator's retry: queued now. Only a failed (or never processed) message. */
  async retry(accountId: string, id: string): Promise<InboundEmail> {
    const row = await repo.findInbound(this.db, accountId, id);
    if (!row) throw new NotFoundError('inbound email', id);
    if (row.status === 'processed' || row.status === 'ignored')
      throw new ConflictError(
        'inbound_not_failed',
        `This email was already ${row.status}; only failed email can be retried`,
      );
    await this.intake.queueRetry(accountId, id);
    return this.get(accountId, id);
  }
}
