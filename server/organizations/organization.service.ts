// Organizations: names unique per account (any case), domains owned by at most one organization,
// customers grouped into them by domain when an agent asks, never deleted with them.
import { deleteOrganizationGrants } from '../hub/hub-grant.repository.ts';
import type { FieldError } from '../../common/problem.ts';
import { fieldError, refusedField } from '../../common/field-error-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import type {
  Organization,
  OrganizationCreate,
  OrganizationUpdate,
} from '../../common/organization.ts';
import type { Page } from '../../common/paging.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database, OrganizationRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import {
  AppError,
  ConflictError,
  NotFoundError,
  ValidationError,
  isUniqueViolation,
} from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import {
  isUngroupedDomain,
  normalizeDomain,
  pickOrganization,
  candidateDomains,
} from './domains.ts';
import * as repo from './organization.repository.ts';
import { lockOrganizationUnlessMerged } from './organization-guard.ts';
import { ORGANIZATION_MERGE_SENTENCES } from '../merge/organization-merge-texts.ts';
import { deleteLocationsOf } from '../locations/location.repository.ts';
import { ALL, servesOrganization } from '../access/scope.ts';
import { recordOrganizationEvent } from '../webhooks/organization-events.ts';

function nameTaken(name: string) {
  return new ConflictError('organization_name_taken', `An organization named ${name} exists`, {
    errors: [fieldError('name', 'already_used', 'already used by another organization')],
  });
}

