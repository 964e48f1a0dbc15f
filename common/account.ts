// Accounts as a platform administrator (a hosting provider running several support teams on one
// Kunde) creates and lists them: the platform API and `kunde account create` share these.
import { z } from 'zod';
import { passwordSchema } from './auth.ts';

export const accountCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(100),
    adminEmail: z.string().trim().min(3, 'an email address is required').max(254),
    adminName: z.string().trim().min(1, 'a name is required').max(100).optional(),
    adminPassword: passwordSchema.optional().meta({
      description: 'Generated and returned once (`generatedPassword`) when left out',
    }),
  })
  .strict()
  .meta({ id: 'AccountCreate' });
export type AccountCreate = z.infer<typeof accountCreateSchema>;

export const accountSummarySchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .meta({ id: 'AccountSummary' });
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const accountCreatedSchema = z
  .object({
    account: accountSummarySchema,
    admin: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    generatedPassword: z
      .string()
      .optional()
      .meta({ description: 'Only when no adminPassword was sent; shown this once' }),
    warnings: z
      .array(z.string())
      .meta({ description: 'What the administrator should do next, e.g. set support addresses' }),
  })
  .meta({ id: 'AccountCreated' });
export type AccountCreated = z.infer<typeof accountCreatedSchema>;
