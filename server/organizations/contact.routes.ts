// /api/v1/organizations/{id}/contacts: an organization's customers as its Contacts tab (seed
// 002). Thin routes over ContactService; reading needs customers.view, every change Create/Edit
// Customers, deactivating included.
import { z } from 'zod';
import {
  contactCreateSchema,
  contactListQuerySchema,
  contactSchema,
  contactUpdateSchema,
} from '../../common/contact.ts';
import { pageSchema } from '../../common/paging.ts';
import { parseIfMatch } from '../customers/customer.routes.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ContactService } from './contact.service.ts';

const contactParams = idParams.extend({ customerId: z.string().uuid('not a customer id') });

export function contactRoutes(contacts: ContactService) {
  const tags = ['Contacts'];
  const base = '/api/v1/organizations/:id/contacts';
  return [
    defineRoute({
      method: 'GET',
      url: base,
      summary: "An organization's customer contacts",
      description: 'Active contacts by default, newest first; `q` searches name, email and phone.',
      tags,
      auth: 'customers.view',
      params: idParams,
      query: contactListQuerySchema,
      response: {
        status: 200,
        description: 'A page of contacts',
        schema: pageSchema(contactSchema),
      },
      errors: [404],
      handler: ({ principal, params, query }) => contacts.list(principal, params.id, query),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      summary: 'Add a customer contact',
      description:
        'Creates a customer in the organization. When the email already belongs to a customer the ' +
        'answer is 409 `email_belongs_to_customer` with `customer` (id, name, email, current ' +
        'organization); send the same request with `link: true` to move that customer into this ' +
        'organization instead (201, `Kunde-Contact-Linked: true`). 409 `contact_exists` when they ' +
        'are already an active contact here.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: contactCreateSchema,
      response: { status: 201, description: 'The contact', schema: contactSchema },
      errors: [404, 409],
      handler: async ({ principal, params, body, reply }) => {
        const { contact, linked } = await contacts.create(principal, params.id, body);
        void reply
          .header('Location', `/api/v1/customers/${contact.id}`)
          .header('ETag', `"${contact.version}"`)
          .header('Kunde-Contact-Linked', String(linked));
        return contact;
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:customerId`,
      summary: 'A customer contact',
      tags,
      auth: 'customers.view',
      params: contactParams,
      response: { status: 200, description: 'The contact', schema: contactSchema },
      errors: [404],
      handler: ({ principal, params }) => contacts.get(principal, params.id, params.customerId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:customerId`,
      summary: 'Edit, deactivate or reactivate a customer contact',
      description:
        'Inline edits of first name, last name, email or phone; `status` deactivates (Deactivate ' +
        'Contact) or reactivates. Send `version` or `If-Match` to have a stale edit refused (409).',
      tags,
      auth: 'customers.create_edit',
      params: contactParams,
      body: contactUpdateSchema,
      headers: [{ name: 'If-Match', description: 'The customer version the edit is based on' }],
      response: { status: 200, description: 'The contact after the change', schema: contactSchema },
      errors: [404, 409],
      handler: async ({ principal, params, body, request, reply }) => {
        const contact = await contacts.update(
          principal,
          params.id,
          params.customerId,
          body,
          parseIfMatch(request.headers['if-match']),
        );
        void reply.header('ETag', `"${contact.version}"`);
        return contact;
      },
    }),
  ];
}
