// The rules for customers: identities are normalized and unique per account, organizations come
// from the email domain, custom attributes are checked against the account's fields, every change
// is audited in the same transaction, stale edits are refused, lists page by keyset.
import { fieldError, refusedField } from '../../common/field-error-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import type {
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerStatus,
  CustomerUpdate,
} from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import type { Permission } from '../../common/permissions.ts';
import type { FieldError } from '../../common/problem.ts';
import type { AccountSettings } from '../../common/settings.ts';
import { accountSettingsSchema } from '../../common/settings.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import { findCustomerType, listTypeRows } from '../customer-types/customer-type.repository.ts';
import type { Dialect } from '../db/connect.ts';
import { reserveNumbers } from '../db/counters.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { inTransaction, withSavepoint, type Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import {
  adoptDomainForNamedOrganization,
  findOrganizationForEmail,
} from '../organizations/organization-matching.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import {
  lockLiveOrganization,
  lockOrganizationUnlessMerged,
} from '../organizations/organization-guard.ts';
import { placeNames } from '../locations/location.repository.ts';
import { checkDefaultLocation } from '../locations/placement.ts';
import * as repo from './customer.repository.ts';
import { readTrail } from './customer-trail.ts';
import { listWalk, pageOf } from './customer-list.ts';
import { listSortedRows } from './customer-sort.repository.ts';
import { requirePlacedInScope } from './customer-scope.ts';
import { ALL, requireInScope } from '../access/scope.ts';
import {
  buildChange,
  buildNewCustomer,
  customerMergedError,
  ERASING,
  MERGED,
  referencedIds as writeReferences,
  type CreatedVia,
  type CustomerPatch,
  type CustomerWrite,
  type WriteContext,
} from './customer-write.ts';
import { splitName } from './names.ts';
import {
  foldQuery,
  identitySetProblems,
  normalizeEmail,
  normalizePhone,
  type IdentityKind,
} from './identity.ts';

export type { CreatedVia } from './customer-write.ts';

/** How an edit is checked when it comes from somewhere other than the customer itself. */
export interface ChangeOptions {
  /** The permission a status change needs: contacts are governed by Create/Edit Customers. */
  statusPermission?: Permission;
  /** Only a customer of this organization may be changed (a contact, edited from it). */
  organizationId?: string;
}

interface Identities {
  email: string | null;
  phone: string | null;
  additionalEmails: string[];
  additionalPhones: string[];
}

/** Where an identity came from in the request ("email", "additionalEmails.1"), by kind:value. */
type IdentityFields = Map<string, string>;

/** Searches and filtered lists count at most this many matches (and say so with totalCapped). */
export const COUNT_CAP = 10_000;

