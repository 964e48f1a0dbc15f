// /api/v1/organizations/{id}/notification-groups and /api/v1/notification-groups/{id}: groups,
// their members and the events that mail them.
import { z } from 'zod';
import {
  notificationGroupCreateSchema,
  notificationGroupSchema,
  notificationGroupUpdateSchema,
  notificationMemberAddSchema,
} from '../../common/notification-group.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { NotificationGroupService } from './notification-group.service.ts';

const memberParams = idParams.extend({ memberId: z.uuid('not a valid id') });

export function notificationGroupRoutes(groups: NotificationGroupService) {
  const tags = ['Notification groups'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/organizations/:id/notification-groups',
      summary: "An organization's notification groups",
      tags,
      auth: 'customers.view',
      params: idParams,
      response: {
        status: 200,
        description: 'Its groups with their members, by name',
        schema: z.object({ items: z.array(notificationGroupSchema) }),
      },
      errors: [404],
      handler: async ({ principal, params }) => ({
        items: await groups.list(principal, params.id),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/organizations/:id/notification-groups',
      summary: 'Add a notification group',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: notificationGroupCreateSchema,
      response: { status: 201, description: 'The group', schema: notificationGroupSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => groups.create(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/notification-groups/:id',
      summary: 'A notification group',
      tags,
      auth: 'customers.view',
      params: idParams,
      response: { status: 200, description: 'The group', schema: notificationGroupSchema },
      errors: [404],
      handler: ({ principal, params }) => groups.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/notification-groups/:id',
      summary: "Edit a group's name, description or notification settings (events)",
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: notificationGroupUpdateSchema,
      response: { status: 200, description: 'The group', schema: notificationGroupSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => groups.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/notification-groups/:id',
      summary: 'Delete a notification group',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: ({ principal, params }) => groups.remove(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/notification-groups/:id/members',
      summary: 'Add a member: a contact of the organization, an agent, or another address',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: notificationMemberAddSchema,
      response: { status: 201, description: 'The group', schema: notificationGroupSchema },
      errors: [404],
      handler: ({ principal, params, body }) => groups.addMember(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/notification-groups/:id/members/:memberId',
      summary: 'Remove a member',
      tags,
      auth: 'customers.create_edit',
      params: memberParams,
      response: { status: 204, description: 'Removed' },
      errors: [404],
      handler: ({ principal, params }) =>
        groups.removeMember(principal, params.id, params.memberId),
    }),
  ];
}
