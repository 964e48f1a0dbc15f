// Organizations (customer companies), their email domains, and moving customers between them.
import { z } from 'zod';
import { codedMessage } from './field-error-codes.ts';
import { pageQuerySchema } from './paging.ts';
import { customFieldValuesSchema } from './custom-field.ts';

export const domainSchema = z
  .string()
  .trim()
  .min(3, codedMessage('not_a_domain', 'a domain such as example.com'))
  .max(253)
  .meta({ description: 'An email domain such as example.com (IDN allowed)' });

export const organizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domains: z.array(z.string()),
    notes: z.string().nullable(),
    customFields: customFieldValuesSchema,
    autoCreated: z.boolean(),
    customerCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    mergedInto: z
      .string()
      .nullable()
      .meta({
        description:
          'Issue 15: the organization this one was merged into (it answers as a pointer to it and ' +
          'takes no writes); null normally',
      }),
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof organizationSchema>;

export const organizationCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(200),
    domains: z.array(domainSchema).max(100).optional(),
    notes: z.string().max(10_000).nullish(),
    customFields: customFieldValuesSchema.optional(),
  })
  .strict()
  .meta({ id: 'OrganizationCreate' });
export type OrganizationCreate = z.infer<typeof organizationCreateSchema>;

export const organizationUpdateSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(200),
    notes: z.string().max(10_000).nullable(),
    customFields: customFieldValuesSchema,
  })
  .partial()
  .strict()
  .meta({ id: 'OrganizationUpdate' });
export type OrganizationUpdate = z.infer<typeof organizationUpdateSchema>;

export const organizationListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
});

export const domainAddSchema = z
  .object({
    domain: domainSchema,
    groupExisting: z
      .boolean()
      .default(false)
      .meta({ description: "Also move the domain's existing customers into this organization" }),
  })
  .strict()
  .meta({ id: 'DomainAdd' });

export const domainResultSchema = z
  .object({
    organization: organizationSchema,
    domain: z.string(),
    matchingCustomers: z
      .number()
      .int()
      .meta({ description: 'Customers with this domain who are not in the organization' }),
    moved: z.number().int(),
  })
  .meta({ id: 'DomainResult' });
/** What adding a domain, or grouping by it, answers. */
export type DomainResult = z.infer<typeof domainResultSchema>;

export const moveCustomersSchema = z
  .object({
    customerIds: z.array(z.string().uuid('not a customer id')).min(1).max(1000),
  })
  .strict()
  .meta({ id: 'MoveCustomers' });

export const moveResultSchema = z.object({
  moved: z.number().int(),
  organizationId: z.string().nullable(),
});
