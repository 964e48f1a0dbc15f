// The SMTP intake on SMTP_PORT: mail for an account's support address (any address when there
// is one account) is stored, then processed into a ticket, then answered 250. Mail for no
// account is refused at RCPT; an oversized message at DATA, each with a clear SMTP error. Per-IP
// limits (smtp-limits.ts) keep one client from taking the intake's connections or memory.
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { normalizeEmail } from '../customers/identity.ts';
import { MAX_EMAIL_BYTES, type EmailIntake } from './email-intake.ts';
import {
  clientKey,
  ConnectionLimiter,
  MessageRateLimiter,
  receiveMessage,
  removeStaleSpool,
} from './smtp-limits.ts';

class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** The account a recipient address belongs to: its support address, or the only account. */
export async function accountForRecipient(
  db: Kysely<Database>,
  address: string,
): Promise<string | undefined> {
  const normalized = normalizeEmail(address);
  if (normalized.ok) {
    const owner = await db
      .selectFrom('inbound_addresses')
      .select('account_id')
      .where('address', '=', normalized.value)
      .executeTakeFirst();
    if (owner) return owner.account_id;
  }
  const accounts = await db.selectFrom('accounts').select('account_id').limit(2).execute();
  return accounts.length === 1 ? accounts[0]?.account_id : undefined;
}

/** Recipients are counted per transaction: past this a client gets 452 and may send DATA. */
export const MAX_RECIPIENTS = 100;

export interface SmtpLimits {
  /** Largest message accepted, in bytes (SMTP_MAX_MESSAGE_BYTES). */
  maxBytes?: number;
  /** Connections one client IP may have open at once (SMTP_MAX_CONNECTIONS_PER_IP). */
  maxConnectionsPerIp?: number;
  /** Messages (MAIL FROM) one client IP may start per minute (SMTP_MESSAGES_PER_MINUTE_PER_IP). */
  messagesPerMinutePerIp?: number;
  /** Where messages over a megabyte wait while they arrive (DATA_DIR/spool/smtp). */
  spoolDir?: string;
}

/** One mail transaction's accounts (account id → the address it was reached by). */
interface Transaction {
  accounts: Map<string, string>;
  rcptCommands: number;
}

export function createSmtpIntake(
  options: {
    db: Kysely<Database>;
    intake: EmailIntake;
    log: (message: string, error?: unknown) => void;
  } & SmtpLimits,
) {
  const maxBytes = options.maxBytes ?? MAX_EMAIL_BYTES;
  const spoolDir = options.spoolDir ?? path.join(os.tmpdir(), 'kunde-smtp-spool');
  removeStaleSpool(spoolDir);
  const connections = new ConnectionLimiter(options.maxConnectionsPerIp ?? 10);
  const messageRate = new MessageRateLimiter(options.messagesPerMinutePerIp ?? 120);
  // Sessions whose connection was counted: onClose also runs for connections refused at connect.
  const counted = new WeakSet<SMTPServerSession>();
  // Each MAIL FROM starts a transaction afresh: after RSET, or a refused DATA, the next message
  // must not inherit the recipients (and so the accounts) of the one before.
  const transactions = new WeakMap<SMTPServerSession, Transaction>();
  const startTransaction = (session: SMTPServerSession): Transaction => {
    const fresh = { accounts: new Map<string, string>(), rcptCommands: 0 };
    transactions.set(session, fresh);
    return fresh;
  };
  return new SMTPServer({
    name: 'kunde',
    banner: 'Kunde SMTP intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    maxRecipients: MAX_RECIPIENTS,
    // A PTR lookup per connection costs a DNS round trip and tells Kunde nothing it uses.
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      if (!connections.tryOpen(clientKey(session.remoteAddress))) {
        return callback(
          new SmtpError('Too many connections from your address, try again later', 421),
        );
      }
      counted.add(session);
      callback();
    },
    onClose(session) {
      if (counted.delete(session)) connections.release(clientKey(session.remoteAddress));
    },
    onMailFrom(_address, session, callback) {
      if (!messageRate.tryTake(clientKey(session.remoteAddress))) {
        return callback(
          new SmtpError('4.7.1 Too many messages from your address, try again later', 450),
        );
      }
      startTransaction(session);
      callback();
    },
    onRcptTo(address, session, callback) {
      const transaction = transactions.get(session) ?? startTransaction(session);
      // Refused recipients cost a lookup each, so they count against the limit as well.
      if (++transaction.rcptCommands > MAX_RECIPIENTS)
        return callback(new SmtpError('4.5.3 Too many recipients', 452));
      accountForRecipient(options.db, address.address).then(
        (accountId) => {
          if (!accountId)
            return callback(
              new SmtpError(
                `5.1.1 <${address.address}>: no Kunde account receives mail for this address`,
                550,
              ),
            );
          transaction.accounts.set(accountId, address.address);
          callback();
        },
        (error: unknown) => {
          options.log('smtp rcpt lookup failed', error);
          callback(new SmtpError('4.3.0 Temporary failure, try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      const transaction = transactions.get(session) ?? startTransaction(session);
      receiveMessage(stream, maxBytes, spoolDir)
        .then(async ({ raw, bytes }) => {
          if (!raw) {
            throw new SmtpError(
              `5.3.4 Message too big: ${bytes} bytes, at most ${maxBytes} bytes are accepted`,
              552,
            );
          }
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
          for (const [accountId, to] of transaction.accounts) {
            const inboundId = await options.intake.store(accountId, raw, { from, to });
            // Stored: from here on the message is safe. Processing errors are retried by a job.
            await options.intake
              .processStored(accountId, inboundId)
              .catch((error: unknown) => options.log('inbound email will be retried', error));
          }
          callback();
        })
        .catch((error: unknown) => {
          if (error instanceof SmtpError) return callback(error);
          options.log('smtp data failed', error);
          callback(
            new SmtpError('4.3.0 Temporary failure storing the message, try again later', 451),
          );
        });
    },
  });
}
