// Customer contacts: an organization's customers as the organization's Contacts tab sees them
// (seed 002). A contact IS a customer (customers.organization_id); these are the shapes of the
// contacts API, /api/v1/organizations/{id}/contacts, shared by the server and the console.
import { z } from 'zod';
import { customerSchema } from './customer.ts';
import { pageQuerySchema } from './paging.ts';

const name = z.string().trim().max(100, 'at most 100 characters');
const email = z.string().trim().max(254, 'an email address is at most 254 characters');

export const contactCreateSchema = z
  .object({
    firstName: name.optional(),
    lastName: name.optional(),
    email: email.min(1, 'an email address is required'),
    phone: z.string().trim().max(40, 'a phone number is at most 40 characters').nullish(),
    link: z
      .boolean()
      .default(false)
      .meta({
        description:
          'When the email already belongs to a customer: move that customer into this organization ' +
          '(after the 409 `email_belongs_to_customer` was confirmed) instead of refusing',
      }),
  })
  .strict()
  .meta({ id: 'ContactCreate' });
/** What a client sends (`link` may be left out). */
export type ContactCreate = z.input<typeof contactCreateSchema>;

export const contactUpdateSchema = z
  .object({
    firstName: name.nullish(),
    lastName: name.nullish(),
    email: email.nullish(),
    phone: z.string().trim().max(40, 'a phone number is at most 40 characters').nullish(),
    defaultLocationId: z.string().uuid('not a location id').nullish().meta({
      description: "A location of this organization the contact's new tickets start at",
    }),
    status: z.enum(['active', 'deactivated']).optional().meta({
      description: 'Deactivate Contact (or reactivate); governed by Create/Edit Customers',
    }),
    version: z.number().int().positive().optional().meta({
      description: 'The version the edit is based on; a stale one is refused with 409',
    }),
  })
  .strict()
  .meta({ id: 'ContactUpdate' });
export type ContactUpdate = z.infer<typeof contactUpdateSchema>;

export const contactListQuerySchema = pageQuerySchema.extend({
  status: z.enum(['active', 'deactivated', 'all']).default('active'),
  q: z.string().trim().max(200).optional(),
});
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;

/** A contact is the customer itself: the same schema, so the console needs no second type. */
export const contactSchema = customerSchema;
export type Contact = z.infer<typeof contactSchema>;

/** The 409 `email_belongs_to_customer`: who has the address and where they are now. */
export interface EmailOwner {
  id: string;
  name: string;
  email: string;
  organizationId: string | null;
  organizationName: string | null;
}
