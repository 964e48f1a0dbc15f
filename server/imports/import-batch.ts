// Applies one batch of import rows inside the caller's transaction: decide create / update /
// unchanged / failed for each row, resolve organizations and types, then write in bulk.
// Duplicates inside the file are found through the customer's import_id/import_row (what the
// transaction wrote earlier in this import), so a crash and resume never imports a row twice.
import type { Kysely } from 'kysely';
import type { Customer } from '../../common/customer.ts';
import type { CustomField } from '../../common/custom-field.ts';
import type { AccountSettings } from '../../common/settings.ts';
import type { Value } from '../custom-fields/values.ts';
import {
  auditAction,
  diffCustomer,
  type Changes,
  type ResolvedPatch,
} from '../customers/customer-diff.ts';
import { customerSearchText, emailDomain } from '../customers/identity.ts';
import { reserveNumbers } from '../db/counters.ts';
import type {
  CustomerAuditTable,
  CustomerIdentityTable,
  CustomerRow,
  Database,
} from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { findOrganizationForEmail } from '../organizations/organization-matching.ts';
import {
  findOrganization,
  findOrganizationByName,
  insertOrganizationIfAbsent,
} from '../organizations/organization.repository.ts';
import { adjustStatusTotals, findCustomers } from '../customers/customer.repository.ts';
import * as repo from './import.repository.ts';
import type { CustomerDraft, RowError } from './row.ts';

export interface BatchContext {
  accountId: string;
  importId: string;
  mode: 'create' | 'upsert';
  dryRun: boolean;
  actor: { type: 'user' | 'token' | 'system'; id: string | null; name: string };
  settings: AccountSettings;
  requiredFields: CustomField[];
  /** Column headers for error reports. */
  columnOf: { email: string; phone: string; organization: string; type: string };
  typeByName: Map<string, { id: string; name: string }>;
  /** Organizations resolved so far in this import: "name:<key>" / "domain:<domain>". */
  organizations: Map<string, { id: string; name: string } | null>;
}

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

interface Plan {
  draft: CustomerDraft;
  existing?: CustomerRow;
  organization?: { id: string; name: string } | null;
  typeId?: string | null;
}

