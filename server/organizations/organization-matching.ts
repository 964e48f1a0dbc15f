// findOrganizationForEmail: the single place that decides a customer's organization from their
// email address, creating the organization when the account wants that; and
// adoptDomainForNamedOrganization, the other half of the same rule: an organization named for a
// customer takes their company domain while it has none, so the company is not split in two.
import type { Kysely, Transaction } from 'kysely';
import type { AccountSettings } from '../../common/settings.ts';
import type { Database } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { emailDomain } from '../customers/identity.ts';
import { candidateDomains, isUngroupedDomain, pickOrganization } from './domains.ts';
import {
  claimDomain,
  domainOwners,
  domainsOf,
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

/**
 * Issue 16: a customer placed in an organization by name (a file's organization cell, the API's
 * organizationId) whose email domain is a company's (not public mail, not ignored) and belongs
 * to no organization gives that domain to the organization, when the organization has no domain
 * yet. Without this, "Fjordtech AS" named in one row and a later @fjordtech.no row with no
 * organization make two organizations of one company (the second automatic, "fjordtech.no").
 * An organization that already has domains is left alone: its domains were chosen, and a second
 * company's address in it (a consultant, a parent company) must not pull that company in.
 * Answers whether the domain was added. Concurrent claims are safe (claimDomain's unique key).
 */
export async function adoptDomainForNamedOrganization(
  db: Conn,
  accountId: string,
  organizationId: string,
  email: string,
  settings: Pick<MatchSettings, 'ignoredDomains'>,
  now: string,
): Promise<boolean> {
  const domain = emailDomain(email);
  if (!domain || isUngroupedDomain(domain, settings.ignoredDomains)) return false;
  const owners = await domainOwners(db, accountId, candidateDomains(domain));
  if (pickOrganization(domain, owners)) return false;
  const held = await domainsOf(db, accountId, [organizationId]);
  if ((held.get(organizationId) ?? []).length > 0) return false;
  const owner = await claimDomain(db, accountId, domain, organizationId, now);
  if (owner !== organizationId) return false;
  // Integrations hear of the organization's new domain like of one an agent adds.
  await recordOrganizationEvent(db, accountId, 'organization.updated', organizationId, now);
  return true;
}
