// Account settings: what an administrator can change for the whole account.
import { z } from 'zod';
import { codedMessage } from './field-error-codes.ts';
import { DEFAULT_PANEL, panelItemSchema } from './custom-field.ts';
import { ticketStatusSchema } from './ticket.ts';

export const LOCALES = ['en', 'nb'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

export const MAX_RETENTION_DAYS = 36_500;
/** How long a customer data archive may be kept for download, at most. */
export const MAX_EXPORT_RETENTION_DAYS = 365;

const retentionDaysSchema = z
  .number()
  .int('a whole number of days')
  .min(0, `from 0 to ${MAX_RETENTION_DAYS} days`)
  .max(MAX_RETENTION_DAYS, `from 0 to ${MAX_RETENTION_DAYS} days`);

/** An IANA time zone name this runtime knows (Intl decides; no tz database of our own). */
export function isTimeZone(name: string): boolean {
  // Remembered: building a DateTimeFormat to ask costs ~50 µs, and every read of an account's
  // settings checks its zone (an eighth of a sender lookup's CPU). Bounded: names come from input.
  const known = timeZoneAnswers.get(name);
  if (known !== undefined) return known;
  let answer: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    answer = true;
  } catch {
    answer = false;
  }
  if (timeZoneAnswers.size >= 1000) timeZoneAnswers.clear();
  timeZoneAnswers.set(name, answer);
  return answer;
}
const timeZoneAnswers = new Map<string, boolean>();

const COUNTRY_CODE = codedMessage('not_a_country_code', 'a two-letter country code such as NO');

const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, codedMessage('not_a_time_zone', 'not a time zone name such as Europe/Oslo'));

export const supportContactSchema = z
  .object({
    message: z.object({ en: z.string().max(2000), nb: z.string().max(2000) }),
    email: z.string().max(254).nullable(),
    phone: z.string().max(40).nullable(),
  })
  .meta({
    id: 'HubSupportContact',
    description: 'Shown to a customer whose Hub access is off, after a valid credential',
  });
export type SupportContact = z.infer<typeof supportContactSchema>;

/**
 * The Customer Hub (issue 14) as the account keeps it; its address (slug) is a column of its own
 * (accounts.hub_slug, unique). Changed through /api/v1/settings/hub, not PATCH /settings.
 */
export const hubStoredSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  passwordSignIn: z.boolean().default(true),
  linkSignIn: z.boolean().default(true).meta({ description: 'One-time sign-in links by email' }),
  selfRegistration: z.boolean().default(false),
  registrationDomains: z.array(z.string()).default([]).meta({
    description: 'Self-registration only for these email domains (empty: any domain)',
  }),
  supportContact: supportContactSchema.default({
    message: { en: '', nb: '' },
    email: null,
    phone: null,
  }),
});
export type HubStoredSettings = z.infer<typeof hubStoredSettingsSchema>;

/**
 * What a plain Send does to the ticket's status (issue 16): 'keep' leaves it as it is, a status
 * sets it. The agent can always choose another one beside the Send button.
 */
export const replyStatusSchema = z.union([z.literal('keep'), ticketStatusSchema]);
export type ReplyStatus = z.infer<typeof replyStatusSchema>;

/** How long a merge can be undone: the journal keeps both customers' data that long. */
const mergeUndoDaysSchema = z
  .number()
  .int('a whole number of days')
  .min(1, 'at least 1 day')
  .max(365, 'at most 365 days');

export const accountSettingsSchema = z
  .object({
    phoneDefaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, COUNTRY_CODE)
      .default('NO')
      .meta({ description: 'Country used to read national phone numbers (ISO 3166-1 alpha-2)' }),
    defaultLocale: localeSchema.default('en'),
    autoCreateOrganizations: z
      .boolean()
      .default(true)
      .meta({ description: "Create an organization from a new customer's email domain" }),
    ignoredDomains: z.array(z.string()).max(1000).default([]).meta({
      description: 'Extra domains (besides public mail) that never create or match an organization',
    }),
    showCustomerType: z
      .boolean()
      .default(true)
      .meta({ description: 'Show the customer type in the detail panel' }),
    allowFreeformAttributes: z
      .boolean()
      .default(true)
      .meta({ description: 'Allow custom attributes that are not defined custom fields' }),
    supportAddresses: z.array(z.string()).max(50).default([]).meta({
      description:
        'Email addresses whose mail becomes tickets in this account; the first is the From of replies',
    }),
    customerPanel: z.array(panelItemSchema).default(DEFAULT_PANEL).meta({
      description:
        'What the customer detail panel shows, in order (change it at /settings/customer-panel)',
    }),
    exportRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_EXPORT_RETENTION_DAYS)
      .default(7)
      .meta({ description: 'Days a customer data archive can be downloaded; then it is deleted' }),
    customerRetentionDays: retentionDaysSchema.default(0).meta({
      description:
        "Days after a customer's last activity before they may be erased (0: no retention period)",
    }),
    timeZone: timeZoneSchema.default('Europe/Oslo').meta({
      description: 'IANA time zone in which retention days are counted',
    }),
    retentionPurgeEnabled: z.boolean().default(false).meta({
      description: 'Erase customers past the retention period daily (retention policy)',
    }),
    mergeUndoDays: mergeUndoDaysSchema.default(30).meta({
      description: 'Days a merge of two customers or organizations can be undone (issue 15)',
    }),
    replyStatus: replyStatusSchema.default('keep').meta({
      description:
        "What Send does to the ticket's status: 'keep' leaves it, a status (pending, …) sets it",
    }),
    hub: hubStoredSettingsSchema.prefault({}).meta({
      description: 'The Customer Hub (change it through /api/v1/settings/hub)',
    }),
  })
  .meta({ id: 'Settings' });
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

export const accountSettingsUpdateSchema = z
  .object({
    phoneDefaultCountry: z.string().regex(/^[A-Z]{2}$/, COUNTRY_CODE),
    defaultLocale: localeSchema,
    autoCreateOrganizations: z.boolean(),
    ignoredDomains: z.array(z.string().trim().min(1).max(253)).max(1000),
    showCustomerType: z.boolean(),
    allowFreeformAttributes: z.boolean(),
    supportAddresses: z.array(z.string().trim().min(3).max(254)).max(50),
    exportRetentionDays: z
      .number()
      .int('a whole number of days')
      .min(1, 'at least 1 day')
      .max(MAX_EXPORT_RETENTION_DAYS, `at most ${MAX_EXPORT_RETENTION_DAYS} days`),
    customerRetentionDays: retentionDaysSchema,
    timeZone: timeZoneSchema,
    retentionPurgeEnabled: z.boolean(),
    mergeUndoDays: mergeUndoDaysSchema,
    replyStatus: replyStatusSchema,
  })
  .partial()
  .strict()
  .meta({ id: 'SettingsUpdate' });
export type AccountSettingsUpdate = z.infer<typeof accountSettingsUpdateSchema>;

/** Whether the account has a webhook secret for each webhook Kunde receives (never the secret). */
export const webhookSecretsSchema = z
  .object({
    smsWebhook: z.object({ createdAt: z.string() }).nullable(),
    emailWebhook: z.object({ createdAt: z.string() }).nullable(),
  })
  .meta({ id: 'WebhookSecrets' });
export type WebhookSecrets = z.infer<typeof webhookSecretsSchema>;