export async function applyBatch(
  db: Kysely<Database>,
  writer: repo.BulkSql,
  context: BatchContext,
  drafts: CustomerDraft[],
  parseErrors: RowError[],
): Promise<BatchCounts & { errors: RowError[]; identities: Map<string, number> }> {
  const { accountId, importId } = context;
  const errors: RowError[] = [...parseErrors];
  const failedRows = new Set(parseErrors.map((e) => e.row));
  const fail = (row: number, column: string, value: string | null, reason: string) => {
    errors.push({ row, column, value, reason });
    failedRows.add(row);
  };

  const emails = drafts.map((d) => d.email).filter((v): v is string => Boolean(v));
  const phones = drafts.map((d) => d.phone).filter((v): v is string => Boolean(v));
  const owners = await writer.identityOwners(accountId, emails, phones);
  const existing = new Map(
    (await findCustomers(db, accountId, [...new Set(owners.values())])).map((c) => [c.id, c]),
  );
  const earlier = context.dryRun
    ? await repo.seenKeys(db, accountId, importId, [
        ...emails.map((e) => `email:${e}`),
        ...phones.map((p) => `phone:${p}`),
      ])
    : new Map<string, number>();

  const inBatch = new Map<string, number>();
  const touched = new Map<string, number>();
  const plans: Plan[] = [];
  for (const draft of drafts) {
    const { row } = draft;
    const keys = [
      draft.email ? `email:${draft.email}` : null,
      draft.phone ? `phone:${draft.phone}` : null,
    ].filter((k): k is string => k !== null);
    if (keys.length === 0) {
      fail(row, context.columnOf.email, null, 'an email address or a mobile number is required');
      continue;
    }
    const duplicateOf = keys
      .map((k) => inBatch.get(k) ?? earlier.get(k))
      .find((r) => r !== undefined);
    if (duplicateOf !== undefined) {
      const kind = keys
        .find((k) => (inBatch.get(k) ?? earlier.get(k)) === duplicateOf)
        ?.startsWith('email')
        ? 'email address'
        : 'mobile number';
      fail(
        row,
        kind === 'email address' ? context.columnOf.email : context.columnOf.phone,
        draft[kind === 'email address' ? 'email' : 'phone'] ?? null,
        `same ${kind} as row ${duplicateOf}; the row was not imported twice`,
      );
      continue;
    }
    const ownerByEmail = draft.email ? owners.get(`email:${draft.email}`) : undefined;
    const ownerByPhone = draft.phone ? owners.get(`phone:${draft.phone}`) : undefined;
    if (ownerByEmail && ownerByPhone && ownerByEmail !== ownerByPhone) {
      const a = existing.get(ownerByEmail);
      const b = existing.get(ownerByPhone);
      fail(
        row,
        context.columnOf.phone,
        draft.phone ?? null,
        `the mobile number belongs to customer #${b?.number ?? '?'}, the email address to customer #${a?.number ?? '?'}`,
      );
      continue;
    }
    const ownerId = ownerByEmail ?? ownerByPhone;
    const current = ownerId ? existing.get(ownerId) : undefined;
    if (current) {
      const earlierRow =
        touched.get(current.id) ?? (current.import_id === importId ? current.import_row : null);
      if (earlierRow !== null && earlierRow !== undefined) {
        fail(
          row,
          ownerByEmail ? context.columnOf.email : context.columnOf.phone,
          (ownerByEmail ? draft.email : draft.phone) ?? null,
          `same customer as row ${earlierRow}; the row was not imported twice`,
        );
        continue;
      }
      if (context.mode === 'create') {
        fail(
          row,
          ownerByEmail ? context.columnOf.email : context.columnOf.phone,
          (ownerByEmail ? draft.email : draft.phone) ?? null,
          `customer #${current.number} already has this ${ownerByEmail ? 'email address' : 'mobile number'} (choose "create and update" to update it)`,
        );
        continue;
      }
    }
    let typeId: string | null | undefined;
    if (draft.typeName) {
      const type = context.typeByName.get(draft.typeName.toLowerCase());
      if (!type) {
        fail(
          row,
          context.columnOf.type,
          draft.typeName,
          `no customer type named "${draft.typeName}"`,
        );
        continue;
      }
      typeId = type.id;
    } else if (draft.typeName === null) typeId = null;
    if (!current) {
      const missing = context.requiredFields.find(
        (f) => draft.attributes[f.key] === undefined || draft.attributes[f.key] === null,
      );
      if (missing) {
        fail(row, missing.label, null, `${missing.label} is required`);
        continue;
      }
    }
    for (const key of keys) inBatch.set(key, row);
    if (current) touched.set(current.id, row);
    plans.push({ draft, existing: current, typeId });
  }

  // Organizations: by the name in the file, else by email domain for new customers and changed emails.
  const now = new Date().toISOString();
  for (const plan of plans) {
    const { draft } = plan;
    if (draft.organizationName)
      plan.organization = await organizationByName(db, context, draft.organizationName, now);
    else if (draft.organizationName === null) plan.organization = null;
    else if (draft.email && draft.email !== plan.existing?.email) {
      const byDomain = await organizationByDomain(db, context, draft.email, now);
      if (byDomain || !plan.existing) plan.organization = byDomain;
    }
  }

  const creates = plans.filter((p) => !p.existing);
  const counts: BatchCounts = { created: 0, updated: 0, unchanged: 0, failed: failedRows.size };
  await writeCreates(db, writer, context, creates, now);
  counts.created = creates.length;
  const updates: PlannedUpdate[] = [];
  for (const plan of plans.filter((p) => p.existing))
    updates.push(await planUpdate(db, context, plan, now));
  const changed = updates.filter((u) => u.row);
  await writer.updateCustomers(changed.map((u) => u.row as CustomerRow));
  await writer.insert(
    'customer_audit',
    changed.map((u) => u.audit as CustomerAuditTable),
  );
  await writer.markCustomers(
    accountId,
    importId,
    updates.filter((u) => !u.row).map((u) => u.mark),
  );
  counts.updated = changed.length;
  counts.unchanged = updates.length - changed.length;
  return { ...counts, errors, identities: inBatch };
}

