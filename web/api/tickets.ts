// The console's calls for tickets, teams, routing rules, agents and the outbox, and their
// react-query keys. Kept beside kunde.ts so the ticket pages own their half of the API.
import type { User } from '../../common/auth.ts';
import type { Page } from '../../common/paging.ts';
import type {
  Ticket,
  TicketCreate,
  TicketUpdate,
  TicketWithMessages,
} from '../../common/ticket.ts';
import { ApiError, api, query } from './client.ts';

export type TicketStatus = Ticket['status'];
export type TicketListStatus = TicketStatus | 'unresolved' | 'all';

export interface TicketListParams {
  status: TicketListStatus;
  assigneeId?: string;
  customerId?: string;
  organizationId?: string;
  cursor?: string;
  limit?: number;
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export interface RoutingRule {
  id: string;
  organizationId: string;
  assigneeId: string | null;
  teamId: string | null;
  position: number;
}

export interface OutboxEmail {
  id: string;
  ticketId: string | null;
  to: string;
  subject: string;
  text: string;
  status: 'held' | 'queued' | 'sent' | 'failed' | (string & {});
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export const ticketKeys = {
  all: ['tickets'] as const,
  list: (params: TicketListParams) => ['tickets', 'list', params] as const,
  one: (id: string) => ['tickets', 'one', id] as const,
  ofCustomer: (customerId: string, limit: number) =>
    ['tickets', 'customer', customerId, limit] as const,
  teams: ['teams'] as const,
  agents: ['agents'] as const,
  rules: (organizationId: string) => ['routing-rules', organizationId] as const,
  outbox: ['outbox'] as const,
};

const segment = encodeURIComponent;

export const ticketsApi = {
  list: (params: TicketListParams) =>
    api.get<Page<Ticket>>(
      `/api/v1/tickets${query({
        status: params.status === 'all' ? undefined : params.status,
        assigneeId: params.assigneeId,
        customerId: params.customerId,
        organizationId: params.organizationId,
        cursor: params.cursor,
        limit: params.limit ?? 25,
      })}`,
    ),
  get: (id: string) => api.get<TicketWithMessages>(`/api/v1/tickets/${segment(id)}`),
  create: (body: TicketCreate) => api.post<Ticket>('/api/v1/tickets', body),
  update: (id: string, body: TicketUpdate) =>
    api.patch<Ticket>(`/api/v1/tickets/${segment(id)}`, body),
  reply: (id: string, body: { text: string; status?: TicketStatus }) =>
    api.post<TicketWithMessages>(`/api/v1/tickets/${segment(id)}/messages`, body),
  ofCustomer: (customerId: string, limit: number) =>
    api.get<Page<Ticket>>(`/api/v1/customers/${segment(customerId)}/tickets${query({ limit })}`),
};

export const teamsApi = {
  list: () => api.get<Page<Team>>('/api/v1/teams'),
  create: (body: { name: string; memberIds: string[] }) => api.post<Team>('/api/v1/teams', body),
  remove: (id: string) => api.delete(`/api/v1/teams/${segment(id)}`),
};

export const agentsApi = {
  /** All agents, or null when this agent may not list them (the list needs agents.manage). */
  list: async (): Promise<User[] | null> => {
    try {
      return (await api.get<Page<User>>('/api/v1/users')).items;
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) return null;
      throw error;
    }
  },
};

export const routingRulesApi = {
  list: (organizationId: string) =>
    api.get<Page<RoutingRule>>(`/api/v1/organizations/${segment(organizationId)}/rules`),
  create: (organizationId: string, body: { assigneeId?: string; teamId?: string }) =>
    api.post<RoutingRule>(`/api/v1/organizations/${segment(organizationId)}/rules`, body),
  remove: (organizationId: string, ruleId: string) =>
    api.delete(`/api/v1/organizations/${segment(organizationId)}/rules/${segment(ruleId)}`),
};

export const outboxApi = {
  list: () => api.get<Page<OutboxEmail>>('/api/v1/outbox'),
};
