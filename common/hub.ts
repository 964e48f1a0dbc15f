// The Customer Hub (issue 14): what its API (/api/hub/v1) takes and answers, the account's Hub
// settings and a customer's Hub access as agents edit them (/api/v1). Shared by the server, the
// Hub application (web/hub), the console and the OpenAPI document.
import { z } from 'zod';
import { codedMessage } from './field-error-codes.ts';
import { hubStoredSettingsSchema, localeSchema, supportContactSchema } from './settings.ts';
import { pageQuerySchema } from './paging.ts';

/** Passwords in the Hub: at least 12 characters, at most 256 (checked before any hashing). */
export const HUB_PASSWORD_MIN = 12;
export const HUB_PASSWORD_MAX = 256;
/** Links (sign-in, set password, confirm registration) are good for 15 minutes, once. */
export const HUB_LINK_TTL_MS = 15 * 60 * 1000;
/** Attachments a customer can send with one message. */
export const HUB_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const HUB_ATTACHMENT_MAX_FILES = 5;

export const HUB_SESSION_COOKIE = 'kunde_hub';

// --- The account's Hub, as an administrator sets it (/api/v1/settings/hub) -----------------

/** The Hub's address: /hub/<slug>. Lower-case letters, digits and dashes. */
export const hubSlugSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    codedMessage('invalid_format', 'lower-case letters, digits and dashes, such as acme-support'),
  );

export { supportContactSchema, type SupportContact } from './settings.ts';

export const hubSettingsSchema = hubStoredSettingsSchema
  .extend({ slug: z.string().nullable().meta({ description: 'The Hub is at /hub/<slug>' }) })
  .meta({ id: 'HubSettings' });
export type HubSettings = z.infer<typeof hubSettingsSchema>;

export const hubSettingsUpdateSchema = z
  .object({
    enabled: z.boolean(),
    slug: hubSlugSchema,
    passwordSignIn: z.boolean(),
    linkSignIn: z.boolean(),
    selfRegistration: z.boolean(),
    registrationDomains: z.array(z.string().trim().min(1).max(253)).max(200),
    supportContact: z
      .object({
        message: z.object({
          en: z.string().trim().max(2000),
          nb: z.string().trim().max(2000),
        }),
        email: z.string().trim().max(254).nullable(),
        phone: z.string().trim().max(40).nullable(),
      })
      .strict(),
  })
  .partial()
  .strict()
  .meta({ id: 'HubSettingsUpdate' });
export type HubSettingsUpdate = z.infer<typeof hubSettingsUpdateSchema>;

// --- A customer's Hub access, as an agent sees and edits it (/api/v1/customers/{id}/hub) ---

export const hubOrganizationSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'HubOrganization' });
export type HubOrganization = z.infer<typeof hubOrganizationSchema>;

export const customerHubSchema = z
  .object({
    hubAccess: z.boolean(),
    passwordSet: z.boolean(),
    lastSignInAt: z.string().nullable(),
    organizations: z.array(hubOrganizationSchema).meta({
      description: 'Organizations whose tickets the customer may view, reply to and create',
    }),
  })
  .meta({ id: 'CustomerHub' });
export type CustomerHub = z.infer<typeof customerHubSchema>;

export const customerHubGrantsSchema = z
  .object({ organizationIds: z.array(z.string().uuid('not an organization id')).max(100) })
  .strict()
  .meta({ id: 'CustomerHubGrants' });
export type CustomerHubGrants = z.infer<typeof customerHubGrantsSchema>;

// --- The Hub's own API (/api/hub/v1) ---------------------------------------------------------

/** What the Hub shows before sign-in: the account's name and how one may sign in. */
export const hubSiteSchema = z
  .object({
    slug: z.string(),
    accountName: z.string(),
    defaultLocale: localeSchema,
    passwordSignIn: z.boolean(),
    linkSignIn: z.boolean(),
    selfRegistration: z.boolean(),
    attachmentMaxBytes: z.number().int(),
    attachmentMaxFiles: z.number().int(),
    phoneCountry: z.string().meta({
      description:
        "The account's phone country (ISO 3166-1 alpha-2): the Hub writes its numbers nationally",
    }),
  })
  .meta({ id: 'HubSite' });
export type HubSite = z.infer<typeof hubSiteSchema>;

const hubEmailSchema = z.string().trim().min(1).max(254);
/** Length checked here, before the password reaches any hash (a 1 MB password is refused). */
export const hubPasswordSchema = z
  .string()
  .min(HUB_PASSWORD_MIN, `at least ${HUB_PASSWORD_MIN} characters`)
  .max(HUB_PASSWORD_MAX, `at most ${HUB_PASSWORD_MAX} characters`);

export const hubSignInSchema = z
  .object({ email: hubEmailSchema, password: z.string().min(1).max(HUB_PASSWORD_MAX) })
  .strict()
  .meta({ id: 'HubSignIn' });
export type HubSignIn = z.infer<typeof hubSignInSchema>;

export const hubEmailRequestSchema = z
  .object({ email: hubEmailSchema, locale: localeSchema.optional() })
  .strict()
  .meta({ id: 'HubEmailRequest', description: 'Asks for a sign-in or set-password link' });