export class CustomerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly customFields: CustomFieldService,
  ) {}

  async settings(accountId: string, db: Conn = this.db): Promise<AccountSettings> {
    return (await findAccount(db, accountId))?.settings ?? accountSettingsSchema.parse({});
  }

  /** Normalizes email and phone, and checks custom attributes; one error lists every bad field. */
  private async resolveInput(
    db: Conn,
    accountId: string,
    settings: AccountSettings,
    input: {
      email?: string | null;
      phone?: string | null;
      additionalEmails?: string[];
      additionalPhones?: string[];
      customAttributes?: Customer['customAttributes'];
    },
  ): Promise<{ ids: Partial<Identities>; attributes?: Customer['customAttributes'] }> {
    const ids: Partial<Identities> = {};
    const errors: FieldError[] = [];
    const normalize = (kind: IdentityKind, raw: string) =>
      kind === 'email' ? normalizeEmail(raw) : normalizePhone(raw, settings.phoneDefaultCountry);
    const identity = (kind: IdentityKind, raw: string | null | undefined) => {
      if (raw === undefined) return;
      if (raw === null || raw.trim() === '') return void (ids[kind] = null);
      const result = normalize(kind, raw);
      if (result.ok) ids[kind] = result.value;
      else errors.push(refusedField(kind, result));
    };
    identity('email', input.email);
    identity('phone', input.phone);
    // The additional ones: each normalized like the primary, empty entries (a form's blank row)
    // left out, every bad one named by its place in the list.
    for (const [kind, key] of [
      ['email', 'additionalEmails'],
      ['phone', 'additionalPhones'],
    ] as const) {
      const list = input[key];
      if (list === undefined) continue;
      const values: string[] = [];
      list.forEach((raw, index) => {
        if (raw.trim() === '') return;
        const result = normalize(kind, raw);
        if (result.ok) values.push(result.value);
        else errors.push(refusedField(`${key}.${index}`, result));
      });
      ids[key] = values;
    }
    let attributes: Customer['customAttributes'] | undefined;
    if (input.customAttributes !== undefined) {
      try {
        attributes = await this.customFields.validate(
          accountId,
          'customer',
          input.customAttributes,
          {
            prefix: 'customAttributes',
            allowFreeform: settings.allowFreeformAttributes,
            phoneCountry: settings.phoneDefaultCountry,
            checkRequired: true,
          },
          db,
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.errors);
      }
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return { ids, attributes };
  }

  private async checkReferences(
    trx: Conn,
    accountId: string,
    refs: { organizationId?: string | null; typeId?: string | null },
  ) {
    const errors: FieldError[] = [];
    // Held until the write commits; one merged away is a 409 naming its survivor (issue 15).
    if (
      refs.organizationId &&
      !(await lockOrganizationUnlessMerged(trx, accountId, refs.organizationId))
    ) {
      errors.push(fieldError('organizationId', 'unknown_reference', 'no such organization'));
    }
    if (refs.typeId && !(await findCustomerType(trx, accountId, refs.typeId))) {
      errors.push(fieldError('typeId', 'unknown_reference', 'no such customer type'));
    }
    if (errors.length) throw new ValidationError(errors);
  }

  /** The context a write is built in: who, when, and the names of what it refers to. */
  private async writeContext(
    db: Conn,
    principal: Principal,
    ids: string[],
    now: string,
  ): Promise<WriteContext> {
    const names = new Map<string, string>();
    if (ids.length) {
      for (const [id, name] of await organizationNames(db, principal.accountId, ids))
        names.set(id, name);
      for (const type of await listTypeRows(db, principal.accountId))
        if (ids.includes(type.id)) names.set(type.id, type.name);
      for (const [id, name] of await placeNames(db, principal.accountId, ids, []))
        names.set(id, name);
    }
    return {
      accountId: principal.accountId,
      actor: { type: principal.type, id: principal.userId, name: principal.name },
      now,
      names,
    };
  }

  /**
   * Creates a customer; in the caller's transaction when given one (`trx`). A scoped agent may
   * only create one their teams serve (customer-scope.ts), unless `placedBy` is 'ticket': a
   * ticket's requester, whom the ticket's own scope check decides (ticket.service.ts create).
   */
  async create(
    principal: Principal,
    input: CustomerCreate,
    via: CreatedVia,
    trx?: Transaction<Database>,
    placedBy: 'customer' | 'ticket' = 'customer',
  ): Promise<Customer> {
    const accountId = principal.accountId;
    // Inside the caller's transaction every read goes through it: SQLite has one connection.
    const db = trx ?? this.db;
    const settings = await this.settings(accountId, db);
    const { ids, attributes } = await this.resolveInput(db, accountId, settings, {
      ...input,
      customAttributes: input.customAttributes ?? {},
    });
    const fields = {
      firstName: input.firstName?.trim() || null,
      lastName: input.lastName?.trim() || null,
      email: ids.email ?? null,
      phone: ids.phone ?? null,
      additionalEmails: ids.additionalEmails ?? [],
      additionalPhones: ids.additionalPhones ?? [],
    };
    // Checked and named as the request gave them, before an additional one becomes the primary.
    checkIdentitySets(fields);
    const requestFields = identityFields(fields);
    Object.assign(fields, promoteWhereNoPrimary(fields, { email: null, phone: null }, NONE));
    if (!fields.email && !fields.phone) {
      throw new ValidationError([
        fieldError(
          'email',
          'email_or_phone_required',
          'an email address or a mobile number is required',
        ),
      ]);
    }
    return this.withIdentityConflicts(accountId, requestFields, trx, async (tx) => {
      await this.checkReferences(tx, accountId, input);
      await this.assertIdentitiesFree(tx, accountId, requestFields, null);
      const now = nowIso();
      const organizationId =
        input.organizationId !== undefined
          ? input.organizationId
          : fields.email
            ? await findOrganizationForEmail(tx, accountId, fields.email, settings, now)
            : null;
      // Named organization + company email: the organization takes the domain while it has none.
      if (input.organizationId && fields.email)
        await adoptDomainForNamedOrganization(
          tx,
          accountId,
          input.organizationId,
          fields.email,
          settings,
          now,
        );
      if (placedBy === 'customer') requirePlacedInScope(principal.scope, organizationId, null);
      const values = {
        ...fields,
        customAttributes: attributes ?? {},
        organizationId,
        typeId: input.typeId ?? null,
        hubAccess: input.hubAccess,
      };
      const context = await this.writeContext(
        tx,
        principal,
        writeReferences(undefined, values),
        now,
      );
      const write = buildNewCustomer(
        context,
        await reserveNumbers(tx, accountId, 'customer'),
        values,
        via,
      );
      await repo.writeCustomer(tx, write);
      return this.present(tx, write.row);
    });
  }

  /**
   * Which customer sent this: the one place that decides it for email, SMS, the Hub and the API.
   * Matched on the normalized email or E.164 number; an unknown sender becomes a customer named
   * from the display name. Under concurrency the identities' unique key lets one writer create
   * the customer and every other writer gets that same customer back; no message is refused.
   * In the caller's transaction when given one: the intake step that takes the message in.
   */
  async findOrCreateBySender(
    principal: Principal,
    sender: { email?: string | null; phone?: string | null; name?: string | null },
    via: CreatedVia,
    trx?: Transaction<Database>,
  ): Promise<{ customer: Customer; created: boolean }> {
    const accountId = principal.accountId;
    const db = trx ?? this.db;
    const settings = await this.settings(accountId, db);
    const { ids } = await this.resolveInput(db, accountId, settings, {
      email: sender.email ?? undefined,
      phone: sender.phone ?? undefined,
    });
    const kind: IdentityKind | undefined = ids.email ? 'email' : ids.phone ? 'phone' : undefined;
    const value = kind ? ids[kind] : undefined;
    if (!kind || !value)
      throw new ValidationError([
        fieldError(
          'email',
          'email_or_phone_required',
          'an email address or a mobile number is required',
        ),
      ]);
    for (let attempt = 0; attempt < 3; attempt++) {
      // The sender is who they are, in scope or not: the caller (a ticket) checks its own scope.
      const held = await repo.findCustomerByIdentity(db, accountId, kind, value);
      if (held) {
        const { row, additional } = held;
        // Merged away or being erased: followMerges answers for it (the survivor, or not found).
        const customer =
          row.merged_into_id || row.status === ERASING
            ? await this.followMerges(principal, row.id, db)
            : repo.customerRowToCustomer(row, additional);
        return { customer, created: false };
      }
      const name = splitName(sender.name);
      try {
        const customer = await this.create(
          principal,
          {
            [kind]: value,
            firstName: name.firstName ?? undefined,
            lastName: name.lastName ?? undefined,
          },
          via,
          trx,
          'ticket',
        );
        return { customer, created: true };
      } catch (error) {
        const existing =
          error instanceof ConflictError ? error.extra.existingCustomerId : undefined;
        if (typeof existing === 'string')
          return { customer: await this.followMerges(principal, existing, db), created: false };
        if (!isUniqueViolation(error) && !(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(
      'sender_unresolved',
      `Could not find or create the customer ${value}; try again`,
    );
  }

  /** Every ticket and message moves the customer's last activity (retention rests on it). */
  touchActivity(db: Conn, accountId: string, customerId: string, at: string): Promise<void> {
    return repo.touchCustomerActivity(db, accountId, customerId, at);
  }

  /** One customer; out of the principal's scope is the 404 a missing one gets. */
  async get(principal: Principal, id: string, db: Conn = this.db): Promise<Customer> {
    const row = await repo.findCustomer(db, principal.accountId, id, principal.scope);
    // A customer being erased is gone as far as anyone reading is concerned.
    if (!row || row.status === ERASING) throw new NotFoundError('customer', id);
    return this.present(db, row);
  }

  private getUnscoped(principal: Principal, id: string, db: Conn): Promise<Customer> {
    return this.get({ ...principal, scope: ALL }, id, db);
  }

  /**
   * The customer, or the one it was merged into (issue 15): whoever a write is for. Unscoped,
   * like the sender it resolves; the ticket's own scope check decides.
   */
  async followMerges(principal: Principal, id: string, db: Conn = this.db): Promise<Customer> {
    let customer = await this.getUnscoped(principal, id, db);
    for (let hops = 0; customer.mergedInto && hops < 20; hops++)
      customer = await this.getUnscoped(principal, customer.mergedInto, db);
    return customer;
  }

  private async present(db: Conn, row: CustomerRow): Promise<Customer> {
    const [customer] = await this.presentMany(db, row.account_id, [row]);
    return customer as Customer;
  }

  /** Rows as the API presents customers (also for lists of others: duplicate suggestions). */
  async presentMany(db: Conn, accountId: string, rows: CustomerRow[]): Promise<Customer[]> {
    const ids = [
      ...new Set(rows.map((r) => r.organization_id).filter((id): id is string => id !== null)),
    ];
    const [names, additional] = await Promise.all([
      organizationNames(db, accountId, ids),
      repo.additionalIdentitiesOf(db, accountId, rows),
    ]);
    return rows.map((row) =>
      repo.customerRowToCustomer(
        {
          ...row,
          organization_name: row.organization_id ? (names.get(row.organization_id) ?? null) : null,
        },
        additional.get(row.id),
      ),
    );
  }

  async update(
    principal: Principal,
    id: string,
    patch: CustomerUpdate,
    ifMatch?: number,
    trx?: Transaction<Database>,
    options: ChangeOptions = {},
  ): Promise<Customer> {
    const accountId = principal.accountId;
    const db = trx ?? this.db;
    const settings = await this.settings(accountId, db);
    const { ids, attributes } = await this.resolveInput(db, accountId, settings, patch);
    const expected = patch.version ?? ifMatch;
    return this.withIdentityConflicts(accountId, identityFields(ids), trx, async (tx) => {
      // Held until the change commits, as a merge holds both its customers: a change racing a
      // merge of this customer waits for it and is refused as one on the pointer (issue 15).
      await repo.lockCustomerRow(tx, accountId, id);
      const current = await repo.findCustomer(tx, accountId, id, principal.scope);
      if (!current) throw new NotFoundError('customer', id);
      if (current.status === MERGED) throw customerMergedError(current);
      // A contact is edited from its organization: one that left it is not found there.
      if (options.organizationId && current.organization_id !== options.organizationId)
        throw new NotFoundError('contact', id);
      // Deactivating and reactivating are what common/permissions.ts calls deleting a customer;
      // checked on the change, so an edit that repeats the current status is only an edit.
      if (patch.status !== undefined && patch.status !== current.status)
        requirePermission(principal, options.statusPermission ?? 'customers.delete');
      if (expected !== undefined && expected !== Number(current.version)) {
        throw new ConflictError(
          'version_conflict',
          `The customer was changed by someone else (version ${current.version}, not ${expected}); reload and try again`,
          { currentVersion: Number(current.version) },
        );
      }
      await this.checkReferences(tx, accountId, patch);
      const now = nowIso();
      const resolved: CustomerPatch = {
        firstName: patch.firstName === undefined ? undefined : patch.firstName?.trim() || null,
        lastName: patch.lastName === undefined ? undefined : patch.lastName?.trim() || null,
        email: ids.email,
        phone: ids.phone,
        additionalEmails: ids.additionalEmails,
        additionalPhones: ids.additionalPhones,
        status: patch.status,
        organizationId: patch.organizationId,
        typeId: patch.typeId,
        defaultLocationId: patch.defaultLocationId,
        customAttributes: attributes,
        hubAccess: patch.hubAccess,
      };
      // The same rule as on create and in the import: the organization named in this change (or
      // kept while the email changes) takes the company domain while it has none. Before the
      // domain match below, so a new address does not move the customer to an automatic one.
      const named =
        patch.organizationId === undefined ? current.organization_id : patch.organizationId;
      const emailAfter = ids.email !== undefined ? ids.email : current.email;
      const emailChanged = Boolean(ids.email) && ids.email !== current.email;
      if (named && emailAfter && (patch.organizationId || emailChanged))
        await adoptDomainForNamedOrganization(tx, accountId, named, emailAfter, settings, now);
      if (resolved.organizationId === undefined && ids.email && ids.email !== current.email) {
        const matched = await findOrganizationForEmail(tx, accountId, ids.email, settings, now);
        if (matched) resolved.organizationId = matched;
      }
      const organizationAfter =
        resolved.organizationId !== undefined ? resolved.organizationId : current.organization_id;

      const locationAfter =
        patch.defaultLocationId !== undefined
          ? patch.defaultLocationId
          : organizationAfter === current.organization_id
            ? current.default_location_id
            : null;
      // Moving a customer (by hand or by a new email's domain) must keep them in the scope.
      if (
        organizationAfter !== current.organization_id ||
        locationAfter !== current.default_location_id
      )
        requirePlacedInScope(principal.scope, organizationAfter, locationAfter);
      if (patch.defaultLocationId)
        await checkDefaultLocation(
          tx,
          accountId,
          resolved.organizationId !== undefined ? resolved.organizationId : current.organization_id,
          patch.defaultLocationId,
          current.default_location_id,
        );
      return this.present(tx, await this.applyPatch(tx, principal, current, resolved, now));
    });
  }

  /** Applies a resolved patch through the write model. Returns the row as it is after. */
  private async applyPatch(
    trx: Transaction<Database>,
    principal: Principal,
    current: CustomerRow,
    requested: CustomerPatch,
    now: string,
  ): Promise<CustomerRow> {
    const context = await this.writeContext(
      trx,
      principal,
      writeReferences(current, requested),
      now,
    );
    const additional = await repo.additionalIdentitiesOfOne(trx, current);
    // A list given whole is checked against the primary it will stand beside, and each value
    // named by where the request gave it, before an additional one becomes the primary.
    const given = {
      email: requested.email !== undefined ? requested.email : current.email,
      phone: requested.phone !== undefined ? requested.phone : current.phone,
      additionalEmails: requested.additionalEmails ?? [],
      additionalPhones: requested.additionalPhones ?? [],
    };
    checkIdentitySets(given);
    const fields = identityFields(given);
    const write = buildChange(
      context,
      current,
      promoteWhereNoPrimary(requested, current, additional),
      additional,
    );
    if (!write) return current;
    await this.assertIdentitiesFree(
      trx,
      principal.accountId,
      new Map(
        write.addIdentities.map((identity) => {
          const key = `${identity.kind}:${identity.value}`;
          return [key, fields.get(key) ?? identity.kind];
        }),
      ),
      current.id,
    );
    await repo.writeCustomer(trx, write);
    return write.row;
  }

  /**
   * Links an existing customer to an organization as its contact (the confirmed answer to
   * `email_belongs_to_customer`): one change, one audit entry, moving them in and, when they were
   * deactivated, making them active again, since an agent just asked for them as a contact.
   */
  async linkToOrganization(
    principal: Principal,
    customerId: string,
    organizationId: string,
  ): Promise<Customer> {
    const accountId = principal.accountId;
    return this.db.transaction().execute(async (tx) => {
      await lockLiveOrganization(tx, accountId, organizationId);
      requirePlacedInScope(principal.scope, organizationId, null);
      await repo.lockCustomerRow(tx, accountId, customerId);
      const current = await repo.findCustomer(tx, accountId, customerId, principal.scope);
      if (!current || current.status === ERASING) throw new NotFoundError('customer', customerId);
      if (current.status === MERGED) throw customerMergedError(current);
      const row = await this.applyPatch(
        tx,
        principal,
        current,
        { organizationId, status: 'active' },
        nowIso(),
      );
      return this.present(tx, row);
    });
  }

  /**
   * Moves customers into an organization (or none), auditing each; in the caller's transaction
   * when given one (deleting an organization moves its customers out in the same one, and says
   * so with `reason`: those moves follow from a deletion the scope already allowed). A customer
   * out of the principal's scope is one that does not exist.
   */
  async moveToOrganization(
    principal: Principal,
    customerIds: string[],
    organizationId: string | null,
    trx?: Transaction<Database>,
    reason: 'move' | 'organization_deleted' = 'move',
  ): Promise<number> {
    const accountId = principal.accountId;
    return inTransaction(this.db, trx, async (tx) => {
      await this.checkMoveTarget(tx, principal, organizationId, reason);
      const rows = await repo.findCustomers(
        tx,
        accountId,
        [...new Set(customerIds)],
        principal.scope,
      );
      // Named one by one, a merged-away customer is refused (issue 15), not skipped: the caller
      // moves the survivor. One merged meanwhile fails the write on its version (a 409 too).
      const merged = rows.find((row) => row.status === MERGED);
      if (merged) throw customerMergedError(merged);
      const found = new Set(rows.map((r) => r.id));
      const missing = customerIds.filter((id) => !found.has(id));
      if (missing.length) {
        throw new ValidationError(
          missing
            .slice(0, 20)
            .map((id) => fieldError('customerIds', 'unknown_reference', `no customer ${id}`)),
        );
      }
      return (await this.changeEach(tx, principal, rows, { organizationId })).length;
    });
  }

  private async checkMoveTarget(
    tx: Transaction<Database>,
    principal: Principal,
    organizationId: string | null,
    reason: 'move' | 'organization_deleted',
  ): Promise<void> {
    const accountId = principal.accountId;
    // Held until the move commits; one merged away is a 409 naming its survivor (issue 15).
    if (organizationId) await lockLiveOrganization(tx, accountId, organizationId);
    // The organization in the path is not found out of the mover's scope, as on every other
    // organization route: a 422 here would tell a scoped agent that the id exists.
    if (organizationId && reason === 'move')
      await requireInScope(tx, principal.scope, accountId, 'organization', organizationId);
    if (reason === 'move') requirePlacedInScope(principal.scope, organizationId, null);
  }

  /**
   * A bulk action's batch (issue 16, customer-bulk.service.ts): one status or organization for
   * these customers, each written through the write model with its audit entry. Customers out
   * of the scope, merged away or gone since are left out, not refused: a batch of a filter may
   * meet one erased meanwhile. Returns the rows as they were before, of those it changed, so an
   * undo can put back exactly what this changed.
   */
  async changeMany(
    principal: Principal,
    customerIds: string[],
    patch: { status: CustomerStatus } | { organizationId: string | null },
    trx: Transaction<Database>,
  ): Promise<CustomerRow[]> {
    if ('status' in patch) requirePermission(principal, 'customers.delete');
    else await this.checkMoveTarget(trx, principal, patch.organizationId, 'move');
    const rows = await repo.findCustomers(
      trx,
      principal.accountId,
      [...new Set(customerIds)],
      principal.scope,
    );
    return this.changeEach(trx, principal, rows, patch);
  }

  /**
   * Takes a customer type off every customer that has it (the type is being deleted), auditing
   * each, in the caller's transaction.
   */
  async clearType(
    principal: Principal,
    typeId: string,
    trx: Transaction<Database>,
  ): Promise<number> {
    const rows = await repo.customersOfType(trx, principal.accountId, typeId);
    return (await this.changeEach(trx, principal, rows, { typeId: null })).length;
  }

  /**
   * One patch for many customers: one write context, a write (and audit entry) each. Returns
   * the changed customers' rows as they were before.
   */
  private async changeEach(
    trx: Transaction<Database>,
    principal: Principal,
    rows: CustomerRow[],
    patch: CustomerPatch,
  ): Promise<CustomerRow[]> {
    const ids = new Set(rows.flatMap((row) => writeReferences(row, patch)));
    const context = await this.writeContext(trx, principal, [...ids], nowIso());
    const additional = await repo.additionalIdentitiesOf(trx, principal.accountId, rows);
    const changed: CustomerRow[] = [];
    const writes: CustomerWrite[] = [];
    for (const row of rows) {
      // A merged-away customer is only a pointer now: it is never changed (issue 15).
      if (row.status === MERGED) continue;
      const write = buildChange(context, row, patch, additional.get(row.id) ?? NONE);
      if (!write) continue;
      writes.push(write);
      changed.push(row);
    }
    await repo.writeCustomers(trx, writes);
    return changed;
  }

  /**
   * These customers as the list shows them, newest first: those the principal may see (scope),
   * never a merged or erasing one; a selection none of which is visible is a 404 (issue 16: the
   * console's export of the selected customers).
   */
  async listByIds(principal: Principal, customerIds: string[]): Promise<Customer[]> {
    const rows = (
      await repo.findCustomers(
        this.db,
        principal.accountId,
        [...new Set(customerIds)],
        principal.scope,
      )
    ).filter((row) => row.status === 'active' || row.status === 'deactivated');
    if (rows.length === 0) throw new NotFoundError('customer', customerIds[0] ?? '');
    rows.sort((a, b) => Number(b.number) - Number(a.number));
    return this.presentMany(this.db, principal.accountId, rows);
  }

  /** A page of the list in the requested sort, walked along its index (customer-list.ts). */
  async list(
    principal: Principal,
    query: CustomerListQuery,
  ): Promise<Page<Customer> & { previousCursor?: string }> {
    const search = query.q ? foldQuery(query.q) || undefined : undefined;
    const walk = listWalk(query, search !== undefined);
    const filter: repo.CustomerFilter = {
      status: query.status,
      search,
      organizationId: query.organizationId,
      typeId: query.typeId,
      scope: principal.scope,
    };
    if (search && this.dialect === 'sqlite') {
      const candidates = await repo.ftsCandidates(this.db, search);
      if (candidates && candidates.length <= repo.FTS_DIRECT_LIMIT) filter.rowids = candidates;
    }
    const [rows, counted] = await Promise.all([
      listSortedRows(
        this.db,
        this.dialect,
        principal.accountId,
        filter,
        walk.walk,
        query.limit + 1,
      ),
      this.total(principal.accountId, filter),
    ]);
    const { total, capped } = counted;
    const page = pageOf(walk, query, rows, query.limit);
    const items = await this.presentMany(this.db, principal.accountId, page.rows);
    return {
      items,
      total,
      ...(capped ? { totalCapped: true } : {}),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      ...(page.previousCursor ? { previousCursor: page.previousCursor } : {}),
    };
  }

  /**
   * Totals: kept counters for the plain lists (exact), a count that stops past COUNT_CAP for
   * searches, filters and a scoped agent (the counters are account-wide; the scope's customers
   * are a union of index lookups, so the capped count stays cheap).
   */
  private async total(
    accountId: string,
    filter: repo.CustomerFilter,
  ): Promise<{ total: number; capped: boolean }> {
    if (!filter.search && !filter.organizationId && !filter.typeId && filter.scope.all) {
      if (filter.status !== 'all')
        return { total: await repo.statusTotal(this.db, accountId, filter.status), capped: false };
      const [active, deactivated] = await Promise.all([
        repo.statusTotal(this.db, accountId, 'active'),
        repo.statusTotal(this.db, accountId, 'deactivated'),
      ]);
      return { total: active + deactivated, capped: false };
    }
    const counted = await repo.countCustomers(this.db, this.dialect, accountId, filter, COUNT_CAP);
    return counted > COUNT_CAP
      ? { total: COUNT_CAP, capped: true }
      : { total: counted, capped: false };
  }

  /** The trail, newest first, as a person reads it (customer-trail.ts). */
  auditTrail(
    principal: Principal,
    customerId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditEntry>> {
    return readTrail(this.db, principal.accountId, customerId, limit, cursor, principal.scope);
  }

  private async assertIdentitiesFree(
    trx: Conn,
    accountId: string,
    ids: IdentityFields,
    self: string | null,
  ) {
    for (const [key, field] of ids) {
      const [kind, value] = splitKey(key);
      const owner = await repo.findIdentityOwner(trx, accountId, kind, value);
      if (owner && owner !== self) throw identityTaken(kind, value, owner, field);
    }
  }

  /**
   * Runs a write in the caller's transaction (under a savepoint) or a new one; when a concurrent
   * writer took one of the identities first, the unique key refuses it and the caller gets the
   * same 409 a sequential writer would.
   */
  private async withIdentityConflicts<T>(
    accountId: string,
    ids: IdentityFields,
    outer: Transaction<Database> | undefined,
    work: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    try {
      return await (outer ? withSavepoint(outer, work) : this.db.transaction().execute(work));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const [key, field] of ids) {
        const [kind, value] = splitKey(key);
        const owner = await repo.findIdentityOwner(outer ?? this.db, accountId, kind, value);
        if (owner) throw identityTaken(kind, value, owner, field);
      }
      throw error;
    }
  }
}

const NONE: repo.AdditionalIdentities = { emails: [], phones: [] };

/**
 * A customer holds a primary of a kind whenever it holds any of that kind: with the primary
 * left empty (never given, or removed), the first additional one becomes it.
 */
function promoteWhereNoPrimary<P extends CustomerPatch>(
  patch: P,
  current: { email: string | null; phone: string | null },
  additional: repo.AdditionalIdentities,
): P {
  let promoted = patch;
  for (const [kind, key, have] of [
    ['email', 'additionalEmails', additional.emails],
    ['phone', 'additionalPhones', additional.phones],
  ] as const) {
    const primary = promoted[kind] !== undefined ? promoted[kind] : current[kind];
    const list = promoted[key] ?? have;
    if (!primary && list.length) promoted = { ...promoted, [kind]: list[0], [key]: list.slice(1) };
  }
  return promoted;
}

/** Each identity a request gives, keyed kind:value, with the field it was given in. */
function identityFields(ids: Partial<Identities>): IdentityFields {
  const fields: IdentityFields = new Map();
  if (ids.email) fields.set(`email:${ids.email}`, 'email');
  if (ids.phone) fields.set(`phone:${ids.phone}`, 'phone');
  ids.additionalEmails?.forEach((v, i) => fields.set(`email:${v}`, `additionalEmails.${i}`));
  ids.additionalPhones?.forEach((v, i) => fields.set(`phone:${v}`, `additionalPhones.${i}`));
  return fields;
}

function splitKey(key: string): [IdentityKind, string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon) as IdentityKind, key.slice(colon + 1)];
}

/**
 * An additional address or number given twice, or equal to the primary, is a 400 naming the
 * item: the customer would hold one identity twice, and customer_identities cannot.
 */
function checkIdentitySets(ids: Identities) {
  const errors = [
    ...identitySetProblems('email', ids.email, ids.additionalEmails),
    ...identitySetProblems('phone', ids.phone, ids.additionalPhones),
  ].map((problem) =>
    problem.twice
      ? fieldError(problem.field, 'listed_twice', `${problem.value} is listed twice`, {
          item: problem.value,
        })
      : fieldError(
          problem.field,
          'same_as_primary',
          `${problem.value} is already the primary ${problem.field.startsWith('additionalEmails') ? 'email address' : 'mobile number'}`,
        ),
  );
  if (errors.length) throw new ValidationError(errors);
}

function identityTaken(
  kind: IdentityKind,
  value: string,
  existingCustomerId: string,
  field: string = kind,
) {
  const label = kind === 'email' ? 'email address' : 'mobile number';
  return new ConflictError(
    `customer_${kind}_taken`,
    `Another customer already has the ${label} ${value}`,
    {
      existingCustomerId,
      errors: [fieldError(field, 'already_used', 'already used by another customer')],
    },
  );
}
