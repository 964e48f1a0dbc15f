// Writes one customer's data archive as a zip, streamed (yazl): every entry is opened only when
// the zip reaches it, at most MAX_WAITING entries wait to be written, tickets and messages are
// read from the database a page at a time and attachments straight from the file store. So
// memory stays flat whether the customer has one ticket or ten thousand.
import type { Customer } from '../../common/customer.ts';
import { archiveJsonSchema } from '../../common/export.ts';
import type { Principal } from '../agents/principal.ts';
import { systemPrincipal } from '../agents/principal.ts';
import { findCustomerType } from '../customer-types/customer-type.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { identitiesOf } from '../customers/customer.repository.ts';
import type { CustomerRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import type { FileStore } from '../files/file-store.ts';
import { ATTRIBUTE_PREFIX } from '../../common/import-columns.ts';
import { csvLine } from '../imports/csv-reader.ts';
import { contractsOfContact, timeOnTicketsOf } from '../contracts/contract.repository.ts';
import { findLocation } from '../locations/location.repository.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import { readmeText, type ExportLocale } from './export-texts.ts';
import { addTickets, cell } from './archive-tickets.ts';
import { ZipWriter } from './zip-writer.ts';

export interface ArchiveDeps {
  db: Conn;
  files: FileStore;
  customers: CustomerService;
}

export interface ArchiveRequest {
  customer: CustomerRow;
  locale: ExportLocale;
  now: Date;
}

/**
 * customer.json: every field, its identities, organization, type and default location by name,
 * the contracts naming them as customer contact, and the time logged on their tickets.
 */
async function customerDocument(deps: ArchiveDeps, customer: CustomerRow) {
  const accountId = customer.account_id;
  const [identities, organizations, type, location, contracts, time] = await Promise.all([
    identitiesOf(deps.db, accountId, customer.id),
    organizationNames(
      deps.db,
      accountId,
      customer.organization_id ? [customer.organization_id] : [],
    ),
    customer.type_id ? findCustomerType(deps.db, accountId, customer.type_id) : undefined,
    customer.organization_id && customer.default_location_id
      ? findLocation(deps.db, accountId, customer.organization_id, customer.default_location_id)
      : undefined,
    contractsOfContact(deps.db, accountId, customer.id),
    timeOnTicketsOf(deps.db, accountId, customer.id),
  ]);
  return {
    id: customer.id,
    number: Number(customer.number),
    firstName: customer.first_name,
    lastName: customer.last_name,
    email: customer.email,
    phone: customer.phone,
    status: customer.status,
    identities: identities.map((i) => ({ kind: i.kind, value: i.value, since: i.created_at })),
    organization: customer.organization_id
      ? (organizations.get(customer.organization_id) ?? null)
      : null,
    type: type?.name ?? null,
    defaultLocation: location?.name ?? null,
    contracts: contracts.map((c) => ({
      description: c.description,
      purchaseOrder: c.purchase_order,
      startDate: c.start_date,
      endDate: c.end_date,
      contractHours: c.budget_minutes === null ? null : Number(c.budget_minutes) / 60,
      hoursUsed: Number(c.used_minutes) / 60,
    })),
    timeOnTickets: { hours: time.minutes / 60, entries: time.entries },
    customAttributes: JSON.parse(customer.custom_attributes) as Customer['customAttributes'],
    createdVia: customer.created_via,
    createdAt: customer.created_at,
    updatedAt: customer.updated_at,
    lastActivityAt: customer.last_activity_at,
  };
}

/** The audit trail as presented (names, not ids), a page at a time, as one JSON array. */
async function* auditJson(deps: ArchiveDeps, principal: Principal, customerId: string) {
  yield '[';
  let cursor: string | undefined;
  let first = true;
  do {
    const page = await deps.customers.auditTrail(principal, customerId, 200, cursor);
    for (const entry of page.items) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
      first = false;
    }
    cursor = page.nextCursor;
  } while (cursor);
  yield '\n]\n';
}

/**
 * Streams the archive of `request.customer` into the file store under `key` and answers its
 * size. Whatever fails (a query, a missing attachment file) fails the write: the store keeps no
 * half-written file under the key.
 */
export async function writeArchive(
  deps: ArchiveDeps,
  request: ArchiveRequest,
  key: string,
): Promise<number> {
  const { customer, locale, now } = request;
  const zip = new ZipWriter(now);
  const written = deps.files.write(key, zip.output);
  try {
    const principal = systemPrincipal(customer.account_id);
    const document = await customerDocument(deps, customer);
    const name =
      [customer.first_name, customer.last_name].filter(Boolean).join(' ') ||
      customer.email ||
      customer.phone ||
      `#${Number(customer.number)}`;
    await zip.text('README.txt', readmeText(locale, name, now.toISOString()));
    await zip.text('schema.json', `${JSON.stringify(archiveJsonSchema(), null, 2)}\n`);
    await zip.text('customer.json', `${JSON.stringify(document, null, 2)}\n`);
    await zip.text(
      'customers.csv',
      `\uFEFF${csvLine(['number', 'email', 'phone', 'first_name', 'last_name', 'organization', 'type', 'status', 'created_at', ...Object.keys(document.customAttributes).map((k) => `${ATTRIBUTE_PREFIX}${k}`)])}` +
        csvLine([
          document.number,
          cell(document.email),
          cell(document.phone),
          cell(document.firstName),
          cell(document.lastName),
          cell(document.organization),
          cell(document.type),
          document.status,
          document.createdAt,
          ...Object.values(document.customAttributes).map(cell),
        ]),
    );
    await zip.lines('audit.json', () => auditJson(deps, principal, customer.id));
    await addTickets(zip, deps, customer);
    zip.end();
  } catch (error) {
    zip.fail(error);
    await written.catch(() => undefined);
    throw error;
  }
  const { size } = await written;
  return size;
}