export class OrganizationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
    private readonly customFields: CustomFieldService,
  ) {}

  private async present(principal: Principal, rows: OrganizationRow[]): Promise<Organization[]> {
    const accountId = principal.accountId;
    const ids = rows.map((r) => r.id);
    const [domains, counts] = await Promise.all([
      repo.domainsOf(this.db, accountId, ids),
      repo.customerCounts(this.db, accountId, ids, principal.scope),
    ]);
    return rows.map((row) =>
      repo.organizationRowToOrganization(row, domains.get(row.id) ?? [], counts.get(row.id) ?? 0),
    );
  }

  /**
   * Sub-resources of another account's organization (or none), or of one out of the principal's
   * scope, are 404, not an empty answer.
   */
  private async requireOrganization(principal: Principal, id: string): Promise<void> {
    if (!(await repo.findOrganization(this.db, principal.accountId, id, principal.scope)))
      throw await this.missing(principal, id);
  }

  /**
   * What a write on an organization that is not there gets: 409 organization_merged when it was
   * merged into one the principal sees (issue 15: the pointer takes no writes, its survivor
   * does), else the 404 a missing one gets.
   */
  private async missing(principal: Principal, id: string, db: Conn = this.db): Promise<AppError> {
    const row = await repo.findOrganizationRecord(db, principal.accountId, id);
    if (
      row?.merged_into_id &&
      (await repo.findOrganization(db, principal.accountId, row.merged_into_id, principal.scope))
    )
      return new ConflictError(
        'organization_merged',
        ORGANIZATION_MERGE_SENTENCES.pointerReadOnly,
        { mergedInto: row.merged_into_id },
      );
    return new NotFoundError('organization', id);
  }

  /**
   * An organization; one merged into another answers as it was kept, with `mergedInto` naming
   * the survivor, to whoever sees the survivor (its own scope went with the merge).
   */
  async get(principal: Principal, id: string): Promise<Organization> {
    const accountId = principal.accountId;
    let row = await repo.findOrganization(this.db, accountId, id, principal.scope);
    if (!row) {
      const pointer = await repo.findOrganizationRecord(this.db, accountId, id);
      if (
        pointer?.merged_into_id &&
        (await repo.findOrganization(this.db, accountId, pointer.merged_into_id, principal.scope))
      )
        row = pointer;
    }
    if (!row) throw new NotFoundError('organization', id);
    const [organization] = await this.present(principal, [row]);
    return organization as Organization;
  }

  async list(
    principal: Principal,
    query: { q?: string; limit: number; cursor?: string },
  ): Promise<Page<Organization>> {
    const after = query.cursor
      ? decodeCursor(
          query.cursor,
          (v): v is { name: string; id: string } =>
            typeof v.name === 'string' && typeof v.id === 'string',
        )
      : undefined;
    const [rows, total] = await Promise.all([
      repo.listOrganizationRows(this.db, principal.accountId, {
        q: query.q,
        after,
        limit: query.limit + 1,
        scope: principal.scope,
      }),
      repo.countOrganizations(this.db, principal.accountId, query.q, principal.scope),
    ]);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await this.present(principal, page),
      total,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ name: last.name_key, id: last.id }) }
        : {}),
    };
  }

  private async validateFields(accountId: string, values: Record<string, unknown> | undefined) {
    if (!values) return undefined;
    const settings = await this.customers.settings(accountId);
    return this.customFields.validate(accountId, 'organization', values as never, {
      prefix: 'customFields',
      allowFreeform: settings.allowFreeformAttributes,
      phoneCountry: settings.phoneDefaultCountry,
      checkRequired: true,
    });
  }

  private normalizeDomains(domains: string[], settings: { ignoredDomains: string[] }): string[] {
    const errors: FieldError[] = [];
    const out: string[] = [];
    for (const [index, raw] of domains.entries()) {
      const result = normalizeDomain(raw);
      if (!result.ok) errors.push(refusedField(`domains.${index}`, result));
      else if (isUngroupedDomain(result.value, settings.ignoredDomains)) {
        errors.push(
          fieldError(
            `domains.${index}`,
            'public_domain',
            `${result.value} is a public mail or ignored domain and cannot belong to an organization`,
            { domain: result.value },
          ),
        );
      } else if (!out.includes(result.value)) out.push(result.value);
    }
    if (errors.length) throw new ValidationError(errors);
    return out;
  }

  /**
   * Creates an organization. A scoped agent may not: no team serves a new organization, so it
   * would vanish from them the moment it exists; an administrator creates it and gives it to a
   * team (403 naming scope.all).
   */
  async create(principal: Principal, input: OrganizationCreate): Promise<Organization> {
    if (!principal.scope.all) requirePermission(principal, 'scope.all');
    const accountId = principal.accountId;
    const settings = await this.customers.settings(accountId);
    const domains = this.normalizeDomains(input.domains ?? [], settings);
    const customFields = (await this.validateFields(accountId, input.customFields ?? {})) ?? {};
    const now = nowIso();
    const row: OrganizationRow = {
      account_id: accountId,
      id: newId(),
      name: input.name,
      name_key: input.name.toLowerCase(),
      notes: input.notes ?? null,
      custom_fields: JSON.stringify(customFields),
      auto_created: 0,
      merged_into_id: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insertOrganization(trx, row);
        for (const domain of domains) {
          const owner = await repo.claimDomain(trx, accountId, domain, row.id, now);
          if (owner !== row.id) throw domainTaken(domain, owner);
        }
        await recordOrganizationEvent(trx, accountId, 'organization.created', row.id, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
    return this.get(principal, row.id);
  }

  async update(principal: Principal, id: string, patch: OrganizationUpdate): Promise<Organization> {
    const accountId = principal.accountId;
    const current = await repo.findOrganization(this.db, accountId, id, principal.scope);
    if (!current) throw await this.missing(principal, id);
    const customFields = await this.validateFields(accountId, patch.customFields);
    try {
      await this.db.transaction().execute(async (trx) => {
        // Under the row's lock: an edit never lands on a pointer a merge just left.
        if (!(await lockOrganizationUnlessMerged(trx, accountId, id, principal.scope)))
          throw await this.missing(principal, id, trx);
        const now = nowIso();
        await repo.updateOrganizationRow(trx, accountId, id, {
          ...(patch.name !== undefined
            ? { name: patch.name, name_key: patch.name.toLowerCase() }
            : {}),
          ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
          ...(customFields ? { custom_fields: JSON.stringify(customFields) } : {}),
          updated_at: now,
        });
        await recordOrganizationEvent(trx, accountId, 'organization.updated', id, now);
      });
    } catch (error) {
      if (isUniqueViolation(error) && patch.name) throw nameTaken(patch.name);
      throw error;
    }
    return this.get(principal, id);
  }

  /**
   * Deletes an organization; its customers move to "No organization" (audited), none is deleted,
   * and its locations and areas go with it (tickets keep the ids, shown as a removed place).
   * One transaction: a failure half-way leaves the organization and all its customers as they were.
   */
  async remove(principal: Principal, id: string): Promise<{ movedCustomers: number }> {
    const accountId = principal.accountId;
    return this.db.transaction().execute(async (trx) => {
      // Held: a merge of this organization waits for the deletion, or the deletion for it.
      if (!(await lockOrganizationUnlessMerged(trx, accountId, id, principal.scope)))
        throw await this.missing(principal, id, trx);
      // Its customers leave with it, so a scoped agent deletes only one their teams serve whole.
      if (!servesOrganization(principal.scope, id)) requirePermission(principal, 'scope.all');
      const customerIds = await repo.customerIdsInOrganization(trx, accountId, id);
      const moved = customerIds.length
        ? await this.customers.moveToOrganization(
            { ...principal, scope: ALL },
            customerIds,
            null,
            trx,
            'organization_deleted',
          )
        : 0;
      await deleteLocationsOf(trx, accountId, id);
      // Customers granted its tickets in the Customer Hub lose the grant with it.
      await deleteOrganizationGrants(trx, accountId, id);
      await recordOrganizationEvent(trx, accountId, 'organization.deleted', id, nowIso());
      await repo.deleteOrganizationRow(trx, accountId, id);
      return { movedCustomers: moved };
    });
  }

  /** Customers of this domain (and its subdomains) that this domain would now claim. */
  private async customersClaimedBy(
    db: Conn,
    accountId: string,
    organizationId: string,
    domain: string,
  ) {
    const found = await repo.customerDomainsUnder(db, accountId, domain);
    const customerDomains = found.map((f) => f.email_domain ?? '').filter(Boolean);
    const owners = await repo.domainOwners(db, accountId, [
      ...new Set(customerDomains.flatMap(candidateDomains)),
    ]);
    const claimed = customerDomains.filter((d) => pickOrganization(d, owners) === organizationId);
    return repo.customerIdsWithDomains(db, accountId, claimed, organizationId);
  }

  async addDomain(
    principal: Principal,
    organizationId: string,
    input: { domain: string; groupExisting: boolean },
  ) {
    const accountId = principal.accountId;
    const settings = await this.customers.settings(accountId);
    let domain: string | undefined;
    try {
      [domain] = this.normalizeDomains([input.domain], settings);
    } catch (error) {
      if (error instanceof ValidationError)
        throw new ValidationError(error.errors.map((e) => ({ ...e, field: 'domain' })));
      throw error;
    }
    if (!domain) throw new ValidationError([fieldError('domain', 'not_a_domain', 'not a domain')]);
    const claimed = domain;
    // Claiming the domain and grouping its customers are one change: both or neither.
    const result = await this.db.transaction().execute(async (trx) => {
      // Held: a domain is never added to a pointer a merge committing meanwhile left.
      if (!(await lockOrganizationUnlessMerged(trx, accountId, organizationId, principal.scope)))
        throw await this.missing(principal, organizationId, trx);
      const owner = await repo.claimDomain(trx, accountId, claimed, organizationId, nowIso());
      if (owner !== organizationId) throw domainTaken(claimed, owner);
      const grouped = await this.group(
        trx,
        principal,
        organizationId,
        claimed,
        input.groupExisting,
      );
      await recordOrganizationEvent(
        trx,
        accountId,
        'organization.updated',
        organizationId,
        nowIso(),
      );
      return grouped;
    });
    return { organization: await this.get(principal, organizationId), domain, ...result };
  }

  async domainResult(principal: Principal, organizationId: string, domain: string, group: boolean) {
    const accountId = principal.accountId;
    await this.requireOrganization(principal, organizationId);
    const owners = await repo.domainOwners(this.db, accountId, [domain]);
    if (owners.get(domain) !== organizationId) throw new NotFoundError('domain', domain);
    const result = await this.db
      .transaction()
      .execute((trx) => this.group(trx, principal, organizationId, domain, group));
    return { organization: await this.get(principal, organizationId), domain, ...result };
  }

  /** Moves the domain's customers into the organization, or counts them when not asked to. */
  private async group(
    trx: Transaction<Database>,
    principal: Principal,
    organizationId: string,
    domain: string,
    group: boolean,
  ) {
    const candidates = await this.customersClaimedBy(
      trx,
      principal.accountId,
      organizationId,
      domain,
    );
    const moved =
      group && candidates.length
        ? await this.customers.moveToOrganization(
            principal,
            candidates.map((c) => c.id),
            organizationId,
            trx,
          )
        : 0;
    return { matchingCustomers: group ? 0 : candidates.length, moved };
  }

  async removeDomain(
    principal: Principal,
    organizationId: string,
    domainInput: string,
  ): Promise<void> {
    await this.requireOrganization(principal, organizationId);
    const domain = normalizeDomain(domainInput);
    const removed =
      domain.ok &&
      (await repo.deleteDomain(this.db, principal.accountId, organizationId, domain.value));
    if (!removed) throw new NotFoundError('domain', domainInput);
  }

  async moveCustomers(principal: Principal, organizationId: string, customerIds: string[]) {
    const target = organizationId === 'none' ? null : organizationId;
    if (target) await this.requireOrganization(principal, target);
    const moved = await this.customers.moveToOrganization(principal, customerIds, target);
    return { moved, organizationId: target };
  }
}

function domainTaken(domain: string, ownerId: string) {
  return new AppError(
    409,
    'domain_taken',
    'Conflict',
    `The domain ${domain} belongs to another organization`,
    {
      organizationId: ownerId,
      errors: [fieldError('domain', 'domain_taken', 'belongs to another organization')],
    },
  );
}
