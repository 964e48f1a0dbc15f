// Webhook secrets (SMS, inbound email): one per account and webhook, shown once when created,
// stored only as a hash, formatted like an API token so that the account id travels in front and
// the lookup is account-scoped. Creating a new one retires the old one.
import type { Kysely } from 'kysely';
import { formatToken, hashSecret, newSecret, parseToken } from '../agents/secrets.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { replaceWebhookSecret, webhookSecretExists } from './webhook-secret.repository.ts';

export type WebhookName = 'sms-webhook' | 'email-webhook';

export const WEBHOOK_SECRET_HEADER = 'x-kunde-webhook-secret';

export async function rotateWebhookSecret(
  db: Kysely<Database>,
  accountId: string,
  webhook: WebhookName,
): Promise<string> {
  const secret = newSecret();
  await replaceWebhookSecret(db, accountId, webhook, hashSecret(secret));
  return formatToken(accountId, secret);
}

/** The account a webhook secret (bare or "Bearer …") belongs to, or a 401 naming the webhook. */
export async function accountForWebhookSecret(
  db: Kysely<Database>,
  webhook: WebhookName,
  secret: string | undefined,
): Promise<string> {
  const parsed = secret ? parseToken(secret.replace(/^Bearer\s+/i, '').trim()) : undefined;
  if (
    parsed &&
    (await webhookSecretExists(db, parsed.accountId, webhook, hashSecret(parsed.secret)))
  )
    return parsed.accountId;
  const what = webhook === 'sms-webhook' ? 'SMS' : 'inbound email';
  throw new AppError(
    401,
    'invalid_webhook_secret',
    'Invalid webhook secret',
    `Send the account’s ${what} webhook secret as ${
      webhook === 'sms-webhook' ? 'a Bearer token or ' : ''
    }X-Kunde-Webhook-Secret`,
  );
}
