// The SMTP intake on SMTP_PORT: mail for an account's support address (any address when there
// is one account) is stored, then processed into a ticket, then answered 250. Mail for no
// account is refused at RCPT; an oversized message at DATA, each with a clear SMTP error.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { normalizeEmail } from '../customers/identity.ts';
import { MAX_EMAIL_BYTES, type EmailIntake } from './email-intake.ts';

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

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export function createSmtpIntake(options: {
  db: Kysely<Database>;
  intake: EmailIntake;
  log: (message: string, error?: unknown) => void;
  maxBytes?: number;
}) {
  const maxBytes = options.maxBytes ?? MAX_EMAIL_BYTES;
  const recipients = new WeakMap<SMTPServerSession, Map<string, string>>();
  return new SMTPServer({
    name: 'kunde',
    banner: 'Kunde SMTP intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    onRcptTo(address, session, callback) {
      accountForRecipient(options.db, address.address).then(
        (accountId) => {
          if (!accountId)
            return callback(
              new SmtpError(
                `5.1.1 <${address.address}>: no Kunde account receives mail for this address`,
                550,
              ),
            );
          const map = recipients.get(session) ?? new Map<string, string>();
          map.set(accountId, address.address);
          recipients.set(session, map);
          callback();
        },
        (error: unknown) => {
          options.log('smtp rcpt lookup failed', error);
          callback(new SmtpError('4.3.0 Temporary failure, try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      readStream(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            throw new SmtpError(
              `5.3.4 Message too big: at most ${Math.round(maxBytes / 1024)} KB`,
              552,
            );
          }
          const targets = recipients.get(session) ?? new Map<string, string>();
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
          for (const [accountId, to] of targets) {
            const inboundId = await options.intake.store(accountId, raw, { from, to });
            // Stored: from here on the message is safe. Processing errors are retried by a job.
            await options.intake
              .processStored(accountId, inboundId)
              .catch((error: unknown) => options.log('inbound email will be retried', error));
          }
          recipients.delete(session);
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
