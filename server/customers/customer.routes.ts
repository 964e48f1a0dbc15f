// /api/v1/customers: thin routes: authenticate → validate → authorize → service → present.
import { fieldError } from '../../common/field-error-codes.ts';
import {
  auditEntrySchema,
  customerCreateSchema,
  customerListQuerySchema,
  customerPageSchema,
  customerSchema,
  customerUpdateSchema,
} from '../../common/customer.ts';
import { pageQuerySchema, pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { ValidationError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import type { CustomerService } from './customer.service.ts';

export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header)?.replace(/^W\//, '').replace(/"/g, '');
  const version = Number(value);
  if (!value || !Number.isInteger(version) || version < 1) {
    throw new ValidationError([
      fieldError('If-Match', 'invalid_version', 'must be the customer version, e.g. "3"'),
    ]);
  }
  return version;
}

export function customerRoutes(customers: CustomerService) {
  const tags = ['Customers'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers',
      summary: 'List customers',
      description:
        'Active customers by default, newest first. `q` searches name, email and phone ' +
        '(substring, case- and diacritics-insensitive). `sort` and `order` choose the order ' +
        '(each an index walk); page with `nextCursor` and `previousCursor` as `cursor`.',
      tags,
      auth: 'customers.view',
      query: customerListQuerySchema,
      response: {
        status: 200,
        description: 'A page of customers',
        schema: customerPageSchema,
      },
      handler: ({ principal, query }) => customers.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers',
      summary: 'Create a customer',
      description: 'Needs only an email address or a mobile number.',
      tags,
      auth: 'customers.create_edit',
      body: customerCreateSchema,
      response: { status: 201, description: 'The new customer', schema: customerSchema },
      errors: [409],
      handler: async ({ principal, body, reply }) => {
        const customer = await customers.create(
          principal,
          body,
          principal.type === 'token' ? 'api' : 'agent',
        );
        void reply
          .header('Location', `/api/v1/customers/${customer.id}`)
          .header('ETag', `"${customer.version}"`);
        return customer;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id',
      summary: 'Get a customer',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'The customer', schema: customerSchema },
      errors: [404],
      handler: async ({ principal, params, reply }) => {
        const customer = await customers.get(principal, params.id);
        void reply.header('ETag', `"${customer.version}"`);
        return customer;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/customers/:id',
      summary: 'Edit, deactivate or reactivate a customer',
      description:
        'Send only the fields to change. `status` deactivates or reactivates, which also needs ' +
        'the `customers.delete` permission. Send the version ' +
        'you edited (`version` in the body or `If-Match`) to have a stale edit refused with 409.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: customerUpdateSchema,
      headers: [{ name: 'If-Match', description: 'The customer version the edit is based on' }],
      response: {
        status: 200,
        description: 'The customer after the change',
        schema: customerSchema,
      },
      errors: [403, 404, 409],
      handler: async ({ principal, params, body, request, reply }) => {
        const customer = await customers.update(
          principal,
          params.id,
          body,
          parseIfMatch(request.headers['if-match']),
        );
        void reply.header('ETag', `"${customer.version}"`);
        return customer;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/audit',
      summary: "A customer's audit trail",
      description: 'Who changed what and when, newest first.',
      tags,
      auth: 'customers.view',
      params: idParams,
      query: pageQuerySchema,
      response: {
        status: 200,
        description: 'A page of audit entries',
        schema: pageSchema(auditEntrySchema),
      },
      errors: [404],
      handler: ({ principal, params, query }) =>
        customers.auditTrail(principal, params.id, query.limit, query.cursor),
    }),
  ];
}
