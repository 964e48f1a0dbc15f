// Which account a Hub address belongs to: /hub/<slug> is looked up in hub_addresses (a reference
// table: the lookup happens before the account is known), and the account's Hub must be on. A
// single-account install opens plain /hub: the one account whose Hub is on, when there is one.
import {
  HUB_ATTACHMENT_MAX_BYTES,
  HUB_ATTACHMENT_MAX_FILES,
  type HubSite,
} from '../../common/hub.ts';
import type { AccountSettings } from '../../common/settings.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { Conn } from '../db/transaction.ts';
import { AppError } from '../errors.ts';

export interface HubAccount {
  accountId: string;
  accountName: string;
  slug: string;
  settings: AccountSettings;
}

/** Plain /hub reads at most this many addresses to find the one Hub that is on. */
const ONLY_SITE_SCAN = 1000;

export function hubNotFound(): AppError {
  return new AppError(
    404,
    'hub_not_found',
    'No Customer Hub here',
    'There is no Customer Hub at this address',
  );
}

async function accountOf(
  db: Conn,
  slug: string,
  accountId: string,
): Promise<HubAccount | undefined> {
  const account = await findAccount(db, accountId);
  if (!account?.settings.hub.enabled) return undefined;
  return { accountId, accountName: account.name, slug, settings: account.settings };
}

/** The account of a Hub address whose Hub is on; 404 hub_not_found otherwise. */
export async function requireHubAccount(db: Conn, slug: string): Promise<HubAccount> {
  const address = await db
    .selectFrom('hub_addresses')
    .select(['slug', 'account_id'])
    .where('slug', '=', slug.toLowerCase())
    .executeTakeFirst();
  const found = address ? await accountOf(db, address.slug, address.account_id) : undefined;
  if (!found) throw hubNotFound();
  return found;
}

/** The account's own Hub address, if it has one (for links and HubMe). */
export async function hubSlugOf(db: Conn, accountId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('hub_addresses')
    .select('slug')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.slug;
}

/** The one account whose Hub is on (plain /hub); 404 when none or more than one is. */
export async function requireOnlyHubAccount(db: Conn): Promise<HubAccount> {
  const addresses = await db
    .selectFrom('hub_addresses')
    .select(['slug', 'account_id'])
    .orderBy('slug')
    .limit(ONLY_SITE_SCAN)
    .execute();
  const on: HubAccount[] = [];
  for (const address of addresses) {
    const found = await accountOf(db, address.slug, address.account_id);
    if (found) on.push(found);
    if (on.length > 1) break;
  }
  const [only] = on;
  if (!only || on.length > 1) throw hubNotFound();
  return only;
}

export function presentHubSite(hub: HubAccount): HubSite {
  return {
    slug: hub.slug,
    accountName: hub.accountName,
    defaultLocale: hub.settings.defaultLocale,
    passwordSignIn: hub.settings.hub.passwordSignIn,
    linkSignIn: hub.settings.hub.linkSignIn,
    selfRegistration: hub.settings.hub.selfRegistration,
    attachmentMaxBytes: HUB_ATTACHMENT_MAX_BYTES,
    attachmentMaxFiles: HUB_ATTACHMENT_MAX_FILES,
    phoneCountry: hub.settings.phoneDefaultCountry,
  };
}
