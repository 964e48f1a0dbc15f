// The Outbox as administrators work it: the list with each email's state and what was done to
// it, and the three things they can do: release held mail, retry failed mail, discard mail that
// should not go out. Each is recorded (outbox_actions: who, what, when) in the transaction that
// does it, and each refuses, with a 409 naming why, what does not fit the email's state, so
// two administrators clicking at once never send one email twice.
import type { Kysely } from 'kysely';
import type { OutboxAction, OutboxEmail, OutboxPage } from '../../common/outbox.ts';
import type { Principal } from '../agents/principal.ts';
import type { Database, OutboxRow } from '../db/database.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { enqueue } from '../jobs/task.ts';
import { listOutbox } from './outbox.ts';
import {
  findOutbox,
  moveOutbox,
  outboxActionsOf,
  recordOutboxAction,
} from './outbox.repository.ts';
import { sendEmailTask } from './send-email.task.ts';

/** The console shows one screen of recent mail; older mail is in the database, not lost. */
export const OUTBOX_PAGE = 200;

export const NOT_SENDING =
  'this server sends no email (SMTP_URL is not set): held mail goes out once it is';

export class OutboxService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Whether this node has SMTP_URL: without it nothing can be released or retried. */
    private readonly sending: boolean,
    private readonly notify: () => void = () => undefined,
  ) {}

  async list(principal: Principal): Promise<OutboxPage> {
    const rows = await listOutbox(this.db, principal.accountId, OUTBOX_PAGE);
    const items = await this.present(principal.accountId, rows);
    return { items, total: items.length, sending: this.sending };
  }

  /** Held mail (no SMTP_URL when it was written) goes to the worker now. */
  release(principal: Principal, id: string): Promise<OutboxEmail> {
    return this.act(principal, id, 'released', ['held']);
  }

  /** Failed mail (its attempts ran out, or the server refused it) gets a new round of attempts. */
  retry(principal: Principal, id: string): Promise<OutboxEmail> {
    return this.act(principal, id, 'retried', ['failed']);
  }

  /** Mail that should not go out: held, failed, or still waiting to be sent. Sent mail stays. */
  discard(principal: Principal, id: string): Promise<OutboxEmail> {
    return this.act(principal, id, 'discarded', ['held', 'failed', 'queued']);
  }

  private async act(
    principal: Principal,
    id: string,
    action: OutboxAction,
    from: OutboxRow['status'][],
  ): Promise<OutboxEmail> {
    const accountId = principal.accountId;
    const queue = action !== 'discarded';
    await this.db.transaction().execute(async (trx) => {
      const mail = await findOutbox(trx, accountId, id);
      if (!mail) throw new NotFoundError('email', id);
      if (queue && !this.sending) throw new ConflictError('smtp_not_configured', NOT_SENDING);
      const set: Partial<OutboxRow> = queue
        ? { status: 'queued', hold_reason: null }
        : { status: 'discarded', hold_reason: null };
      if (!(await moveOutbox(trx, accountId, id, from, set)))
        throw new ConflictError(
          'outbox_state',
          `the email is ${mail.status}: only ${from.join(', ')} email can be ${action}`,
          { emailStatus: mail.status },
        );
      await recordOutboxAction(trx, accountId, { outboxId: id, action }, principal);
      if (queue) await enqueue(trx, accountId, sendEmailTask, { outboxId: id });
    });
    if (queue) this.notify();
    const mail = await findOutbox(this.db, accountId, id);
    const [email] = await this.present(accountId, mail ? [mail] : []);
    if (!email) throw new NotFoundError('email', id);
    return email;
  }

  private async present(accountId: string, rows: OutboxRow[]): Promise<OutboxEmail[]> {
    const actions = await outboxActionsOf(
      this.db,
      accountId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      to: r.to_address,
      subject: r.subject,
      text: r.body_text,
      status: r.status,
      holdReason: r.status === 'held' ? (r.hold_reason ?? 'smtp_not_configured') : null,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      actions: actions
        .filter((a) => a.outbox_id === r.id)
        .map((a) => ({
          action: a.action,
          userId: a.user_id,
          userName: a.user_name,
          at: a.created_at,
        })),
    }));
  }
}