export const hubRegistrationSchema = z
  .object({
    email: hubEmailSchema,
    name: z.string().trim().min(1).max(200),
    locale: localeSchema.optional(),
  })
  .strict()
  .meta({ id: 'HubRegistration' });
export type HubRegistration = z.infer<typeof hubRegistrationSchema>;

/** Redeems a link from an email: sign-in, a registration's confirmation, or a new password. */
export const hubRedeemSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: hubPasswordSchema.optional().meta({
      description: 'Required for a set-password link; optional when confirming a registration',
    }),
  })
  .strict()
  .meta({ id: 'HubRedeem' });
export type HubRedeem = z.infer<typeof hubRedeemSchema>;

export const hubMeSchema = z
  .object({
    customer: z.object({
      id: z.string(),
      name: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      email: z.string().nullable(),
      locale: localeSchema,
      passwordSet: z.boolean(),
    }),
    account: z.object({ name: z.string(), slug: z.string() }),
    organizations: z.array(hubOrganizationSchema).meta({
      description: 'Organizations whose tickets this customer was granted',
    }),
  })
  .meta({ id: 'HubMe' });
export type HubMe = z.infer<typeof hubMeSchema>;

/**
 * A correct credential answers one of two: signed in (a session cookie is set), or the customer's
 * access is off (no session; the account's support contact details instead).
 */
export const hubSignInResultSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('signed_in'), me: hubMeSchema }),
    z.object({
      status: z.literal('access_off'),
      accountName: z.string(),
      supportContact: supportContactSchema,
    }),
  ])
  .meta({ id: 'HubSignInResult' });
export type HubSignInResult = z.infer<typeof hubSignInResultSchema>;

/** What a customer may change of themselves; anything else is refused (strict). */
export const hubProfileUpdateSchema = z
  .object({
    firstName: z.string().trim().max(100).nullable(),
    lastName: z.string().trim().max(100).nullable(),
    locale: localeSchema,
  })
  .partial()
  .strict()
  .meta({ id: 'HubProfileUpdate' });
export type HubProfileUpdate = z.infer<typeof hubProfileUpdateSchema>;

export const hubPasswordChangeSchema = z
  .object({
    currentPassword: z.string().max(HUB_PASSWORD_MAX).optional(),
    password: hubPasswordSchema,
  })
  .strict()
  .meta({ id: 'HubPasswordChange' });

// --- Tickets in the Hub ------------------------------------------------------------------------

/** The statuses a customer sees; a ticket in `error` shows as open. */
export const HUB_TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const hubTicketStatusSchema = z.enum(HUB_TICKET_STATUSES);
export type HubTicketStatus = z.infer<typeof hubTicketStatusSchema>;

export const hubTicketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string(),
    status: hubTicketStatusSchema,
    requesterName: z.string(),
    mine: z.boolean().meta({ description: 'The signed-in customer raised it' }),
    organizationId: z.string().nullable(),
    organizationName: z.string().nullable(),
    messageCount: z.number().int(),
    lastMessageAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'HubTicket' });
export type HubTicket = z.infer<typeof hubTicketSchema>;

export const hubAttachmentSchema = z
  .object({
    id: z.string(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    url: z.string().meta({ description: '/api/hub/v1/attachments/{id}' }),
  })
  .meta({ id: 'HubAttachment' });

export const hubMessageSchema = z
  .object({
    id: z.string(),
    author: z.enum(['me', 'customer', 'agent']),
    authorName: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    attachments: z.array(hubAttachmentSchema),
    createdAt: z.string(),
  })
  .meta({
    id: 'HubMessage',
    description: "A ticket's message; agents' internal notes never appear",
  });
export type HubMessage = z.infer<typeof hubMessageSchema>;

export const hubTicketWithMessagesSchema = hubTicketSchema
  .extend({ messages: z.array(hubMessageSchema) })
  .meta({ id: 'HubTicketWithMessages' });
export type HubTicketWithMessages = z.infer<typeof hubTicketWithMessagesSchema>;

export const hubTicketListQuerySchema = pageQuerySchema
  .extend({
    view: z.enum(['mine', 'organization']).default('mine').meta({
      description: "mine: the customer's own tickets; organization: a granted organization's",
    }),
    organizationId: z.string().uuid('not an organization id').optional().meta({
      description:
        'With view=organization: one of the granted organizations (default: all of them)',
    }),
    status: hubTicketStatusSchema.optional(),
    q: z.string().trim().max(200).optional().meta({ description: 'Words of the subject' }),
  })
  .strict();
export type HubTicketListQuery = z.infer<typeof hubTicketListQuerySchema>;

/** The text fields of a new ticket (JSON, or the fields of a multipart form with its files). */
export const hubTicketCreateSchema = z
  .object({
    subject: z.string().trim().min(1, 'a subject is required').max(500),
    message: z.string().trim().min(1, 'a message is required').max(100_000),
    organizationId: z.string().uuid('not an organization id').nullish().meta({
      description: 'A granted organization the ticket is raised for (default: the customer’s own)',
    }),
  })
  .strict()
  .meta({ id: 'HubTicketCreate' });
export type HubTicketCreate = z.infer<typeof hubTicketCreateSchema>;

export const hubReplySchema = z
  .object({ text: z.string().trim().min(1, 'write a reply').max(100_000) })
  .strict()
  .meta({ id: 'HubReply' });
export type HubReply = z.infer<typeof hubReplySchema>;
