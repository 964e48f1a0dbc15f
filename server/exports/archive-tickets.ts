// The tickets of a customer's data archive: tickets.json and tickets.csv, and a folder per ticket
// with its messages as JSON, text and HTML and its attachment files. Tickets and messages are read
// a page at a time (keyset by id), each file is written as the zip reaches it, and a ticket
// without attachments costs one query per file: memory stays flat and time linear however many
// tickets the customer has.
import type { Selectable } from 'kysely';
import type { CustomerRow, TicketAttachmentTable, TicketMessageRow } from '../db/database.ts';
import { csvLine } from '../imports/csv-reader.ts';
import { escapeFormula } from '../imports/export.ts';
import type { ArchiveDeps } from './archive.ts';
import {
  attachmentsOfMessages,
  messagePage,
  ticketPage,
  ticketsWithAttachments,
} from './export.repository.ts';
import type { ZipWriter } from './zip-writer.ts';

const PAGE = 200;

/** One CSV cell: empty for nothing, a list joined, and never read as a spreadsheet formula. */
export function cell(value: string | number | boolean | string[] | null | undefined): string {
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

async function* ticketsOf(deps: ArchiveDeps, customer: CustomerRow) {
  for await (const { ticket } of ticketsWithFlags(deps, customer, false)) yield ticket;
}

/**
 * The customer's tickets, a page at a time, each with whether it has attachments (one query per
 * page when asked): most tickets have none, and theirs are then neither looked up nor listed.
 */
async function* ticketsWithFlags(deps: ArchiveDeps, customer: CustomerRow, flagged = true) {
  let after = '';
  for (;;) {
    const page = await ticketPage(deps.db, customer.account_id, customer.id, after, PAGE);
    const withFiles = flagged
      ? await ticketsWithAttachments(
          deps.db,
          customer.account_id,
          page.map((t) => t.id),
        )
      : new Set<string>();
    for (const ticket of page) yield { ticket, hasAttachments: withFiles.has(ticket.id) };
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id ?? after;
  }
}

/** A ticket's messages in order, a page at a time; with their attachments when it has any. */
async function* messagesOf(
  deps: ArchiveDeps,
  accountId: string,
  ticketId: string,
  withAttachments: boolean,
): AsyncGenerator<ListedMessage> {
  let after = '';
  let index = 0;
  for (;;) {
    const page = await messagePage(deps.db, accountId, ticketId, after, PAGE);
    const attachments = withAttachments
      ? await attachmentsOfMessages(
          deps.db,
          accountId,
          page.map((m) => m.id),
        )
      : [];
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

export async function addTickets(zip: ZipWriter, deps: ArchiveDeps, customer: CustomerRow) {
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
  for await (const { ticket, hasAttachments } of ticketsWithFlags(deps, customer)) {
    const folder = `tickets/${Number(ticket.number)}`;
    const messages = (withAttachments = false) =>
      messagesOf(deps, accountId, ticket.id, withAttachments);
    await zip.lines(`${folder}/messages.json`, async function* () {
      yield '[';
      let first = true;
      for await (const listed of messages(hasAttachments)) {
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
    if (!hasAttachments) continue;
    for await (const listed of messages(true)) {
      for (const { row, file } of attachmentFiles(listed))
        await zip.add(`${folder}/${file}`, () => deps.files.read(row.file_key));
    }
  }
}
