// Applies one batch of import rows inside the caller's transaction: decide create / update /
// unchanged / failed for each row and resolve organizations and types; the customer write model
// (customers/customer-write.ts) builds the writes and customer-bulk.repository.ts writes them.
// Duplicates inside the file are found through the customer's import_id/import_row (what the
// transaction wrote earlier in this import), so a crash and resume never imports a row twice.
import type { Kysely } from 'kysely';
import type { Customer } from '../../common/customer.ts';
import type { CustomField } from '../../common/custom-field.ts';
import type { AccountSettings } from '../../common/settings.ts';
import type { Value } from '../custom-fields/values.ts';
import type { CustomerBulk } from '../customers/customer-bulk.repository.ts';
import {
  additionalIdentitiesOf,
  findCustomers,
  type AdditionalIdentities,
} from '../customers/customer.repository.ts';
import {
  buildChange,
  buildNewCustomer,
  type Actor,
  type CustomerPatch,
  type CustomerWrite,
  type WriteContext,
} from '../customers/customer-write.ts';
import { emailDomain } from '../customers/identity.ts';
import { reserveNumbers } from '../db/counters.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import {
  adoptDomainForNamedOrganization,
  findOrganizationForEmail,
} from '../organizations/organization-matching.ts';
import { isUngroupedDomain } from '../organizations/domains.ts';
import {
  domainsOf,
  findOrganization,
  findOrganizationByName,
  insertOrganizationIfAbsent,
  organizationNames,
} from '../organizations/organization.repository.ts';
import * as repo from './import.repository.ts';
import {
  importReason,
  type ImportReason,
  type ImportReasonParams,
} from '../../common/import-reasons.ts';
import type { CustomerDraft, RowError } from './row.ts';
import { recordOrganizationEvent } from '../webhooks/organization-events.ts';

export interface BatchContext {
  accountId: string;
  importId: string;
  mode: 'create' | 'upsert';
  dryRun: boolean;
  actor: Actor;
  settings: AccountSettings;
  requiredFields: CustomField[];
  /** Column headers for error reports. */
  columnOf: {
    email: string;
    phone: string;
    organization: string;
    type: string;
    additionalEmails: string;
    additionalPhones: string;
  };
  typeByName: Map<string, { id: string; name: string }>;
  /** Organizations resolved so far in this import: "name:<key>" / "domain:<domain>". */
  organizations: Map<string, { id: string; name: string } | null>;
  /**
   * Organizations named in this import whose domains are settled (they had one, or a row gave
   * them one): adoptDomainForNamedOrganization is not asked again for them.
   */
  domainsSettled: Set<string>;
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
  /** The existing customer's additional identities (its search text holds them). */
  additional?: AdditionalIdentities;
  organization?: { id: string; name: string } | null;
  typeId?: string | null;
}

