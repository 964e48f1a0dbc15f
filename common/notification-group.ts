// Notification groups of an organization (issue 12): named sets of people (its customer
// contacts, agents, other addresses) mailed on the events the group chooses.
import { z } from 'zod';

export const NOTIFICATION_EVENTS = [
  'ticket_created',
  'agent_reply',
  'ticket_resolved',
  'contract_threshold',
  'contract_exceeded',
] as const;
export const notificationEventSchema = z.enum(NOTIFICATION_EVENTS).meta({
  description:
    'ticket_created, agent_reply, ticket_resolved (resolved or closed), contract_threshold ' +
    '(hours notification threshold crossed), contract_exceeded (contract hours exceeded)',
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

export const notificationMemberSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['customer', 'agent', 'email']),
    customerId: z.string().nullable(),
    agentId: z.string().nullable(),
    email: z.string().nullable().meta({ description: 'The address mail goes to now, if any' }),
    name: z.string(),
    active: z.boolean().meta({ description: 'False for a deactivated or erased person: no mail' }),
  })
  .meta({ id: 'NotificationGroupMember' });
export type NotificationMember = z.infer<typeof notificationMemberSchema>;

export const notificationGroupSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    events: z.array(notificationEventSchema),
    members: z.array(notificationMemberSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'NotificationGroup' });
export type NotificationGroup = z.infer<typeof notificationGroupSchema>;

export const notificationGroupCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(200),
    description: z.string().trim().max(2000).nullish(),
    events: z.array(notificationEventSchema).max(NOTIFICATION_EVENTS.length).optional(),
  })
  .strict()
  .meta({ id: 'NotificationGroupCreate' });
export type NotificationGroupCreate = z.infer<typeof notificationGroupCreateSchema>;

export const notificationGroupUpdateSchema = notificationGroupCreateSchema
  .partial()
  .strict()
  .meta({ id: 'NotificationGroupUpdate' });
export type NotificationGroupUpdate = z.infer<typeof notificationGroupUpdateSchema>;

export const notificationMemberAddSchema = z
  .object({
    customerId: z.uuid('not a customer id').optional(),
    agentId: z.uuid('not an agent id').optional(),
    email: z.email('not an email address').max(254).optional(),
  })
  .strict()
  .refine((m) => [m.customerId, m.agentId, m.email].filter((v) => v !== undefined).length === 1, {
    message: 'give one of customerId, agentId or email',
    params: { code: 'one_member_required' },
    path: ['customerId'],
  })
  .meta({ id: 'NotificationGroupMemberAdd' });
export type NotificationMemberAdd = z.infer<typeof notificationMemberAddSchema>;
