// Customer schemas shared by the API, the OpenAPI document and the console forms.
import { z } from 'zod';
import { customerSortFields } from './customer-list.ts';
import { pageQuerySchema, pageSchema } from './paging.ts';

export const CUSTOMER_STATUSES = ['active', 'deactivated'] as const;
export const customerStatusSchema = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;

export const MAX_CUSTOM_ATTRIBUTES = 100;

export const customAttributeValueSchema = z.union([
  z.string().max(10_000),
  z.number().finite(),
  z.boolean(),
  z.array(z.string().max(200)).max(100),
  z.null(),
]);
export const customAttributesSchema = z
  .record(
    z
      .string()
      .trim()
      .min(1, 'attribute name must not be empty')
      .max(64, 'attribute name is longer than 64 characters'),
    customAttributeValueSchema,
  )
  .refine((attributes) => Object.keys(attributes).length <= MAX_CUSTOM_ATTRIBUTES, {
    message: `at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes`,
    params: { code: 'too_many', max: MAX_CUSTOM_ATTRIBUTES },
  })
  .meta({ description: 'Free-form attributes: string keys, string/number/boolean values' });
export type CustomAttributes = z.infer<typeof customAttributesSchema>;

const name = z.string().trim().max(100, 'at most 100 characters');
const email = z.string().trim().max(254, 'an email address is at most 254 characters');
const phone = z.string().trim().max(40, 'a phone number is at most 40 characters');

/** Issue 15: a customer holds up to this many email addresses besides the primary, and phones. */
export const MAX_ADDITIONAL_IDENTITIES = 20;
const additionalEmails = z
  .array(email)
  .max(MAX_ADDITIONAL_IDENTITIES, `at most ${MAX_ADDITIONAL_IDENTITIES} more email addresses`)
  .meta({
    description:
      'Email addresses besides the primary `email`, the whole set (a change replaces it); ' +
      'each unique in the account like the primary, and matched the same way for incoming mail',
  });
const additionalPhones = z
  .array(phone)
  .max(MAX_ADDITIONAL_IDENTITIES, `at most ${MAX_ADDITIONAL_IDENTITIES} more phone numbers`)
  .meta({
    description: 'Mobile numbers besides the primary `phone`, the whole set; stored as E.164',
  });

export const customerCreateSchema = z
  .object({
    firstName: name.optional(),
    lastName: name.optional(),
    email: email.nullish(),
    phone: phone.nullish().meta({ description: 'Mobile number, any format; stored as E.164' }),
    additionalEmails: additionalEmails.optional(),
    additionalPhones: additionalPhones.optional(),
    customAttributes: customAttributesSchema.optional(),
    organizationId: z
      .string()
      .uuid('not an organization id')
      .nullish()
      .meta({ description: 'Leave out to match by email domain; null for no organization' }),
    typeId: z.string().uuid('not a customer type id').nullish(),
    hubAccess: z.boolean().optional().meta({
      description: 'May sign in to the Customer Hub (default: on)',
    }),
  })
  .strict()
  .refine((c) => Boolean(c.email) || Boolean(c.phone), {
    message: 'an email address or a mobile number is required',
    path: ['email'],
    params: { code: 'email_or_phone_required' },
  })
  .meta({ id: 'CustomerCreate' });
export type CustomerCreate = z.infer<typeof customerCreateSchema>;

export const customerUpdateSchema = z
  .object({
    firstName: name.nullish(),
    lastName: name.nullish(),
    email: email.nullish(),
    phone: phone.nullish(),
    additionalEmails: additionalEmails.optional(),
    additionalPhones: additionalPhones.optional(),
    customAttributes: customAttributesSchema.optional(),
    organizationId: z.string().uuid('not an organization id').nullish(),
    typeId: z.string().uuid('not a customer type id').nullish(),
    defaultLocationId: z.string().uuid('not a location id').nullish(),
    status: customerStatusSchema.optional(),
    hubAccess: z.boolean().optional().meta({
      description: 'Off ends the customer’s Customer Hub sessions at once',
    }),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'The version the edit is based on; a stale one is refused with 409' }),
  })
  .strict()
  .meta({ id: 'CustomerUpdate' });
export type CustomerUpdate = z.infer<typeof customerUpdateSchema>;

export const customerSchema = z
  .object({
    id: z.string(),
    number: z.number().int().meta({ description: 'Per-account reference number' }),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable().meta({ description: 'The primary email address' }),
    phone: z.string().nullable().meta({ description: 'The primary mobile number (E.164)' }),
    additionalEmails: z.array(z.string()),
    additionalPhones: z.array(z.string()),
    customAttributes: z.record(z.string(), customAttributeValueSchema),
    organizationId: z.string().nullable(),
    organizationName: z.string().nullable(),
    typeId: z.string().nullable(),
    defaultLocationId: z
      .string()
      .nullable()
      .meta({ description: "A location of the customer's organization; new tickets start there" }),
    status: z.enum([...CUSTOMER_STATUSES, 'merged']).meta({
      description:
        '`merged`: this customer was merged into `mergedInto` and is kept only so its old id ' +
        'still leads there; it is never listed, matched or changed',
    }),
    mergedInto: z.string().nullable().meta({
      description: 'The customer this one was merged into (issue 15); null for every other',
    }),
    hubAccess: z.boolean().meta({ description: 'May sign in to the Customer Hub' }),
    createdVia: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastActivityAt: z
      .string()
      .nullable()
      .meta({
        description:
          "The last message on one of their tickets, theirs or an agent's; null if none yet. " +
          'The list sorts a customer without one by `createdAt` (`sort=lastActivity`)',
      }),
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

export const customerListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
  status: z.enum([...CUSTOMER_STATUSES, 'all']).default('active'),
  organizationId: z
    .union([z.literal('none'), z.string().uuid('not an organization id')])
    .optional()
    .meta({ description: 'An organization id, or `none` for customers without one' }),
  typeId: z.string().uuid('not a customer type id').optional(),
  ...customerSortFields,
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

/** A page of customers: the list envelope and a cursor back to the page before (issue 16). */
export const customerPageSchema = pageSchema(customerSchema).extend({
  previousCursor: z
    .string()
    .optional()
    .meta({ description: 'Absent on the first page: the cursor of the page before this one' }),
});

export const AUDIT_ACTIONS = [
  'created',
  'updated',
  'deactivated',
  'reactivated',
  // Data rights (server/exports/): an archive was requested, an archive was downloaded.
  'export_requested',
  'export_downloaded',
  // Merges (server/merge/): "merged" on the survivor (changes: mergedFrom, the values it took
  // over), "merged_into" on the merged-away customer, "merge_undone" on both after an undo.
  'merged',
  'merged_into',
  'merge_undone',
] as const;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({
      type: z.enum(['user', 'token', 'system']),
      id: z.string().nullable(),
      name: z.string(),
    }),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    createdAt: z.string(),
    /** Set on the "created" entry of a customer a CSV import created: the file and its row. */
    import: z
      .object({ id: z.string(), filename: z.string().nullable(), row: z.number().int().nullable() })
      .optional(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * The name a person reads: first and last name, else the email, else the phone. `formatPhone`
 * writes the stored E.164 number as people read it (the console passes the account's national
 * format, web/components/PhoneNumber.tsx useCustomerDisplayName); without it the number is as
 * stored.
 */
export function customerDisplayName(
  c: Pick<Customer, 'firstName' | 'lastName' | 'email' | 'phone'>,
  formatPhone: (stored: string) => string = (stored) => stored,
) {
  const full = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return full || c.email || (c.phone ? formatPhone(c.phone) : '');
}