export async function applyBatch(
  db: Kysely<Database>,
  writer: CustomerBulk,
  context: BatchContext,
  drafts: CustomerDraft[],
  parseErrors: RowError[],
): Promise<BatchCounts & { errors: RowError[]; identities: Map<string, number> }> {
  const { accountId, importId } = context;
  const errors: RowError[] = [...parseErrors];
  const failedRows = new Set(parseErrors.map((e) => e.row));
  const fail = (row: number, column: string, value: string | null, why: ImportReason) => {
    errors.push({ row, column, value, reason: why.reason, code: why.code, params: why.params });
    failedRows.add(row);
  };

  // Every identity a row names, primary or additional, matches and is unique alike (issue 15).
  const emails = drafts.flatMap((d) => [
    ...(d.email ? [d.email] : []),
    ...(d.additionalEmails ?? []),
  ]);
  const phones = drafts.flatMap((d) => [
    ...(d.phone ? [d.phone] : []),
    ...(d.additionalPhones ?? []),
  ]);
  const owners = await writer.identityOwners(accountId, emails, phones);
  const existing = new Map(
    (await findCustomers(db, accountId, [...new Set(owners.values())])).map((c) => [c.id, c]),
  );
  // One query for the batch: a change rewrites the search text, which holds every identity.
  const additional = await additionalIdentitiesOf(db, accountId, [...existing.values()]);
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
    const extraKeys = [
      ...(draft.additionalEmails ?? []).map((v) => `email:${v}`),
      ...(draft.additionalPhones ?? []).map((v) => `phone:${v}`),
    ];
    if (keys.length === 0 && extraKeys.length === 0) {
      fail(row, context.columnOf.email, null, importReason('identity_required'));
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
        importReason(kind === 'email address' ? 'same_email_as_row' : 'same_phone_as_row', {
          row: duplicateOf,
        }),
      );
      continue;
    }
    const extraDuplicate = extraKeys.find((k) => (inBatch.get(k) ?? earlier.get(k)) !== undefined);
    if (extraDuplicate) {
      const email = extraDuplicate.startsWith('email:');
      fail(
        row,
        email ? context.columnOf.additionalEmails : context.columnOf.additionalPhones,
        extraDuplicate.slice(extraDuplicate.indexOf(':') + 1),
        importReason(email ? 'same_email_as_row' : 'same_phone_as_row', {
          row: inBatch.get(extraDuplicate) ?? earlier.get(extraDuplicate) ?? '?',
        }),
      );
      continue;
    }
    const ownerByEmail = draft.email ? owners.get(`email:${draft.email}`) : undefined;
    const ownerByPhone = draft.phone ? owners.get(`phone:${draft.phone}`) : undefined;
    // The customer the row names: by its primary identities first, else by an additional one;
    // an additional one held by someone else leaves the row not knowing who it is.
    const extraOwner = extraKeys.map((k) => owners.get(k)).find((o) => o !== undefined);
    const matched = ownerByEmail ?? ownerByPhone ?? extraOwner;
    const strayKey = extraKeys.find((k) => (owners.get(k) ?? matched) !== matched);
    if (strayKey) {
      const email = strayKey.startsWith('email:');
      const holder = existing.get(owners.get(strayKey) ?? '');
      fail(
        row,
        email ? context.columnOf.additionalEmails : context.columnOf.additionalPhones,
        strayKey.slice(strayKey.indexOf(':') + 1),
        importReason(email ? 'email_of_other_customer' : 'phone_of_other_customer', {
          number: holder?.number ?? '?',
        }),
      );
      continue;
    }
    if (ownerByEmail && ownerByPhone && ownerByEmail !== ownerByPhone) {
      const a = existing.get(ownerByEmail);
      const b = existing.get(ownerByPhone);
      fail(
        row,
        context.columnOf.phone,
        draft.phone ?? null,
        importReason('email_and_phone_of_two_customers', {
          phoneNumber: b?.number ?? '?',
          emailNumber: a?.number ?? '?',
        }),
      );
      continue;
    }
    const current = matched ? existing.get(matched) : undefined;
    if (current) {
      // Where the row named the customer: its email, its phone, or an additional one.
      const byKey = ownerByEmail
        ? `email:${draft.email}`
        : ownerByPhone
          ? `phone:${draft.phone}`
          : (extraKeys.find((k) => owners.get(k) === matched) ?? '');
      const byEmail = byKey.startsWith('email:');
      const column = ownerByEmail
        ? context.columnOf.email
        : ownerByPhone
          ? context.columnOf.phone
          : byEmail
            ? context.columnOf.additionalEmails
            : context.columnOf.additionalPhones;
      const value = byKey.slice(byKey.indexOf(':') + 1);
      const earlierRow =
        touched.get(current.id) ?? (current.import_id === importId ? current.import_row : null);
      if (earlierRow !== null && earlierRow !== undefined) {
        fail(row, column, value, importReason('same_customer_as_row', { row: earlierRow }));
        continue;
      }
      if (context.mode === 'create') {
        fail(
          row,
          column,
          value,
          importReason(byEmail ? 'email_exists_create_only' : 'phone_exists_create_only', {
            number: current.number,
          }),
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
          importReason('unknown_customer_type', { name: draft.typeName }),
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
        // The Bokmål label beside the English one: a Norwegian report names the field as its
        // agents know it (common/import-reasons.ts paramsIn).
        const names: ImportReasonParams = { field: missing.label };
        if (missing.labelNb) names.fieldNb = missing.labelNb;
        fail(row, missing.label, null, importReason('field_required', names));
        continue;
      }
    }
    for (const key of [...keys, ...extraKeys]) inBatch.set(key, row);
    if (current) touched.set(current.id, row);
    plans.push({
      draft,
      existing: current,
      additional: current ? additional.get(current.id) : undefined,
      typeId,
    });
  }

  // Organizations: by the name in the file, else by email domain for new customers and changed emails.
  const now = new Date().toISOString();
  for (const plan of plans) {
    const { draft } = plan;
    if (draft.organizationName) {
      plan.organization = await organizationByName(db, context, draft.organizationName, now);
      const email = draft.email ?? plan.existing?.email;
      if (plan.organization && email) await adoptDomain(db, context, plan.organization, email, now);
    } else if (draft.organizationName === null) plan.organization = null;
    else if (draft.email && draft.email !== plan.existing?.email) {
      const byDomain = await organizationByDomain(db, context, draft.email, now);
      if (byDomain || !plan.existing) plan.organization = byDomain;
    }
  }

  const writes = await planWrites(db, context, plans, now);
  await writer.write(db, writes.writes);
  await writer.markCustomers(accountId, importId, writes.unchanged);
  const counts: BatchCounts = {
    created: plans.filter((p) => !p.existing).length,
    updated: writes.writes.filter((w) => w.expectedVersion !== undefined).length,
    unchanged: writes.unchanged.length,
    failed: failedRows.size,
  };
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
    const created = await insertOrganizationIfAbsent(db, {
      account_id: context.accountId,
      id: newId(),
      name,
      name_key: name.toLowerCase(),
      notes: null,
      custom_fields: '{}',
      auto_created: 0,
      merged_into_id: null,
      created_at: now,
      updated_at: now,
    });
    const found = await findOrganizationByName(db, context.accountId, name);
    // An organization the file named into being: integrations hear of it (webhooks).
    if (created && found)
      await recordOrganizationEvent(db, context.accountId, 'organization.created', found.id, now);
    context.organizations.set(key, found ? { id: found.id, name: found.name } : null);
  }
  return context.organizations.get(key) ?? null;
}

