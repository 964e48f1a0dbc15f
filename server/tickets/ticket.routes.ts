// /api/v1/tickets, /api/v1/customers/{id}/tickets, attachments, teams, routing rules, the outbox,
// and the inbound SMS webhook (inbound email: server/intake/inbound.routes.ts).
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../common/paging.ts';
import {
  routingRuleCreateSchema,
  routingRuleSchema,
  smsInboundSchema,
  teamCreateSchema,
  teamSchema,
  ticketCreateSchema,
  ticketListQuerySchema,
  ticketReplySchema,
  ticketSchema,
  ticketUpdateSchema,
  ticketWithMessagesSchema,
} from '../../common/ticket.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import { listOutbox } from '../mail/outbox.ts';
import type { Services } from '../services.ts';

const ruleParams = idParams.extend({ ruleId: z.string().uuid() });

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
      description: 'The requester is found by email or phone, or created.',
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
      summary: 'Change status, subject or assignee',
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
        'Stored on the ticket and emailed to the requester, threaded (Message-ID, In-Reply-To, References).',
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
        tickets.reply(principal, params.id, body.text, body.status),
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
    defineRoute({
      method: 'GET',
      url: '/api/v1/teams',
      summary: 'List teams',
      tags: ['Teams'],
      auth: 'tickets.view',
      response: { status: 200, description: 'Teams', schema: pageSchema(teamSchema) },
      handler: async ({ principal }) => {
        const items = await services.teams.list(principal.accountId);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/teams',
      summary: 'Create a team',
      tags: ['Teams'],
      auth: 'agents.manage',
      body: teamCreateSchema,
      response: { status: 201, description: 'The team', schema: teamSchema },
      errors: [409],
      handler: ({ principal, body }) => services.teams.create(principal.accountId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/teams/:id',
      summary: 'Delete a team',
      tags: ['Teams'],
      auth: 'agents.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => services.teams.remove(principal.accountId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/rules',
      summary: "An organization's routing rules",
      tags: ['Organizations'],
      auth: 'customers.view',
      params: idParams,
      response: {
        status: 200,
        description: 'Rules, first match wins',
        schema: pageSchema(routingRuleSchema),
      },
      errors: [404],
      handler: async ({ principal, params }) => {
        const items = await services.routingRules.list(principal.accountId, params.id);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/rules',
      summary: 'Route tickets from this organization to an agent or team',
      tags: ['Organizations'],
      auth: 'settings.manage',
      params: idParams,
      body: routingRuleCreateSchema,
      response: { status: 201, description: 'The rule', schema: routingRuleSchema },
      errors: [404],
      handler: ({ principal, params, body }) =>
        services.routingRules.create(principal.accountId, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/organizations/:id/rules/:ruleId',
      summary: 'Delete a routing rule',
      tags: ['Organizations'],
      auth: 'settings.manage',
      params: ruleParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) =>
        services.routingRules.remove(principal.accountId, params.id, params.ruleId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/outbox',
      summary: 'Outgoing email: held (no SMTP_URL), queued, sent or failed',
      tags: ['Email'],
      auth: 'settings.manage',
      response: {
        status: 200,
        description: 'The last 200 emails',
        schema: pageSchema(
          z.object({
            id: z.string(),
            ticketId: z.string().nullable(),
            to: z.string(),
            subject: z.string(),
            text: z.string(),
            status: z.string(),
            attempts: z.number(),
            lastError: z.string().nullable(),
            createdAt: z.string(),
            sentAt: z.string().nullable(),
          }),
        ),
      },
      handler: async ({ principal }) => {
        const rows = await listOutbox(services.db.kysely, principal.accountId, 200);
        const items = rows.map((r) => ({
          id: r.id,
          ticketId: r.ticket_id,
          to: r.to_address,
          subject: r.subject,
          text: r.body_text,
          status: r.status,
          attempts: Number(r.attempts),
          lastError: r.last_error,
          createdAt: r.created_at,
          sentAt: r.sent_at,
        }));
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inbound/sms',
      summary: 'Receive an SMS from a provider',
      description:
        'Authenticated by the account’s SMS webhook secret (Bearer or X-Kunde-Webhook-Secret). Appends to the sender’s open SMS ticket or opens one.',
      tags: ['Inbound'],
      auth: 'public',
      ownCredentials: true,
      bodyText: 'clean',
      body: smsInboundSchema,
      response: {
        status: 201,
        description: 'Received',
        schema: z.object({
          ticketId: z.string(),
          ticketNumber: z.number(),
          ticketCreated: z.boolean(),
          customerId: z.string(),
          customerCreated: z.boolean(),
        }),
      },
      errors: [401],
      handler: async ({ request, body }) => {
        const header = request.headers['x-kunde-webhook-secret'];
        const accountId = await services.smsIntake.accountForSecret(
          typeof header === 'string' ? header : request.headers.authorization,
        );
        return services.smsIntake.receive(accountId, body);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/settings/sms-webhook-secret',
      summary: 'Create a new SMS webhook secret (shown once)',
      tags: ['Settings'],
      auth: 'settings.manage',
      response: {
        status: 201,
        description: 'The secret',
        schema: z.object({ secret: z.string() }),
      },
      handler: async ({ principal }) => ({
        secret: await services.smsIntake.rotateSecret(principal.accountId),
      }),
    }),
  ];
}
