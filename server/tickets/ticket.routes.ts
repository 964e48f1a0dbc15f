// /api/v1/tickets, /api/v1/customers/{id}/tickets and attachments. Teams, routing rules, the
// outbox and the inbound webhooks have routes in their own features (teams/, organizations/,
// mail/, intake/).
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../common/paging.ts';
import {
  ticketCreateSchema,
  ticketListQuerySchema,
  ticketReplySchema,
  ticketSchema,
  ticketUpdateSchema,
  ticketWithMessagesSchema,
} from '../../common/ticket.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { Services } from '../services.ts';

export function ticketRoutes(services: Services) {
  const { tickets } = services;
  const tags = ['Tickets'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets',
      summary: 'List tickets',
      tags,
      auth: 'tickets.view',
      query: ticketListQuerySchema,
      response: {
        status: 200,
        description: 'A page of tickets, newest first',
        schema: pageSchema(ticketSchema),
      },
      handler: ({ principal, query }) => tickets.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tickets',
      summary: 'Create a ticket',
      description:
        'The requester is found by email or phone, or created; or, with `requesterId`, an ' +
        "existing customer (a contact). `locationId` and `areaId` must belong to the requester's " +
        'organization and be active (422 naming the field otherwise).',
      tags,
      auth: 'tickets.manage',
      body: ticketCreateSchema,
      response: { status: 201, description: 'The ticket', schema: ticketSchema },
      handler: ({ principal, body }) => tickets.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/:id',
      summary: 'A ticket with its conversation',
      tags,
      auth: 'tickets.view',
      params: idParams,
      response: { status: 200, description: 'The ticket', schema: ticketWithMessagesSchema },
      errors: [404],
      handler: ({ principal, params }) => tickets.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/tickets/:id',
      summary: 'Change status, subject, assignee, team, location or area',
      tags,
      auth: 'tickets.manage',
      params: idParams,
      body: ticketUpdateSchema,
      response: { status: 200, description: 'The ticket', schema: ticketSchema },
      errors: [404],
      handler: ({ principal, params, body }) => tickets.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tickets/:id/messages',
      summary: 'Reply to the customer',
      description:
        'Stored on the ticket and emailed to the requester, threaded (Message-ID, In-Reply-To, ' +
        'References), and shown in the Customer Hub. With `internal: true` an internal note: ' +
        'stored only, for agents.',
      tags,
      auth: 'tickets.manage',
      params: idParams,
      body: ticketReplySchema,
      response: {
        status: 201,
        description: 'The ticket with the reply',
        schema: ticketWithMessagesSchema,
      },
      errors: [404],
      handler: ({ principal, params, body }) =>
        tickets.reply(principal, params.id, body.text, body.status, body.internal),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/tickets',
      summary: "A customer's tickets",
      tags: ['Customers'],
      auth: 'tickets.view',
      params: idParams,
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of tickets', schema: pageSchema(ticketSchema) },
      errors: [404],
      handler: async ({ principal, params, query }) => {
        await services.customers.get(principal, params.id);
        return tickets.listForCustomer(principal, params.id, query.limit, query.cursor);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/attachments/:id',
      summary: 'Download an attachment',
      tags,
      auth: 'tickets.view',
      params: idParams,
      response: {
        status: 200,
        description: 'The file',
        contentType: 'application/octet-stream',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, params, reply }) => {
        const attachment = await tickets.attachment(principal, params.id);
        return reply
          .type(attachment.content_type || 'application/octet-stream')
          .header(
            'Content-Disposition',
            `attachment; filename="${attachment.filename.replace(/["\\\r\n]/g, '_')}"`,
          )
          .send(services.files.read(attachment.file_key));
      },
    }),
  ];
}
