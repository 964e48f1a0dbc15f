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
import type { Selectable } from 'kysely';
import type { CustomerRow, TicketAttachmentTable, TicketMessageRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import type { FileStore } from '../files/file-store.ts';
import { ATTRIBUTE_PREFIX } from '../../common/import-columns.ts';
import { csvLine } from '../imports/csv-reader.ts';
import { escapeFormula } from '../imports/export.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import { readmeText, type ExportLocale } from './export-texts.ts';
import { attachmentsOfMessages, messagePage, ticketPage } from './export.repository.ts';
import { ZipWriter } from './zip-writer.ts';

const PAGE = 200;

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

function cell(value: string | number | boolean | string[] | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return escapeFormula(value.join('; '));
  return escapeFormula(String(value));
}

/** A name that is safe as one path segment in a zip on every system. */
function safeName(name: string): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120);
  return cleaned || 'file';
}

function seq(n: number): string {
  return String(n).padStart(4, '0');
}

/** customer.json: every field, its identities, organization and type by name. */
async function customerDocument(deps: ArchiveDeps, customer: CustomerRow) {
  const accountId = customer.account_id;
  const [identities, organizations, type] = await Promise.all([
    identitiesOf(deps.db, accountId, customer.id),
    organizationNames(
      deps.db,
      accountId,
      customer.organization_id ? [customer.organization_id] : [],
    ),
    customer.type_id ? findCustomerType(deps.db, accountId, customer.type_id) : undefined,
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
    customAttributes: JSON.parse(customer.custom_attributes) as Customer['customAttributes'],
    createdVia: customer.created_via,
    createdAt: customer.created_at,
    updatedAt: customer.updated_at,
    lastActivityAt: customer.last_activity_at,
  };
}

async function* ticketsOf(deps: ArchiveDeps, customer: CustomerRow) {
  let after = '';
  for (;;) {
    const page = await ticketPage(deps.db, customer.account_id, customer.id, after, PAGE);
    for (const ticket of page) yield ticket;
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id ?? after;
  }
}

async function* messagesOf(
  deps: ArchiveDeps,
  accountId: string,
  ticketId: string,
): AsyncGenerator<ListedMessage> {
  let after = '';
  let index = 0;
  for (;;) {
    const page = await messagePage(deps.db, accountId, ticketId, after, PAGE);
    const attachments = await attachmentsOfMessages(
      deps.db,
      accountId,
      page.map((m) => m.id),
    );
    for (const message of page) {
      index += 1;
      yield { message, index, attachments: attachments.filter((a) => a.message_id === message.id) };
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id ?? after;
  }
}

interface ListedMessage {
  message: TicketMessageRow;
  index: number;
  attachments: Selectable<TicketAttachmentTable>[];
}

function attachmentFiles({ index, attachments }: ListedMessage) {
  return attachments.map((a, n) => ({
    row: a,
    file: `attachments/${seq(index)}-${n + 1}-${safeName(a.filename)}`,
  }));
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function heading({ message, index }: ListedMessage): string {
  return `Message ${index} · ${message.created_at} · ${message.author_name} (${message.author_type}, ${message.channel})`;
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

async function addTickets(zip: ZipWriter, deps: ArchiveDeps, customer: CustomerRow) {
  const accountId = customer.account_id;
  await zip.lines('tickets.json', async function* () {
    yield '[';
    let first = true;
    for await (const t of ticketsOf(deps, customer)) {
      const entry = {
        id: t.id,
        number: Number(t.number),
        subject: t.subject,
        status: t.status,
        channel: t.channel,
        messageCount: Number(t.message_count),
        folder: `tickets/${Number(t.number)}/`,
        createdAt: t.created_at,
        updatedAt: t.updated_at,
        lastMessageAt: t.last_message_at,
      };
      yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
      first = false;
    }
    yield '\n]\n';
  });
  await zip.lines('tickets.csv', async function* () {
    yield `\uFEFF${csvLine(['number', 'subject', 'status', 'channel', 'messages', 'created_at', 'updated_at'])}`;
    for await (const t of ticketsOf(deps, customer)) {
      yield csvLine([
        Number(t.number),
        cell(t.subject),
        t.status,
        t.channel,
        Number(t.message_count),
        t.created_at,
        t.updated_at,
      ]);
    }
  });
  // A ticket's messages are three files, not two per message: a zip of 50,000 messages stays
  // a zip of tens of thousands of entries (yazl looks entries up from the first, each time).
  for await (const ticket of ticketsOf(deps, customer)) {
    const folder = `tickets/${Number(ticket.number)}`;
    const messages = () => messagesOf(deps, accountId, ticket.id);
    await zip.lines(`${folder}/messages.json`, async function* () {
      yield '[';
      let first = true;
      for await (const listed of messages()) {
        const { message } = listed;
        const entry = {
          id: message.id,
          number: listed.index,
          authorType: message.author_type,
          authorName: message.author_name,
          channel: message.channel,
          createdAt: message.created_at,
          hasHtml: message.body_html !== null,
          attachments: attachmentFiles(listed).map(({ row, file }) => ({
            filename: row.filename,
            contentType: row.content_type,
            sizeBytes: Number(row.size_bytes),
            file,
          })),
        };
        yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
        first = false;
      }
      yield '\n]\n';
    });
    await zip.lines(`${folder}/messages.txt`, async function* () {
      for await (const listed of messages())
        yield `=== ${heading(listed)} ===\r\n${listed.message.body_text}\r\n\r\n`;
    });
    await zip.lines(`${folder}/messages.html`, async function* () {
      yield `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(`#${Number(ticket.number)} ${ticket.subject}`)}</title></head><body>\n`;
      for await (const listed of messages()) {
        const { body_html: html, body_text: text } = listed.message;
        yield `<article id="message-${listed.index}"><h2>${escapeHtml(heading(listed))}</h2>\n${html ?? `<pre>${escapeHtml(text)}</pre>`}\n</article>\n`;
      }
      yield '</body></html>\n';
    });
    for await (const listed of messages()) {
      for (const { row, file } of attachmentFiles(listed))
        await zip.add(`${folder}/${file}`, () => deps.files.read(row.file_key));
    }
  }
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