async function organizationByName(
  db: Kysely<Database>,
  context: BatchContext,
  name: string,
  now: string,
) {
  const key = `name:${name.toLowerCase()}`;
  if (!context.organizations.has(key)) {
    await insertOrganizationIfAbsent(db, {
      account_id: context.accountId,
      id: newId(),
      name,
      name_key: name.toLowerCase(),
      notes: null,
      custom_fields: '{}',
      auto_created: 0,
      created_at: now,
      updated_at: now,
    });
    const found = await findOrganizationByName(db, context.accountId, name);
    context.organizations.set(key, found ? { id: found.id, name: found.name } : null);
  }
  return context.organizations.get(key) ?? null;
}

async function organizationByDomain(
  db: Kysely<Database>,
  context: BatchContext,
  email: string,
  now: string,
) {
  const key = `domain:${emailDomain(email)}`;
  if (!context.organizations.has(key)) {
    const id = await findOrganizationForEmail(db, context.accountId, email, context.settings, now);
    const row = id ? await findOrganization(db, context.accountId, id) : undefined;
    context.organizations.set(key, row ? { id: row.id, name: row.name } : null);
  }
  return context.organizations.get(key) ?? null;
}

function cleanAttributes(
  attributes: Record<string, Value | null>,
  base: Customer['customAttributes'] = {},
) {
  // Keys come from the mapping, where "__proto__" is refused (columns.ts), so plain assignment
  // cannot reach the prototype.
  const out: Customer['customAttributes'] = { ...base };
  for (const [key, value] of Object.entries(attributes)) {
    const before = base[key];
    // A file only has text: "3" or "a; b" for a stored 3 or ["a", "b"] is the same value.
    const sameAsText =
      typeof value === 'string' &&
      before !== undefined &&
      before !== null &&
      (Array.isArray(before) ? before.join('; ') : String(before)) === value;
    if (value === null) delete out[key];
    else if (!sameAsText) out[key] = value;
  }
  return out;
}

async function writeCreates(
  db: Kysely<Database>,
  writer: repo.BulkSql,
  context: BatchContext,
  creates: Plan[],
  now: string,
) {
  if (creates.length === 0) return;
  const { accountId, importId } = context;
  let number = await reserveNumbers(db, accountId, 'customer', creates.length);
  const customers: CustomerRow[] = [];
  const identities: CustomerIdentityTable[] = [];
  // No audit row per customer: created_import_id/row and the import's record are the trail's
  // "created" entry (customer-history.ts).
  for (const { draft, organization, typeId } of creates) {
    const fields = {
      firstName: draft.firstName ?? null,
      lastName: draft.lastName ?? null,
      email: draft.email ?? null,
      phone: draft.phone ?? null,
    };
    const attributes = cleanAttributes(draft.attributes);
    const id = newId();
    customers.push({
      account_id: accountId,
      id,
      number: number++,
      first_name: fields.firstName,
      last_name: fields.lastName,
      email: fields.email,
      phone: fields.phone,
      custom_attributes: JSON.stringify(attributes),
      status: 'active',
      created_via: 'import',
      search_text: customerSearchText(fields),
      last_activity_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
      organization_id: organization?.id ?? null,
      type_id: typeId ?? null,
      email_domain: fields.email ? emailDomain(fields.email) : null,
      import_id: importId,
      import_row: draft.row,
      created_import_id: importId,
      created_import_row: draft.row,
    });
    if (fields.email)
      identities.push({
        account_id: accountId,
        kind: 'email',
        value: fields.email,
        customer_id: id,
        created_at: now,
      });
    if (fields.phone)
      identities.push({
        account_id: accountId,
        kind: 'phone',
        value: fields.phone,
        customer_id: id,
        created_at: now,
      });
  }
  await adjustStatusTotals(db, accountId, { active: customers.length });
  await writer.insert('customers', customers);
  await writer.insert('customer_identities', identities);
}

