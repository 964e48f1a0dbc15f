// findOrganizationForEmail: the single place that decides a customer's organization from their
// email address, creating the organization when the account wants that.
import type { Kysely, Transaction } from 'kysely';
import type { AccountSettings } from '../../common/settings.ts';
import type { Database } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { emailDomain } from '../customers/identity.ts';
import { candidateDomains, isUngroupedDomain, pickOrganization } from './domains.ts';
import {
  claimDomain,
  domainOwners,
  findOrganizationByName,
  insertOrganizationIfAbsent,
} from './organization.repository.ts';
import { recordOrganizationEvent } from '../webhooks/organization-events.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export type MatchSettings = Pick<AccountSettings, 'autoCreateOrganizations' | 'ignoredDomains'>;

/**
 * The organization for a normalized email address, or null ("No organization"): the owner of the
 * exact domain, else of the longest configured parent domain; public mail and ignored domains
 * never match; with autoCreateOrganizations an unknown company domain gets an organization
 * named after it. Safe under concurrency: two new customers of one new domain get one organization.
 */
export async function findOrganizationForEmail(
  db: Conn,
  accountId: string,
  email: string,
  settings: MatchSettings,
  now: string,
): Promise<string | null> {
  const domain = emailDomain(email);
  if (isUngroupedDomain(domain, settings.ignoredDomains)) return null;
  const owners = await domainOwners(db, accountId, candidateDomains(domain));
  const owner = pickOrganization(domain, owners);
  if (owner) return owner;
  if (!settings.autoCreateOrganizations) return null;

  const created = await insertOrganizationIfAbsent(db, {
    account_id: accountId,
    id: newId(),
    name: domain,
    name_key: domain,
    notes: null,
    custom_fields: '{}',
    auto_created: 1,
    merged_into_id: null,
    created_at: now,
    updated_at: now,
  });
  const organization = await findOrganizationByName(db, accountId, domain);
  if (!organization) return null;
  const claimed = await claimDomain(db, accountId, domain, organization.id, now);
  // Made here, by a customer's address: integrations hear of it like of one an agent makes.
  if (created)
    await recordOrganizationEvent(db, accountId, 'organization.created', organization.id, now);
  return claimed;
}
