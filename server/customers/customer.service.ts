// The rules for customers: identities are normalized and unique per account, every change is
// audited in the same transaction, stale edits are refused, lists page by keyset.
import type { Kysely, Transaction } from 'kysely';
import type {
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerUpdate,
} from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { Principal } from '../agents/principal.ts';
import type { Dialect } from '../db/connect.ts';
import { reserveNumbers } from '../db/counters.ts';
import type { CustomerRow, CustomerRowUpdate, Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  isUniqueViolation,
} from '../http/errors.ts';
import { decodeCursor, encodeCursor } from '../http/paging.ts';
import * as repo from './customer.repository.ts';
import {
  customerSearchText,
  foldQuery,
  normalizeEmail,
  normalizePhone,
  type IdentityKind,
} from './identity.ts';

export type CreatedVia = 'agent' | 'api' | 'email' | 'sms' | 'hub' | 'import';

type Changes = AuditEntry['changes'];

interface Identities {
  email: string | null;
  phone: string | null;
}

export class CustomerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  private async phoneCountry(accountId: string): Promise<string> {
    const account = await findAccount(this.db, accountId);
    return account?.settings.phoneDefaultCountry ?? 'NO';
  }

  /** Normalizes the email and phone a caller gave; a ValidationError names each bad field. */
  private async normalizeIdentities(
    accountId: string,
    input: { email?: string | null; phone?: string | null },
  ): Promise<Partial<Identities>> {
    const result: Partial<Identities> = {};
    const errors = [];
    if (input.email !== undefined) {
      if (input.email === null || input.email === '') result.email = null;
      else {
        const email = normalizeEmail(input.email);
        if (email.ok) result.email = email.value;
        else errors.push({ field: 'email', message: email.reason });
      }
    }
    if (input.phone !== undefined) {
      if (input.phone === null || input.phone === '') result.phone = null;
      else {
        const phone = normalizePhone(input.phone, await this.phoneCountry(accountId));
        if (phone.ok) result.phone = phone.value;
        else errors.push({ field: 'phone', message: phone.reason });
      }
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return result;
  }

  async create(principal: Principal, input: CustomerCreate, via: CreatedVia): Promise<Customer> {
    const ids = await this.normalizeIdentities(principal.accountId, input);
    const email = ids.email ?? null;
    const phone = ids.phone ?? null;
    if (!email && !phone) {
      throw new ValidationError([
        { field: 'email', message: 'an email address or a mobile number is required' },
      ]);
    }
    const now = nowIso();
    const id = newId();
    const fields = {
      firstName: emptyToNull(input.firstName),
      lastName: emptyToNull(input.lastName),
      email,
      phone,
    };
    const customAttributes = input.customAttributes ?? {};
    const row = await this.withIdentityConflicts(principal.accountId, { email, phone }, (trx) =>
      this.insertWithin(trx, principal, { id, now, via, fields, customAttributes }),
    );
    return repo.customerRowToCustomer(row);
  }

  private async insertWithin(
    trx: Transaction<Database>,
    principal: Principal,
    c: {
      id: string;
      now: string;
      via: CreatedVia;
      fields: { firstName: string | null; lastName: string | null } & Identities;
      customAttributes: Customer['customAttributes'];
    },
  ): Promise<CustomerRow> {
    const accountId = principal.accountId;
    await this.assertIdentitiesFree(trx, accountId, c.fields, null);
    const number = await reserveNumbers(trx, accountId, 'customer');
    const row: CustomerRow = {
      account_id: accountId,
      id: c.id,
      number,
      first_name: c.fields.firstName,
      last_name: c.fields.lastName,
      email: c.fields.email,
      phone: c.fields.phone,
      custom_attributes: JSON.stringify(c.customAttributes),
      status: 'active',
      created_via: c.via,
      search_text: customerSearchText(c.fields),
      last_activity_at: null,
      created_at: c.now,
      updated_at: c.now,
      version: 1,
    };
    await repo.insertCustomer(trx, row);
    for (const kind of ['email', 'phone'] as const) {
      const value = c.fields[kind];
      if (value)
        await repo.insertIdentity(trx, accountId, {
          kind,
          value,
          customerId: c.id,
          createdAt: c.now,
        });
    }
    const changes: Changes = {};
    for (const [field, value] of Object.entries({ ...c.fields })) {
      if (value !== null) changes[field] = { from: null, to: value };
    }
    for (const [key, value] of Object.entries(c.customAttributes)) {
      changes[`customAttributes.${key}`] = { from: null, to: value };
    }
    await this.audit(trx, principal, c.id, 'created', changes, c.now);
    return row;
  }

  async get(principal: Principal, id: string): Promise<Customer> {
    const row = await repo.findCustomer(this.db, principal.accountId, id);
    if (!row) throw new NotFoundError('customer', id);
    return repo.customerRowToCustomer(row);
  }

  async update(
    principal: Principal,
    id: string,
    patch: CustomerUpdate,
    ifMatch?: number,
  ): Promise<Customer> {
    const accountId = principal.accountId;
    const ids = await this.normalizeIdentities(accountId, patch);
    const expected = patch.version ?? ifMatch;
    const row = await this.withIdentityConflicts(accountId, ids, async (trx) => {
      const current = await repo.findCustomer(trx, accountId, id);
      if (!current) throw new NotFoundError('customer', id);
      if (expected !== undefined && expected !== Number(current.version)) {
        throw new ConflictError(
          'version_conflict',
          `The customer was changed by someone else (version ${current.version}, not ${expected}); reload and try again`,
          { currentVersion: Number(current.version) },
        );
      }
      const { set, changes } = diffCustomer(current, patch, ids);
      if (Object.keys(changes).length === 0) return current;
      const next = {
        email: ids.email !== undefined ? ids.email : current.email,
        phone: ids.phone !== undefined ? ids.phone : current.phone,
      };
      if (!next.email && !next.phone) {
        throw new ValidationError([
          { field: 'email', message: 'a customer needs an email address or a mobile number' },
        ]);
      }
      await this.replaceIdentities(trx, accountId, id, current, next);
      const now = nowIso();
      const updated: CustomerRowUpdate = {
        ...set,
        updated_at: now,
        search_text: customerSearchText({
          firstName: set.first_name !== undefined ? set.first_name : current.first_name,
          lastName: set.last_name !== undefined ? set.last_name : current.last_name,
          ...next,
        }),
      };
      const version = Number(current.version);
      if (!(await repo.updateCustomerRow(trx, accountId, id, version, updated))) {
        throw new ConflictError(
          'version_conflict',
          'The customer was changed at the same time; reload and try again',
        );
      }
      const statusOnly = Object.keys(changes).length === 1 && changes.status;
      const action = statusOnly
        ? patch.status === 'deactivated'
          ? 'deactivated'
          : 'reactivated'
        : 'updated';
      await this.audit(trx, principal, id, action, changes, now);
      return { ...current, ...updated, version: version + 1 };
    });
    return repo.customerRowToCustomer(row);
  }

  async list(principal: Principal, query: CustomerListQuery): Promise<Page<Customer>> {
    const before = query.cursor
      ? decodeCursor(query.cursor, (v): v is { n: number } => typeof v.n === 'number').n
      : undefined;
    const search = query.q ? foldQuery(query.q) : undefined;
    const filter = { status: query.status, search: search || undefined };
    const [rows, total] = await Promise.all([
      repo.listCustomerRows(
        this.db,
        this.dialect,
        principal.accountId,
        { ...filter, beforeNumber: before },
        query.limit + 1,
      ),
      repo.countCustomers(this.db, this.dialect, principal.accountId, filter),
    ]);
    const items = rows.slice(0, query.limit).map(repo.customerRowToCustomer);
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ n: last.number }) }
        : {}),
    };
  }

  async auditTrail(
    principal: Principal,
    customerId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditEntry>> {
    await this.get(principal, customerId);
    const before = cursor
      ? decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string').id
      : undefined;
    const [rows, total] = await Promise.all([
      repo.listAudit(this.db, principal.accountId, customerId, limit + 1, before),
      repo.countAudit(this.db, principal.accountId, customerId),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(rows.length > limit && last ? { nextCursor: encodeCursor({ id: last.id }) } : {}),
    };
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
    trx: Transaction<Database>,
    accountId: string,
    ids: Partial<Identities>,
    self: string | null,
  ): Promise<void> {
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
    customerId: string,
    current: CustomerRow,
    next: Identities,
  ): Promise<void> {
    const now = nowIso();
    for (const kind of ['email', 'phone'] as const) {
      const before = current[kind];
      const after = next[kind];
      if (before === after) continue;
      if (after) {
        const owner = await repo.findIdentityOwner(trx, accountId, kind, after);
        if (owner && owner !== customerId) throw identityTaken(kind, after, owner);
      }
      if (before) await repo.deleteIdentity(trx, accountId, customerId, kind, before);
      if (after)
        await repo.insertIdentity(trx, accountId, {
          kind,
          value: after,
          customerId,
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

function emptyToNull(value: string | null | undefined): string | null {
  return value ? value : null;
}

function identityTaken(kind: IdentityKind, value: string, existingCustomerId: string) {
  const label = kind === 'email' ? 'email address' : 'mobile number';
  return new ConflictError(
    `customer_${kind}_taken`,
    `Another customer already has the ${label} ${value}`,
    { existingCustomerId, errors: [{ field: kind, message: `already used by another customer` }] },
  );
}

const COLUMN_OF = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  status: 'status',
} as const;

/** What a patch really changes, as column updates and as audit entries. */
function diffCustomer(
  current: CustomerRow,
  patch: CustomerUpdate,
  ids: Partial<Identities>,
): { set: CustomerRowUpdate; changes: Changes } {
  const set: CustomerRowUpdate = {};
  const changes: Changes = {};
  const wanted: Partial<Record<keyof typeof COLUMN_OF, string | null>> = {
    firstName: patch.firstName === undefined ? undefined : emptyToNull(patch.firstName),
    lastName: patch.lastName === undefined ? undefined : emptyToNull(patch.lastName),
    email: ids.email,
    phone: ids.phone,
    status: patch.status,
  };
  for (const [field, column] of Object.entries(COLUMN_OF) as [
    keyof typeof COLUMN_OF,
    (typeof COLUMN_OF)[keyof typeof COLUMN_OF],
  ][]) {
    const value = wanted[field];
    if (value === undefined || value === current[column]) continue;
    changes[field] = { from: current[column], to: value };
    (set as Record<string, unknown>)[column] = value;
  }
  if (patch.customAttributes) {
    const before = JSON.parse(current.custom_attributes) as Customer['customAttributes'];
    const after = patch.customAttributes;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[key] !== after[key]) {
        changes[`customAttributes.${key}`] = { from: before[key] ?? null, to: after[key] ?? null };
      }
    }
    if (Object.keys(changes).some((k) => k.startsWith('customAttributes.'))) {
      set.custom_attributes = JSON.stringify(after);
    }
  }
  return { set, changes };
}