function auditRow(
  context: BatchContext,
  customerId: string,
  action: string,
  changes: Changes,
  now: string,
): CustomerAuditTable {
  return {
    account_id: context.accountId,
    id: newId(),
    customer_id: customerId,
    action,
    actor_type: context.actor.type,
    actor_id: context.actor.id,
    actor_name: `${context.actor.name} (CSV import)`,
    changes: JSON.stringify(changes),
    created_at: now,
  };
}

export interface PlannedUpdate {
  /** The row as it will be, or undefined when the file changes nothing (it is only marked). */
  row?: CustomerRow;
  audit?: CustomerAuditTable;
  mark: { id: string; importRow: number };
}

/**
 * Works out a matched customer's new row and audit entry (identity changes, which are rare, are
 * written at once); the batch then writes all updates in bulk.
 */
async function planUpdate(
  db: Kysely<Database>,
  context: BatchContext,
  plan: Plan,
  now: string,
): Promise<PlannedUpdate> {
  const current = plan.existing as CustomerRow;
  const { draft } = plan;
  const { accountId, importId } = context;
  const patch: ResolvedPatch = {
    firstName: draft.firstName,
    lastName: draft.lastName,
    email: draft.email,
    phone: draft.phone,
    organizationId: plan.organization === undefined ? undefined : (plan.organization?.id ?? null),
    typeId: plan.typeId,
    customAttributes: Object.keys(draft.attributes).length
      ? cleanAttributes(
          draft.attributes,
          JSON.parse(current.custom_attributes) as Customer['customAttributes'],
        )
      : undefined,
  };
  const next = {
    email: patch.email !== undefined ? patch.email : current.email,
    phone: patch.phone !== undefined ? patch.phone : current.phone,
  };
  if (!next.email && !next.phone) {
    patch.email = undefined;
    patch.phone = undefined;
  }
  const { set, changes } = diffCustomer(current, patch);
  const mark = { id: current.id, importRow: draft.row };
  if (Object.keys(changes).length === 0) return { mark };
  for (const kind of ['email', 'phone'] as const) {
    const before = current[kind];
    const after = patch[kind] !== undefined ? patch[kind] : before;
    if (before === after) continue;
    if (before) {
      await db
        .deleteFrom('customer_identities')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('value', '=', before)
        .execute();
    }
    if (after) {
      await db
        .insertInto('customer_identities')
        .values({
          account_id: accountId,
          kind,
          value: after,
          customer_id: current.id,
          created_at: now,
        })
        .execute();
    }
  }
  const email = patch.email !== undefined ? patch.email : current.email;
  const merged = { ...current, ...set };
  const row: CustomerRow = {
    ...merged,
    import_id: importId,
    import_row: draft.row,
    updated_at: now,
    version: Number(current.version) + 1,
    email_domain: email ? emailDomain(email) : null,
    search_text: customerSearchText({
      firstName: merged.first_name,
      lastName: merged.last_name,
      email,
      phone: merged.phone,
    }),
  };
  const named: Changes = {};
  for (const [key, change] of Object.entries(changes)) {
    if (key === 'organizationId')
      named.organization = { from: change.from, to: plan.organization?.name ?? null };
    else if (key === 'typeId')
      named.type = {
        from: change.from,
        to: [...context.typeByName.values()].find((t) => t.id === change.to)?.name ?? null,
      };
    else named[key] = change;
  }
  return {
    row,
    audit: auditRow(context, current.id, auditAction(changes, undefined), named, now),
    mark,
  };
}