/** The named organization takes the row's company domain while it has none (one rule, in organizations/). */
async function adoptDomain(
  db: Kysely<Database>,
  context: BatchContext,
  organization: { id: string; name: string },
  email: string,
  now: string,
) {
  if (context.domainsSettled.has(organization.id)) return;
  const domain = emailDomain(email);
  if (isUngroupedDomain(domain, context.settings.ignoredDomains)) return;
  const { accountId, settings } = context;
  if (await adoptDomainForNamedOrganization(db, accountId, organization.id, email, settings, now)) {
    context.domainsSettled.add(organization.id);
    // Later rows of the domain with no organization cell join it (organizationByDomain's cache).
    context.organizations.set(`domain:${domain}`, organization);
  } else if ((await domainsOf(db, accountId, [organization.id])).has(organization.id)) {
    context.domainsSettled.add(organization.id);
  }
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

/**
 * The batch's writes, built by the customer write model: new customers numbered in one
 * reservation, changes from each row's patch. A row that changes nothing is only marked.
 */
async function planWrites(
  db: Kysely<Database>,
  context: BatchContext,
  plans: Plan[],
  now: string,
): Promise<{ writes: CustomerWrite[]; unchanged: { id: string; importRow: number }[] }> {
  const { accountId, importId } = context;
  const names = new Map<string, string>();
  for (const type of context.typeByName.values()) names.set(type.id, type.name);
  for (const plan of plans)
    if (plan.organization) names.set(plan.organization.id, plan.organization.name);
  const leaving = plans
    .filter((p) => p.existing?.organization_id && p.organization !== undefined)
    .map((p) => p.existing?.organization_id as string);
  for (const [id, name] of await organizationNames(db, accountId, [...new Set(leaving)]))
    names.set(id, name);
  const actor = { ...context.actor, name: `${context.actor.name} (CSV import)` };
  const writeContext = (row: number): WriteContext => ({
    accountId,
    actor,
    now,
    names,
    importRow: { importId, row },
  });

  const creates = plans.filter((p) => !p.existing);
  let number = creates.length ? await reserveNumbers(db, accountId, 'customer', creates.length) : 0;
  const writes: CustomerWrite[] = [];
  const unchanged: { id: string; importRow: number }[] = [];
  for (const { draft, existing, additional, organization, typeId } of plans) {
    if (!existing) {
      const ids = identitiesForNew(draft);
      writes.push(
        buildNewCustomer(
          writeContext(draft.row),
          number++,
          {
            firstName: draft.firstName ?? null,
            lastName: draft.lastName ?? null,
            ...ids,
            customAttributes: cleanAttributes(draft.attributes),
            organizationId: organization?.id ?? null,
            typeId: typeId ?? null,
          },
          'import',
        ),
      );
      continue;
    }
    const held = { emails: additional?.emails ?? [], phones: additional?.phones ?? [] };
    const patch: CustomerPatch = {
      firstName: draft.firstName,
      lastName: draft.lastName,
      ...identityPatch(draft, existing, held),
      organizationId: organization === undefined ? undefined : (organization?.id ?? null),
      typeId,
      customAttributes: Object.keys(draft.attributes).length
        ? cleanAttributes(
            draft.attributes,
            JSON.parse(existing.custom_attributes) as Customer['customAttributes'],
          )
        : undefined,
    };
    // Emptying both identities would leave a customer no one can find: the row keeps them.
    const email = patch.email !== undefined ? patch.email : existing.email;
    const phone = patch.phone !== undefined ? patch.phone : existing.phone;
    if (!email && !phone) {
      patch.email = undefined;
      patch.phone = undefined;
    }
    const write = buildChange(writeContext(draft.row), existing, patch, held);
    if (write) writes.push(write);
    else unchanged.push({ id: existing.id, importRow: draft.row });
  }
  return { writes, unchanged };
}

/** A new customer's identities: with no primary of a kind, the first additional one is it. */
function identitiesForNew(draft: CustomerDraft) {
  const emails = [draft.email, ...(draft.additionalEmails ?? [])].filter((v): v is string =>
    Boolean(v),
  );
  const phones = [draft.phone, ...(draft.additionalPhones ?? [])].filter((v): v is string =>
    Boolean(v),
  );
  return {
    email: emails[0] ?? null,
    phone: phones[0] ?? null,
    additionalEmails: [...new Set(emails.slice(1))],
    additionalPhones: [...new Set(phones.slice(1))],
  };
}

/**
 * What a row changes of an existing customer's identities. A row whose email (or phone) is one
 * of the customer's additional ones matched them by it and leaves the primary as it is; the
 * additional columns, when the file has them, are the whole set after the row (less the
 * primary, which is never held twice). With no primary left, the first additional one is it.
 */
function identityPatch(draft: CustomerDraft, existing: CustomerRow, held: AdditionalIdentities) {
  const kinds = [
    ['email', 'additionalEmails', held.emails],
    ['phone', 'additionalPhones', held.phones],
  ] as const;
  const patch: Pick<CustomerPatch, 'email' | 'phone' | 'additionalEmails' | 'additionalPhones'> =
    {};
  for (const [kind, key, current] of kinds) {
    let primary = draft[kind];
    let list = draft[key];
    if (primary && current.includes(primary)) {
      // Already this customer's: kept among the additional ones even if the cell lists others.
      if (list && !list.includes(primary)) list = [...list, primary];
      primary = undefined;
    }
    const after = primary !== undefined ? primary : existing[kind];
    if (list) list = list.filter((v) => v !== after);
    if (!after && (list ?? current).length) {
      const [first, ...rest] = list ?? current;
      primary = first;
      list = rest;
    }
    patch[kind] = primary;
    patch[key] = list;
  }
  return patch;
}
