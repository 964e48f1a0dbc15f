// /api/hub/v1/tickets and attachments: the signed-in customer's tickets and their organizations'
// (hub-ticket.service.ts). New tickets and replies come as JSON, or as multipart/form-data with
// the same fields and up to HUB_ATTACHMENT_MAX_FILES files, read here with the Hub's own limits.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  HUB_ATTACHMENT_MAX_BYTES,
  HUB_ATTACHMENT_MAX_FILES,
  hubMessageSchema,
  hubReplySchema,
  hubTicketCreateSchema,
  hubTicketListQuerySchema,
  hubTicketSchema,
  hubTicketWithMessagesSchema,
} from '../../common/hub.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import { pageSchema } from '../../common/paging.ts';
import { findTextViolations } from '../../common/text.ts';
import { AppError, ValidationError } from '../errors.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import { parseOrThrow } from '../http/validation.ts';
import type { Services } from '../services.ts';
import type { IncomingAttachment } from '../tickets/ticket.service.ts';

const MAX_MB = HUB_ATTACHMENT_MAX_BYTES / (1024 * 1024);
export const hubAttachmentTooLarge = (filename: string) =>
  `${filename} is larger than ${MAX_MB} MB, the most one attachment may be`;
export const HUB_TOO_MANY_FILES = `at most ${HUB_ATTACHMENT_MAX_FILES} attachments in one message`;

/**
 * Always a download (never rendered in the Hub's origin); a name outside ASCII goes as
 * filename* (RFC 6266), since Node refuses such characters in a plain header value.
 */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

interface HubForm {
  fields: Record<string, string>;
  files: IncomingAttachment[];
}

/**
 * Reads a multipart form whole: its text fields, and its files into memory (at most
 * HUB_ATTACHMENT_MAX_FILES of HUB_ATTACHMENT_MAX_BYTES each). A file past the limit is named in
 * the refusal (413); the limits are this route's, not the import's global ones.
 */
async function readHubForm(request: FastifyRequest): Promise<HubForm> {
  const fields: Record<string, string> = {};
  const files: IncomingAttachment[] = [];
  try {
    // throwFileSizeLimit (read by @fastify/multipart, missing from its types): a file over the
    // limit is cut short and marked truncated, so the refusal below can name it.
    const options = {
      limits: {
        files: HUB_ATTACHMENT_MAX_FILES,
        fileSize: HUB_ATTACHMENT_MAX_BYTES,
        fields: 10,
        fieldSize: 200_000,
        parts: HUB_ATTACHMENT_MAX_FILES + 10,
      },
      throwFileSizeLimit: false,
    };
    const parts = request.parts(options);
    for await (const part of parts) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated)
        throw new AppError(
          413,
          'attachment_too_large',
          'Attachment too large',
          hubAttachmentTooLarge(part.filename),
          { filename: part.filename, maxBytes: HUB_ATTACHMENT_MAX_BYTES },
        );
      const content = Buffer.concat(chunks);
      // An empty file input sends a part with no name and nothing in it: no attachment.
      if (!part.filename && content.length === 0) continue;
      files.push({
        filename: part.filename || 'attachment',
        contentType: part.mimetype || 'application/octet-stream',
        content,
      });
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'FST_FILES_LIMIT')
      throw new ValidationError([
        fieldError('files', 'too_many', HUB_TOO_MANY_FILES, { max: HUB_ATTACHMENT_MAX_FILES }),
      ]);
    throw error;
  }
  // Form fields and file names are client text like any JSON field (and are stored): one policy.
  const violations = findTextViolations({
    ...fields,
    ...Object.fromEntries(files.map((f, i) => [`files.${i}.filename`, f.filename])),
  });
  if (violations.length) throw new ValidationError(violations);
  return { fields, files };
}

/** The JSON body as the edge parsed it, or the form's fields parsed here, with its files. */
async function bodyAndFiles<S extends z.ZodType>(
  request: FastifyRequest,
  schema: S,
  body: z.infer<S> | undefined,
): Promise<{ body: z.infer<S>; files: IncomingAttachment[] }> {
  if (body !== undefined) return { body, files: [] };
  const form = await readHubForm(request);
  return { body: parseOrThrow(schema, form.fields), files: form.files };
}

export function hubTicketRoutes(services: Services): AnyRouteDef[] {
  const { hubTickets } = services;
  const tags = ['Customer Hub'];
  const limits =
    `Up to ${HUB_ATTACHMENT_MAX_FILES} files of at most ${MAX_MB} MB each, as ` +
    'multipart/form-data parts beside the text fields (413 naming a file over the limit).';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/tickets',
      summary: "The customer's tickets, or their organizations'",
      description:
        'view=mine: tickets the customer raised; view=organization: tickets of the ' +
        'organizations they were granted (organizationId narrows to one; one not granted is ' +
        '404). Newest activity first; a ticket in error shows as open.',
      tags,
      auth: 'hub',
      query: hubTicketListQuerySchema,
      response: {
        status: 200,
        description: 'A page of tickets',
        schema: pageSchema(hubTicketSchema),
      },
      errors: [404],
      handler: ({ hub, query }) => hubTickets.list(hub, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/tickets',
      summary: 'Raise a ticket',
      description: `For the customer's own organization, or one they were granted. ${limits}`,
      tags,
      auth: 'hub',
      body: hubTicketCreateSchema,
      multipart: true,
      response: { status: 201, description: 'The ticket', schema: hubTicketSchema },
      errors: [400, 413],
      handler: async ({ hub, request, body }) => {
        const form = await bodyAndFiles(request, hubTicketCreateSchema, body);
        return hubTickets.create(hub, form.body, form.files);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/tickets/:id',
      summary: 'A ticket with its conversation',
      description:
        "Agents' internal notes never appear. The requester opening it marks the agents' " +
        'messages as seen in the Hub.',
      tags,
      auth: 'hub',
      params: idParams,
      response: { status: 200, description: 'The ticket', schema: hubTicketWithMessagesSchema },
      errors: [404],
      handler: ({ hub, params }) => hubTickets.get(hub, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/tickets/:id/messages',
      summary: 'Reply on a ticket',
      description: `A resolved or pending ticket opens again; a closed one answers 409. ${limits}`,
      tags,
      auth: 'hub',
      params: idParams,
      body: hubReplySchema,
      multipart: true,
      response: { status: 201, description: 'The message', schema: hubMessageSchema },
      errors: [400, 404, 409, 413],
      handler: async ({ hub, request, params, body }) => {
        const form = await bodyAndFiles(request, hubReplySchema, body);
        return hubTickets.reply(hub, params.id, form.body.text, form.files);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hub/v1/tickets/:id/resolve',
      summary: 'Mark my ticket resolved',
      description: 'Only the customer who raised it (403 requester_only for an organization’s).',
      tags,
      auth: 'hub',
      params: idParams,
      response: { status: 200, description: 'The ticket', schema: hubTicketSchema },
      errors: [403, 404, 409],
      handler: ({ hub, params }) => hubTickets.resolve(hub, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hub/v1/attachments/:id',
      summary: 'Download an attachment',
      tags,
      auth: 'hub',
      params: idParams,
      response: {
        status: 200,
        description: 'The file',
        contentType: 'application/octet-stream',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ hub, params, reply }) => {
        const attachment = await hubTickets.attachment(hub, params.id);
        return reply
          .type(attachment.content_type || 'application/octet-stream')
          .header('Content-Disposition', contentDisposition(attachment.filename))
          .send(services.files.read(attachment.file_key));
      },
    }),
  ];
}
