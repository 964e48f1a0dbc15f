// Tickets, their messages, teams, routing rules and inbound SMS: the schemas the API validates
// and documents, and the types the server and the console both use.
import { z } from 'zod';
import { messageDeliverySchema } from './outbox.ts';
import { pageQuerySchema } from './paging.ts';

export const TICKET_STATUSES = ['open', 'pending', 'error', 'resolved', 'closed'] as const;
export const UNRESOLVED_STATUSES = ['open', 'pending', 'error'] as const;
export const TICKET_CHANNELS = ['email', 'sms', 'api', 'agent', 'hub'] as const;

export const ticketStatusSchema = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const attachmentSchema = z
  .object({
    id: z.string(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    url: z.string(),
  })
  .meta({ id: 'Attachment' });

export const ticketMessageSchema = z
  .object({
    id: z.string(),
    authorType: z.enum(['customer', 'agent', 'system']),
    authorName: z.string(),
    customerId: z.string().nullable(),
    userId: z.string().nullable(),
    channel: z.enum(TICKET_CHANNELS),
    text: z.string(),
    html: z.string().nullable().meta({ description: 'Sanitized HTML, when the message had HTML' }),
    attachments: z.array(attachmentSchema),
    internal: z
      .boolean()
      .meta({ description: "An agent's internal note: never emailed, never in the Customer Hub" }),
    hubSeenAt: z
      .string()
      .nullable()
      .meta({ description: 'When the requester first saw this agent message in the Hub' }),
    delivery: messageDeliverySchema.nullable().meta({
      description:
        "An emailed agent reply's delivery (queued, sent, failed, held, discarded); null for " +
        'messages not emailed',
    }),
    createdAt: z.string(),
  })
  .meta({ id: 'TicketMessage' });
export type TicketMessage = z.infer<typeof ticketMessageSchema>;

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string(),
    status: ticketStatusSchema,
    channel: z.enum(TICKET_CHANNELS),
    requesterId: z.string(),
    requesterName: z.string(),
    organizationId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
    // Where at the organization (issue 12); the names are null once the place is deleted.
    locationId: z.string().nullable(),
    locationName: z.string().nullable(),
    areaId: z.string().nullable(),
    areaName: z.string().nullable(),
    contractId: z.string().nullable().meta({ description: 'The contract its time counts against' }),
    messageCount: z.number().int(),
    lastMessageAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketWithMessagesSchema = ticketSchema
  .extend({ messages: z.array(ticketMessageSchema) })
  .meta({ id: 'TicketWithMessages' });
export type TicketWithMessages = z.infer<typeof ticketWithMessagesSchema>;

export const requesterSchema = z
  .object({
    email: z.string().trim().max(254).optional(),
    phone: z.string().trim().max(40).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((r) => Boolean(r.email) || Boolean(r.phone), {
    message: 'an email address or a mobile number is required',
    path: ['email'],
    params: { code: 'email_or_phone_required' },
  })
  .meta({ id: 'Requester', description: 'Found by email or phone, created when unknown' });

export const ticketCreateSchema = z
  .object({
    subject: z.string().trim().min(1, 'a subject is required').max(500),
    message: z.string().trim().min(1, 'a message is required').max(100_000),
    requester: requesterSchema.optional(),
    // Issue 12: a contact picked from the organization instead of an email or phone, and where.
    requesterId: z
      .string()
      .uuid('not a customer id')
      .optional()
      .meta({ description: 'An existing customer (a contact); instead of `requester`' }),
    locationId: z.string().uuid('not a location id').nullish().meta({
      description: "A location of the requester's organization",
    }),
    areaId: z.string().uuid('not an area id').nullish().meta({
      description: 'An area of that location; alone it brings its location with it',
    }),
    status: ticketStatusSchema.optional(),
  })
  .strict()
  .superRefine((ticket, context) => {
    if (ticket.requester && ticket.requesterId)
      context.addIssue({
        code: 'custom',
        path: ['requesterId'],
        message: 'send requesterId or requester, not both',
        params: { code: 'requester_twice' },
      });
    else if (!ticket.requester && !ticket.requesterId)
      context.addIssue({
        code: 'custom',
        path: ['requester', 'email'],
        message: 'an email address or a mobile number is required',
      });
  })
  .meta({ id: 'TicketCreate' });
export type TicketCreate = z.infer<typeof ticketCreateSchema>;

export const ticketUpdateSchema = z
  .object({
    subject: z.string().trim().min(1).max(500),
    status: ticketStatusSchema,
    assigneeId: z.string().uuid().nullable(),
    teamId: z.string().uuid().nullable(),
    locationId: z.string().uuid('not a location id').nullable(),
    areaId: z.string().uuid('not an area id').nullable(),
    contractId: z.string().uuid().nullable().meta({
      description: "One of the organization's active contracts, or null",
    }),
  })
  .partial()
  .strict()
  .meta({ id: 'TicketUpdate' });
export type TicketUpdate = z.infer<typeof ticketUpdateSchema>;

export const ticketReplySchema = z
  .object({
    text: z.string().trim().min(1, 'write a reply').max(100_000),
    status: ticketStatusSchema.optional(),
    internal: z.boolean().default(false).meta({
      description: 'An internal note for agents: stored only, never emailed or shown in the Hub',
    }),
  })
  .strict()
  .meta({ id: 'TicketReply' });
/** What a client sends (internal may be left out). */
export type TicketReply = z.input<typeof ticketReplySchema>;

export const ticketListQuerySchema = pageQuerySchema.extend({
  status: z.union([ticketStatusSchema, z.literal('unresolved')]).optional(),
  customerId: z.string().uuid().optional(),
  organizationId: z.string().uuid().optional(),
  locationId: z.string().uuid().optional(),
  areaId: z.string().uuid().optional(),
  assigneeId: z.string().uuid().optional(),
});
export type TicketListQuery = z.infer<typeof ticketListQuerySchema>;

/** A team's ticket access (issue 13): every ticket, or only those of the organizations listed. */
export const TEAM_ACCESS = ['all', 'organizations'] as const;
export type TeamAccess = (typeof TEAM_ACCESS)[number];

/** One organization a team serves: whole, or one location of it, or one area of that location. */
export const teamAccessEntrySchema = z
  .object({
    organizationId: z.string(),
    organizationName: z.string(),
    locationId: z.string().nullable(),
    locationName: z.string().nullable(),
    areaId: z.string().nullable(),
    areaName: z.string().nullable(),
  })
  .meta({ id: 'TeamAccessEntry' });
export type TeamAccessEntry = z.infer<typeof teamAccessEntrySchema>;

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    memberIds: z.array(z.string()),
    access: z.enum(TEAM_ACCESS),
    organizations: z.array(teamAccessEntrySchema),
    /** Members whose role has scope.all: they see every ticket whatever the team's access. */
    seeAllMemberIds: z.array(z.string()),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;

const teamAccessInputSchema = z
  .object({
    organizationId: z.string().uuid('not an organization id'),
    locationId: z.string().uuid('not a location id').nullish(),
    areaId: z.string().uuid('not an area id').nullish(),
  })
  .strict();
export type TeamAccessInput = z.infer<typeof teamAccessInputSchema>;

const teamFields = {
  name: z.string().trim().min(1).max(100),
  memberIds: z.array(z.string().uuid()).max(500),
  access: z.enum(TEAM_ACCESS).meta({
    description: "'all': every ticket; 'organizations': only those of the organizations listed",
  }),
  organizations: z.array(teamAccessInputSchema).max(500),
};

export const teamCreateSchema = z
  .object({
    name: teamFields.name,
    memberIds: teamFields.memberIds.default([]),
    access: teamFields.access.default('all'),
    organizations: teamFields.organizations.default([]),
  })
  .strict()
  .meta({ id: 'TeamCreate' });
/** What a client sends (memberIds may be left out); the server sees the parsed form. */
export type TeamCreate = z.input<typeof teamCreateSchema>;

export const teamUpdateSchema = z
  .object({
    name: teamFields.name.optional(),
    memberIds: teamFields.memberIds.optional(),
    access: teamFields.access.optional(),
    organizations: teamFields.organizations.optional(),
  })
  .strict()
  .meta({ id: 'TeamUpdate' });
export type TeamUpdate = z.infer<typeof teamUpdateSchema>;

export const routingRuleSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
    position: z.number().int(),
  })
  .meta({ id: 'RoutingRule' });
export type RoutingRule = z.infer<typeof routingRuleSchema>;
export const routingRuleCreateSchema = z
  .object({ assigneeId: z.string().uuid().nullish(), teamId: z.string().uuid().nullish() })
  .strict()
  .refine((r) => Boolean(r.assigneeId) || Boolean(r.teamId), {
    message: 'choose an agent or a team',
    path: ['assigneeId'],
    params: { code: 'assignee_required' },
  })
  .meta({ id: 'RoutingRuleCreate' });
export type RoutingRuleCreate = z.input<typeof routingRuleCreateSchema>;

export const smsInboundSchema = z
  .object({
    from: z.string().trim().min(1).max(40),
    to: z.string().trim().max(40).optional(),
    body: z.string().max(10_000),
  })
  .strict()
  .meta({ id: 'InboundSms' });
