// Reading a customer's audit trail: the stored entries a page at a time, the derived "created"
// entry of an imported customer last, and every organization and type id named
// (customer-history.ts says how).
import type { AuditEntry } from '../../common/customer.ts';
import type { Page } from '../../common/paging.ts';
import { listTypeRows } from '../customer-types/customer-type.repository.ts';
import type { Scope } from '../access/scope.ts';
import type { CustomerRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import { NotFoundError } from '../errors.ts';
import { findImport } from '../imports/import.repository.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import { placeNames } from '../locations/location.repository.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import * as repo from './customer.repository.ts';
import {
  creationEntry,
  presentEntry,
  referencedIds,
  valuesAtCreation,
} from './customer-history.ts';

export async function readTrail(
  db: Conn,
  accountId: string,
  customerId: string,
  limit: number,
  cursor: string | undefined,
  scope: Scope,
): Promise<Page<AuditEntry>> {
  // Out of scope is not found: the trail names organizations and values the agent may not see.
  const customer = await repo.findCustomer(db, accountId, customerId, scope);
  if (!customer) throw new NotFoundError('customer', customerId);
  const before = cursor
    ? decodeCursor(cursor, (v): v is { id: string } => typeof v.id === 'string').id
    : undefined;
  const [rows, stored] = await Promise.all([
    repo.listAudit(db, accountId, customerId, limit + 1, before),
    repo.countAudit(db, accountId, customerId),
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const derived = customer.created_import_id ? 1 : 0;
  const total = stored + derived;
  const more = rows.length > limit || (derived === 1 && items.length === limit && last);
  if (!more && derived) items.push(await importCreation(db, customer));
  const presented = await presentTrail(db, accountId, items);
  return more && last
    ? { items: presented, total, nextCursor: encodeCursor({ id: last.id }) }
    : { items: presented, total };
}

/** Organization, type and location ids become their names, looked up once for the page. */
async function presentTrail(
  db: Conn,
  accountId: string,
  entries: repo.StoredAuditEntry[],
): Promise<AuditEntry[]> {
  const ids = referencedIds(entries);
  const [organizations, types, locations] = await Promise.all([
    organizationNames(db, accountId, ids.organizations),
    ids.types.length
      ? listTypeRows(db, accountId).then((t) => new Map(t.map((r) => [r.id, r.name])))
      : new Map<string, string>(),
    placeNames(db, accountId, ids.locations, []),
  ]);
  return entries.map((entry) => presentEntry(entry, { organizations, types, locations }));
}

/** The "created" entry of a customer an import created (customer-history.ts). */
async function importCreation(db: Conn, customer: CustomerRow): Promise<repo.StoredAuditEntry> {
  const accountId = customer.account_id;
  const importId = customer.created_import_id ?? '';
  const later = await repo.listAudit(db, accountId, customer.id, 10_000);
  const record = await findImport(db, accountId, importId);
  const entry = creationEntry(customer, valuesAtCreation(customer, later), {
    importId,
    filename: record?.filename ?? null,
    actor: {
      type: record?.created_by ? 'user' : 'system',
      id: record?.created_by ?? null,
      name: `${record?.created_by_name ?? 'Kunde'} (CSV import)`,
    },
  });
  // The names later entries kept name what the customer was created with, once it is gone.
  for (const { refNames } of later) Object.assign(entry.refNames, refNames);
  return entry;
}
