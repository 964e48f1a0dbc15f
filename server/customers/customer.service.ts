// The rules for customers: identities are normalized and unique per account, organizations come
// from the email domain, custom attributes are checked against the account's fields, every change
// is audited in the same transaction, stale edits are refused, lists page by keyset.
import type { Kysely, Transaction } from 'kysely';
import type {
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerUpdate,
} from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import type { FieldError } from '../../common/problem.ts';
import type { AccountSettings } from '../../common/settings.ts';
import { accountSettingsSchema } from '../../common/settings.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import { findCustomerType, listTypeRows } from '../customer-types/customer-type.repository.ts';
import { findImport } from '../imports/import.repository.ts';
import type { Dialect } from '../db/connect.ts';
import { reserveNumbers } from '../db/counters.ts';
import type { CustomerRow, CustomerRowUpdate, Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { findOrganizationForEmail } from '../organizations/organization-matching.ts';
import { findOrganization, organizationNames } from '../organizations/organization.repository.ts';
import {
  auditAction,
  creationChanges,
  diffCustomer,
  type Changes,
  type ResolvedPatch,
} from './customer-diff.ts';
import * as repo from './customer.repository.ts';
import { creationEntry, valuesAtCreation } from './customer-history.ts';
import { splitName } from './names.ts';
import {
  customerSearchText,
  emailDomain,
  foldQuery,
  normalizeEmail,
  normalizePhone,
  type IdentityKind,
} from './identity.ts';

export type CreatedVia = 'agent' | 'api' | 'email' | 'sms' | 'hub' | 'import';

interface Identities {
  email: string | null;
  phone: string | null;
}

type Conn = Kysely<Database> | Transaction<Database>;

/** Searches and filtered lists count at most this many matches (and say so with totalCapped). */
export const COUNT_CAP = 10_000;

export class CustomerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly customFields: CustomFieldService,
  ) {}

  async settings(accountId: string): Promise<AccountSettings> {
    return (await findAccount(this.db, accountId))?.settings ?? accountSettingsSchema.parse({});
  }

  /** Normalizes email and phone, and checks custom attributes; one error lists every bad field. */
  private async resolveInput(
    accountId: string,
    settings: AccountSettings,
    input: {
      email?: string | null;
      phone?: string | null;
      customAttributes?: Customer['customAttributes'];
    },
  ): Promise<{ ids: Partial<Identities>; attributes?: Customer['customAttributes'] }> {
    const ids: Partial<Identities> = {};
    const errors: FieldError[] = [];
    const identity = (kind: IdentityKind, raw: string | null | undefined) => {
      if (raw === undefined) return;
      if (raw === null || raw.trim() === '') return void (ids[kind] = null);
      const result =
        kind === 'email' ? normalizeEmail(raw) : normalizePhone(raw, settings.phoneDefaultCountry);
      if (result.ok) ids[kind] = result.value;
      else errors.push({ field: kind, message: result.reason });
    };
    identity('email', input.email);
    identity('phone', input.phone);
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
    if (refs.organizationId && !(await findOrganization(trx, accountId, refs.organizationId))) {
      errors.push({ field: 'organizationId', message: 'no such organization' });
    }
    if (refs.typeId && !(await findCustomerType(trx, accountId, refs.typeId))) {
      errors.push({ field: 'typeId', message: 'no such customer type' });
    }
    if (errors.length) throw new ValidationError(errors);
  }

  async create(principal: Principal, input: CustomerCreate, via: CreatedVia): Promise<Customer> {
    const accountId = principal.accountId;
    const settings = await this.settings(accountId);
    const { ids, attributes } = await this.resolveInput(accountId, settings, {
      ...input,
      customAttributes: input.customAttributes ?? {},
    });
    const fields = {
      firstName: input.firstName?.trim() || null,
      lastName: input.lastName?.trim() || null,
      email: ids.email ?? null,
      phone: ids.phone ?? null,
    };
    if (!fields.email && !fields.phone) {
      throw new ValidationError([
        { field: 'email', message: 'an email address or a mobile number is required' },
      ]);
    }
    const customAttributes = attributes ?? {};
    const row = await this.withIdentityConflicts(accountId, fields, async (trx) => {
      await this.checkReferences(trx, accountId, input);
      await this.assertIdentitiesFree(trx, accountId, fields, null);
      const now = nowIso();
      const organizationId =
        input.organizationId !== undefined
          ? input.organizationId
          : fields.email
            ? await findOrganizationForEmail(trx, accountId, fields.email, settings, now)
            : null;
      const row: CustomerRow = {
        account_id: accountId,
        id: newId(),
        number: await reserveNumbers(trx, accountId, 'customer'),
        first_name: fields.firstName,
        last_name: fields.lastName,
        email: fields.email,
        phone: fields.phone,
        custom_attributes: JSON.stringify(customAttributes),
        status: 'active',
        created_via: via,
        search_text: customerSearchText(fields),
        last_activity_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
        organization_id: organizationId,
        type_id: input.typeId ?? null,
        email_domain: fields.email ? emailDomain(fields.email) : null,
        import_id: null,
        import_row: null,
        created_import_id: null,
        created_import_row: null,
      };
      await repo.insertCustomer(trx, row);
      await repo.adjustStatusTotals(trx, accountId, { active: 1 });
      for (const kind of ['email', 'phone'] as const) {
        const value = fields[kind];
        if (value)
          await repo.insertIdentity(trx, accountId, {
            kind,
            value,
            customerId: row.id,
            createdAt: now,
          });
      }
      const changes = creationChanges(
        { ...fields, organizationId, typeId: row.type_id },
        customAttributes,
      );
      await this.audit(trx, principal, row.id, 'created', changes, now);
      return row;
    });
    return this.present(row);
  }

  /**
   * Which customer sent this: the one place that decides it for email, SMS, the Hub and the API.
   * Matched on the normalized email or E.164 number; an unknown sender becomes a customer named
   * from the display name. Under concurrency the identities' unique key lets one writer create
   * the customer and every other writer gets that same customer back; no message is refused.
   */
  async findOrCreateBySender(
    principal: Principal,
    sender: { email?: string | null; phone?: string | null; name?: string | null },
    via: CreatedVia,
  ): Promise<{ customer: Customer; created: boolean }> {
    const accountId = principal.accountId;
    const settings = await this.settings(accountId);
    const { ids } = await this.resolveInput(accountId, settings, {
      email: sender.email ?? undefined,
      phone: sender.phone ?? undefined,
    });
    const kind: IdentityKind | undefined = ids.email ? 'email' : ids.phone ? 'phone' : undefined;
    const value = kind ? ids[kind] : undefined;
    if (!kind || !value)
      throw new ValidationError([
        { field: 'email', message: 'an email address or a mobile number is required' },
      ]);
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner = await repo.findIdentityOwner(this.db, accountId, kind, value);
      if (owner) return { customer: await this.get(principal, owner), created: false };
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
        );
        return { customer, created: true };
      } catch (error) {
        const existing =
          error instanceof ConflictError ? error.extra.existingCustomerId : undefined;
        if (typeof existing === 'string')
          return { customer: await this.get(principal, existing), created: false };
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

  async get(principal: Principal, id: string): Promise<Customer> {
    const row = await repo.findCustomer(this.db, principal.accountId, id);
    if (!row) throw new NotFoundError('customer', id);
    return this.present(row);
  }

  private async present(row: CustomerRow): Promise<Customer> {
    const [customer] = await this.presentMany(row.account_id, [row]);
    return customer as Customer;
  }

  private async presentMany(accountId: string, rows: CustomerRow[]): Promise<Customer[]> {
    const ids = [
      ...new Set(rows.map((r) => r.organization_id).filter((id): id is string => id !== null)),
    ];
    const names = await organizationNames(this.db, accountId, ids);
    return rows.map((row) =>
      repo.customerRowToCustomer({
        ...row,
        organization_name: row.organization_id ? (names.get(row.organization_id) ?? null) : null,
      }),
    );
  }

  async update(
    principal: Principal,
    id: string,
    patch: CustomerUpdate,
    ifMatch?: number,
  ): Promise<Customer> {
    const accountId = principal.accountId;
    const settings = await this.settings(accountId);
    const { ids, attributes } = await this.resolveInput(accountId, settings, patch);
    const expected = patch.version ?? ifMatch;
    const row = await this.withIdentityConflicts(accountId, ids, async (trx) => {
      const current = await repo.findCustomer(trx, accountId, id);
      if (!current) throw new NotFoundError('customer', id);
      // Deactivating and reactivating are what common/permissions.ts calls deleting a customer;
      // checked on the change, so an edit that repeats the current status is only an edit.
      if (patch.status !== undefined && patch.status !== current.status)
        requirePermission(principal, 'customers.delete');
      if (expected !== undefined && expected !== Number(current.version)) {
        throw new ConflictError(
          'version_conflict',
          `The customer was changed by someone else (version ${current.version}, not ${expected}); reload and try again`,
          { currentVersion: Number(current.version) },
        );
      }
      await this.checkReferences(trx, accountId, patch);
      const now = nowIso();
      const resolved: ResolvedPatch = {
        firstName: patch.firstName === undefined ? undefined : patch.firstName?.trim() || null,
        lastName: patch.lastName === undefined ? undefined : patch.lastName?.trim() || null,
        email: ids.email,
        phone: ids.phone,
        status: patch.status,
        organizationId: patch.organizationId,
        typeId: patch.typeId,
        customAttributes: attributes,
      };
      if (resolved.organizationId === undefined && ids.email && ids.email !== current.email) {
        const matched = await findOrganizationForEmail(trx, accountId, ids.email, settings, now);
        if (matched) resolved.organizationId = matched;
      }
      return this.applyPatch(trx, principal, current, resolved, now);
    });
    return this.present(row);
  }

  /** Applies a resolved patch: identities, row, audit. Returns the row as it is after. */
  private async applyPatch(
    trx: Transaction<Database>,
    principal: Principal,
    current: CustomerRow,
    patch: ResolvedPatch,
    now: string,
  ) {
    const accountId = principal.accountId;
    const { set, changes } = diffCustomer(current, patch);
    if (Object.keys(changes).length === 0) return current;
    const next = {
      email: patch.email !== undefined ? patch.email : current.email,
      phone: patch.phone !== undefined ? patch.phone : current.phone,
    };
    if (!next.email && !next.phone) {
      throw new ValidationError([
        { field: 'email', message: 'a customer needs an email address or a mobile number' },
      ]);
    }
    await this.replaceIdentities(trx, accountId, current, next);
    const updated: CustomerRowUpdate = {
      ...set,
      updated_at: now,
      email_domain: next.email ? emailDomain(next.email) : null,
      search_text: customerSearchText({
        firstName: set.first_name !== undefined ? set.first_name : current.first_name,
        lastName: set.last_name !== undefined ? set.last_name : current.last_name,
        ...next,
      }),
    };
    const version = Number(current.version);
    if (!(await repo.updateCustomerRow(trx, accountId, current.id, version, updated))) {
      throw new ConflictError(
        'version_conflict',
        'The customer was changed at the same time; reload and try again',
      );
    }
    if (changes.status) {
      const from = current.status as 'active' | 'deactivated';
      const to = patch.status as 'active' | 'deactivated';
      await repo.adjustStatusTotals(trx, accountId, { [from]: -1, [to]: 1 });
    }
    await this.audit(trx, principal, current.id, auditAction(changes, patch.status), changes, now);
    return { ...current, ...updated, version: version + 1 };
  }

  /** Moves customers into an organization (or none) in one transaction, auditing each. */
  async moveToOrganization(
    principal: Principal,
    customerIds: string[],
    organizationId: string | null,
  ): Promise<number> {
    const accountId = principal.accountId;
    return this.db.transaction().execute(async (trx) => {
      if (organizationId && !(await findOrganization(trx, accountId, organizationId))) {
        throw new NotFoundError('organization', organizationId);
      }
      const rows = await repo.findCustomers(trx, accountId, [...new Set(customerIds)]);
      const found = new Set(rows.map((r) => r.id));
      const missing = customerIds.filter((id) => !found.has(id));
      if (missing.length) {
        throw new ValidationError(
          missing
            .slice(0, 20)
            .map((id) => ({ field: 'customerIds', message: `no customer ${id}` })),
        );
      }
      const now = nowIso();
      let moved = 0;
      for (const row of rows) {
        const after = await this.applyPatch(trx, principal, row, { organizationId }, now);
        if (after !== row) moved += 1;
      }
      return moved;
    });
  }

  async list(principal: Principal, query: CustomerListQuery): Promise<Page<Customer>> {
    const before = query.cursor
      ? decodeCursor(query.cursor, (v): v is { n: number } => typeof v.n === 'number').n
      : undefined;
    const search = query.q ? foldQuery(query.q) || undefined : undefined;
    const filter: repo.CustomerFilter = {
      status: query.status,
      search,
      organizationId: query.organizationId,
      typeId: query.typeId,
    };
    if (search && this.dialect === 'sqlite') {
      const candidates = await repo.ftsCandidates(this.db, search);
      if (candidates && candidates.length <= repo.FTS_DIRECT_LIMIT) filter.rowids = candidates;
    }
    const [rows, counted] = await Promise.all([
      repo.listCustomerRows(
        this.db,
        this.dialect,
        principal.accountId,
        { ...filter, beforeNumber: before },
        query.limit + 1,
      ),
      this.total(principal.accountId, filter),
    ]);
    const { total, capped } = counted;
    const items = await this.presentMany(principal.accountId, rows.slice(0, query.limit));
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(capped ? { totalCapped: true } : {}),
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ n: last.number }) }
        : {}),
    };
  }

  /**
   * Totals: kept counters for the plain lists (exact), a count that stops past COUNT_CAP for
   * searches and filters.
   */
  private async total(
    accountId: string,
    filter: repo.CustomerFilter,
  ): Promise<{ total: number; capped: boolean }> {
    if (!filter.search && !filter.organizationId && !filter.typeId) {
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

  async auditTrail(
    principal: Principal,
    customerId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditEntry>> {
    const { accountId } = principal;
    const customer = await repo.findCustomer(this.db, accountId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    const before = cursor
      ? decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string').id
      : undefined;
    const [rows, stored] = await Promise.all([
      repo.listAudit(this.db, accountId, customerId, limit + 1, before),
      repo.countAudit(this.db, accountId, customerId),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const derived = customer.created_import_id ? 1 : 0;
    const total = stored + derived;
    if (rows.length > limit || (derived && items.length === limit && last))
      return { items, total, nextCursor: encodeCursor({ id: (last as AuditEntry).id }) };
    if (derived) items.push(await this.importCreation(customer));
    return { items, total };
  }

  /** The "created" entry of a customer an import created (customer-history.ts). */
  private async importCreation(customer: CustomerRow): Promise<AuditEntry> {
    const accountId = customer.account_id;
    const importId = customer.created_import_id ?? '';
    const later = await repo.listAudit(this.db, accountId, customer.id, 10_000);
    const values = valuesAtCreation(customer, later);
    const organizationIds = [customer.organization_id, values.organizationId].filter(
      (id): id is string => typeof id === 'string',
    );
    const organizations = await organizationNames(this.db, accountId, organizationIds);
    const types = new Map(
      (await listTypeRows(this.db, accountId)).map((t) => [t.id, t.name] as const),
    );
    const record = await findImport(this.db, accountId, importId);
    return creationEntry(
      customer,
      values,
      { organization: (id) => organizations.get(id), type: (id) => types.get(id) },
      {
        importId,
        filename: record?.filename ?? null,
        actor: {
          type: record?.created_by ? 'user' : 'system',
          id: record?.created_by ?? null,
          name: `${record?.created_by_name ?? 'Kunde'} (CSV import)`,
        },
      },
    );
  }

  private audit(
    trx: Transaction<Database>,
    principal: Principal,
    customerId: string,
    action: string,
    changes: Changes,
    at: string,
  ) {
    return repo.insertAudit(trx, principal.accountId, {
      id: newId(),
      customerId,
      action,
      actor: { type: principal.type, id: principal.userId, name: principal.name },
      changes,
      createdAt: at,
    });
  }

  private async assertIdentitiesFree(
    trx: Conn,
    accountId: string,
    ids: Partial<Identities>,
    self: string | null,
  ) {
    for (const kind of ['email', 'phone'] as const) {
      const value = ids[kind];
      if (!value) continue;
      const owner = await repo.findIdentityOwner(trx, accountId, kind, value);
      if (owner && owner !== self) throw identityTaken(kind, value, owner);
    }
  }

  private async replaceIdentities(
    trx: Transaction<Database>,
    accountId: string,
    current: CustomerRow,
    next: Identities,
  ) {
    const now = nowIso();
    for (const kind of ['email', 'phone'] as const) {
      const before = current[kind];
      const after = next[kind];
      if (before === after) continue;
      if (after) await this.assertIdentitiesFree(trx, accountId, { [kind]: after }, current.id);
      if (before) await repo.deleteIdentity(trx, accountId, current.id, kind, before);
      if (after)
        await repo.insertIdentity(trx, accountId, {
          kind,
          value: after,
          customerId: current.id,
          createdAt: now,
        });
    }
  }

  /**
   * Runs a write in a transaction; when a concurrent writer took one of the identities first,
   * the unique key refuses it and the caller gets the same 409 a sequential writer would.
   */
  private async withIdentityConflicts<T>(
    accountId: string,
    ids: Partial<Identities>,
    work: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const kind of ['email', 'phone'] as const) {
        const value = ids[kind];
        const owner = value
          ? await repo.findIdentityOwner(this.db, accountId, kind, value)
          : undefined;
        if (value && owner) throw identityTaken(kind, value, owner);
      }
      throw error;
    }
  }
}

function identityTaken(kind: IdentityKind, value: string, existingCustomerId: string) {
  const label = kind === 'email' ? 'email address' : 'mobile number';
  return new ConflictError(
    `customer_${kind}_taken`,
    `Another customer already has the ${label} ${value}`,
    {
      existingCustomerId,
      errors: [{ field: kind, message: 'already used by another customer' }],
    },
  );
}
