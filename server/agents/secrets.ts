// Session and API token secrets: 256 random bits, shown once, stored only as SHA-256.
// The account id travels in the clear in front so that every lookup is scoped by account.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface ParsedCredential {
  accountId: string;
  secret: string;
}

const TOKEN_PREFIX = 'kunde';

/** API tokens look like `kunde.<account id>.<secret>`; session cookies like `<account id>.<secret>`. */
export function formatToken(accountId: string, secret: string): string {
  return `${TOKEN_PREFIX}.${accountId}.${secret}`;
}

export function parseToken(token: string): ParsedCredential | undefined {
  const [prefix, accountId, secret, ...rest] = token.split('.');
  if (prefix !== TOKEN_PREFIX || !accountId || !secret || rest.length > 0) return undefined;
  return { accountId, secret };
}

export function formatSessionCookie(accountId: string, secret: string): string {
  return `${accountId}.${secret}`;
}

export function parseSessionCookie(value: string): ParsedCredential | undefined {
  const [accountId, secret, ...rest] = value.split('.');
  if (!accountId || !secret || rest.length > 0) return undefined;
  return { accountId, secret };
}
