// A customer's data archive (data rights, issue 11): the export as the API lists it, and the
// shape of every JSON file inside the zip. The archive ships the latter as a JSON Schema
// (schema.json, made with z.toJSONSchema), so whoever receives it can read it without Kunde.
import { z } from 'zod';
import { auditEntrySchema, customAttributeValueSchema, customerStatusSchema } from './customer.ts';
import { TICKET_CHANNELS, ticketStatusSchema } from './ticket.ts';

export const EXPORT_STATES = ['preparing', 'ready', 'expired', 'failed'] as const;
export const exportStateSchema = z.enum(EXPORT_STATES);
export type ExportState = z.infer<typeof exportStateSchema>;

export const customerExportSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    state: exportStateSchema,
    requestedBy: z.object({ id: z.string().nullable(), name: z.string() }),
    sizeBytes: z.number().int().nullable().meta({ description: 'Set once the archive is ready' }),
    error: z.string().nullable().meta({ description: 'Why the archive failed' }),
    createdAt: z.string(),
    readyAt: z.string().nullable(),
    expiresAt: z
      .string()
      .nullable()
      .meta({ description: 'When the archive and its file are deleted (exportRetentionDays)' }),
    downloadUrl: z.string().nullable().meta({ description: 'Present while the archive is ready' }),
  })
  .meta({ id: 'CustomerExport' });
export type CustomerExport = z.infer<typeof customerExportSchema>;

// ---- The files inside the archive ----

export const archiveCustomerSchema = z
  .object({
    id: z.string(),
    number: z.number().int().meta({ description: 'The reference number of the customer' }),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable().meta({ description: 'E.164' }),
    status: customerStatusSchema,
    identities: z
      .array(z.object({ kind: z.enum(['email', 'phone']), value: z.string(), since: z.string() }))
      .meta({ description: 'Every email address and mobile number the customer is known by' }),
    organization: z.string().nullable().meta({ description: 'The organization, by name' }),
    type: z.string().nullable().meta({ description: 'The customer type, by name' }),
    defaultLocation: z
      .string()
      .nullable()
      .meta({ description: 'Where their tickets start: a location of the organization, by name' }),
    contracts: z
      .array(
        z.object({
          description: z.string(),
          purchaseOrder: z.string().nullable(),
          startDate: z.string().nullable(),
          endDate: z.string().nullable(),
          contractHours: z.number().nullable(),
          hoursUsed: z.number(),
        }),
      )
      .meta({ description: 'Contracts naming them as the customer contact' }),
    timeOnTickets: z
      .object({ hours: z.number(), entries: z.number().int() })
      .meta({ description: 'Time agents logged on the tickets they requested' }),
    customAttributes: z.record(z.string(), customAttributeValueSchema),
    createdVia: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastActivityAt: z.string().nullable(),
  })
  .meta({ id: 'ArchiveCustomer', description: 'customer.json' });

export const archiveTicketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string(),
    status: ticketStatusSchema,
    channel: z.enum(TICKET_CHANNELS),
    messageCount: z.number().int(),
    folder: z.string().meta({ description: 'The folder holding its messages and attachments' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastMessageAt: z.string(),
  })
  .meta({ id: 'ArchiveTicket', description: 'One entry of tickets.json' });

export const archiveMessageSchema = z
  .object({
    id: z.string(),
    authorType: z.enum(['customer', 'agent', 'system']),
    authorName: z.string(),
    channel: z.string(),
    createdAt: z.string(),
    number: z.number().int().meta({
      description:
        'Its place in the ticket: section "Message N" of messages.txt and <article id="message-N"> of messages.html',
    }),
    hasHtml: z
      .boolean()
      .meta({ description: 'The message had HTML (else messages.html shows its text)' }),
    attachments: z.array(
      z.object({
        filename: z.string(),
        contentType: z.string(),
        sizeBytes: z.number().int(),
        file: z.string().meta({ description: 'Its path in this folder' }),
      }),
    ),
  })
  .meta({ id: 'ArchiveMessage', description: 'One entry of tickets/<number>/messages.json' });

/** The JSON Schema shipped as schema.json: one definition per JSON file of the archive. */
export function archiveJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Kunde customer data archive',
    description:
      'customer.json is ArchiveCustomer; tickets.json is an array of ArchiveTicket; ' +
      'tickets/<number>/messages.json is an array of ArchiveMessage; audit.json is an array of AuditEntry.',
    files: {
      'customer.json': z.toJSONSchema(archiveCustomerSchema),
      'tickets.json': z.toJSONSchema(z.array(archiveTicketSchema)),
      'tickets/<number>/messages.json': z.toJSONSchema(z.array(archiveMessageSchema)),
      'audit.json': z.toJSONSchema(z.array(auditEntrySchema), { unrepresentable: 'any' }),
    },
  };
}
