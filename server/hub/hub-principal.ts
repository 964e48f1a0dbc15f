// Who is acting in the Customer Hub: a signed-in customer. A principal of its own, never an
// agent's: the Hub's routes take only this (route.ts auth 'hub'), agent routes never do, and
// the two travel in separate cookies. Resolved from the database on every request, so access
// switched off, a deactivation or an erasure ends the session at the next request.
import type { Kysely } from 'kysely';
import { HUB_SESSION_COOKIE } from '../../common/hub.ts';
import type { Locale } from '../../common/settings.ts';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import {
  formatSessionCookie,
  hashSecret,
  newSecret,
  parseSessionCookie,
} from '../agents/secrets.ts';
import { customerDisplayName } from '../../common/customer.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { Conn } from '../db/transaction.ts';
import * as repo from './hub-session.repository.ts';

export { HUB_SESSION_COOKIE };

/** A Hub session lasts 30 days from sign-in. */
export const HUB_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface HubPrincipal {
  accountId: string;
  customerId: string;
  name: string;
  email: string | null;
  locale: Locale;
  sessionHash: string;
}

/** Starts a session with a fresh secret (never one the browser sent): the cookie's value. */
export async function startHubSession(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<string> {
  const secret = newSecret();
  const now = new Date();
  await repo.deleteExpiredHubSessions(db, accountId, customerId, now.toISOString());
  await repo.insertHubSession(db, {
    accountId,
    idHash: hashSecret(secret),
    customerId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + HUB_SESSION_TTL_MS).toISOString(),
  });
  return formatSessionCookie(accountId, secret);
}

/** The signed-in customer of a Hub cookie, or undefined (unknown, expired, access off, Hub off). */
export async function hubPrincipalFromCookie(
  db: Kysely<Database>,
  cookie: string,
): Promise<HubPrincipal | undefined> {
  const parsed = parseSessionCookie(cookie);
  if (!parsed) return undefined;
  const idHash = hashSecret(parsed.secret);
  const found = await repo.findHubSessionCustomer(db, parsed.accountId, idHash, nowIso());
  if (!found) return undefined;
  const account = await findAccount(db, parsed.accountId);
  if (!account?.settings.hub.enabled) return undefined;
  return {
    accountId: parsed.accountId,
    customerId: found.customerId,
    name: customerDisplayName({ ...found, phone: null }),
    email: found.email,
    locale:
      found.locale === 'nb' || found.locale === 'en'
        ? found.locale
        : account.settings.defaultLocale,
    sessionHash: idHash,
  };
}

export async function endHubSession(db: Conn, principal: HubPrincipal): Promise<void> {
  await repo.deleteHubSession(db, principal.accountId, principal.sessionHash);
}

/** Ends every Hub session of the customer: call when access goes off, on deactivation, erasure. */
export async function endCustomerHubSessions(
  db: Conn,
  accountId: string,
  customerId: string,
): Promise<void> {
  await repo.deleteCustomerHubSessions(db, accountId, customerId);
}
