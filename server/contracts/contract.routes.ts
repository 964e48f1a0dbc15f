// /api/v1/organizations/{id}/contracts and /api/v1/contracts/{id}: contracts, their tickets,
// their time entries and a month of them as CSV.
import { z } from 'zod';
import { codedMessage } from '../../common/field-error-codes.ts';
import {
  contractCreateSchema,
  contractSchema,
  contractTimeQuerySchema,
  contractUpdateSchema,
  timeEntrySchema,
} from '../../common/contract.ts';
import { pageQuerySchema, pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ContractReportService } from './contract-report.service.ts';
import type { ContractService } from './contract.service.ts';

const contractTicketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string(),
    status: z.string(),
    minutes: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ContractTicket' });

export function contractRoutes(contracts: ContractService, reports: ContractReportService) {
  const tags = ['Contracts'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/contracts',
      summary: "An organization's contracts",
      tags,
      auth: 'customers.view',
      params: idParams,
      response: {
        status: 200,
        description: 'Its contracts, by description',
        schema: z.object({ items: z.array(contractSchema) }),
      },
      errors: [404],
      handler: async ({ principal, params }) => ({
        items: await contracts.list(principal, params.id),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/contracts',
      summary: 'Add a contract',
      description:
        'The customer contact must be a customer of the organization; the support contact and ' +
        'manager agents of the account. With `hasHourRestriction`, `contractHours` is required ' +
        'and `hoursNotificationThreshold` may not exceed it.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: contractCreateSchema,
      response: { status: 201, description: 'The contract', schema: contractSchema },
      errors: [404],
      handler: ({ principal, params, body }) => contracts.create(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/contracts/:id',
      summary: 'A contract with its hours used and left',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'The contract', schema: contractSchema },
      errors: [404],
      handler: ({ principal, params }) => contracts.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/contracts/:id',
      summary: 'Edit a contract',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: contractUpdateSchema,
      response: { status: 200, description: 'The contract', schema: contractSchema },
      errors: [404],
      handler: ({ principal, params, body }) => contracts.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/contracts/:id',
      summary: 'Delete a contract',
      description: 'Its tickets and time entries stay, no longer assigned to a contract.',
      tags,
      auth: 'customers.delete',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => contracts.remove(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/contracts/:id/tickets',
      summary: "A contract's tickets with the time logged on each",
      tags,
      auth: 'tickets.view',
      params: idParams,
      query: pageQuerySchema,
      response: {
        status: 200,
        description: 'A page of tickets, newest first',
        schema: pageSchema(contractTicketSchema),
      },
      errors: [404],
      handler: ({ principal, params, query }) => reports.tickets(principal, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/contracts/:id/time-entries',
      summary: "A contract's time entries",
      description: 'Newest work date first; `month` (YYYY-MM) keeps one month.',
      tags,
      auth: 'tickets.view',
      params: idParams,
      query: contractTimeQuerySchema,
      response: {
        status: 200,
        description: 'A page of time entries',
        schema: pageSchema(timeEntrySchema),
      },
      errors: [404],
      handler: ({ principal, params, query }) => reports.timeEntries(principal, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/contracts/:id/time-entries.csv',
      summary: "A month of a contract's time entries as CSV",
      tags,
      auth: 'tickets.view',
      params: idParams,
      query: z.object({
        month: z
          .string()
          .regex(
            /^\d{4}-(0[1-9]|1[0-2])$/,
            codedMessage('not_a_month', 'must be a month (YYYY-MM)'),
          ),
      }),
      response: {
        status: 200,
        description: 'UTF-8 CSV, oldest work date first',
        contentType: 'text/csv',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, params, query, reply }) => {
        const { filename, csv } = await reports.monthCsv(principal, params.id, query.month);
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${filename}"`)
          .send(csv);
      },
    }),
  ];
}
