// /api/v1/tickets/{id}/time-entries and /api/v1/time-entries/{id}: time logged on a ticket.
import { z } from 'zod';
import {
  ticketTimeSchema,
  timeEntryAuditSchema,
  timeEntryCreateSchema,
  timeEntrySchema,
  timeEntryUpdateSchema,
} from '../../common/contract.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { TimeEntryService } from './time-entry.service.ts';

const overLimit =
  'On a contract ticket, an entry that takes the contract past its hours answers 409 ' +
  '`contract_hours_exceeded` with `hoursUsed` and `hoursLeft`, unless `confirmOverLimit: true` ' +
  '(then the confirmation is kept on the entry).';

export function timeEntryRoutes(entries: TimeEntryService) {
  const tags = ['Time entries'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/:id/time-entries',
      summary: "A ticket's time entries, their total and its contract's hours",
      tags,
      auth: 'tickets.view',
      params: idParams,
      response: { status: 200, description: 'The time panel', schema: ticketTimeSchema },
      errors: [404],
      handler: ({ principal, params }) => entries.forTicket(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tickets/:id/time-entries',
      summary: 'Log time on a ticket',
      description: overLimit,
      tags,
      auth: 'tickets.manage',
      params: idParams,
      body: timeEntryCreateSchema,
      response: { status: 201, description: 'The entry', schema: timeEntrySchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => entries.log(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/:id/time-entries/audit',
      summary: "The ticket's time trail: every entry logged, edited or deleted",
      tags,
      auth: 'tickets.view',
      params: idParams,
      response: {
        status: 200,
        description: 'Newest first',
        schema: z.object({ items: z.array(timeEntryAuditSchema) }),
      },
      errors: [404],
      handler: async ({ principal, params }) => ({
        items: await entries.auditOfTicket(principal, params.id),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/time-entries/:id',
      summary: 'Edit a time entry',
      description: overLimit,
      tags,
      auth: 'tickets.manage',
      params: idParams,
      body: timeEntryUpdateSchema,
      response: { status: 200, description: 'The entry', schema: timeEntrySchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => entries.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/time-entries/:id',
      summary: 'Delete a time entry',
      tags,
      auth: 'tickets.manage',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => entries.remove(principal, params.id),
    }),
  ];
}
