// Account settings: what an administrator can change for the whole account.
import { z } from 'zod';

export const LOCALES = ['en', 'nb'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

export const accountSettingsSchema = z
  .object({
    phoneDefaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code such as NO')
      .default('NO')
      .meta({ description: 'Country used to read national phone numbers (ISO 3166-1 alpha-2)' }),
    defaultLocale: localeSchema.default('en'),
  })
  .meta({ id: 'Settings' });
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

export const accountSettingsUpdateSchema = z
  .object({
    phoneDefaultCountry: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as NO'),
    defaultLocale: localeSchema,
  })
  .partial()
  .strict()
  .meta({ id: 'SettingsUpdate' });
export type AccountSettingsUpdate = z.infer<typeof accountSettingsUpdateSchema>;
