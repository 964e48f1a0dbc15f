// The console's calls for tickets, teams, routing rules, agents and the outbox, and their
// react-query keys. Kept beside kunde.ts so the ticket pages own their half of the API.
import type { User } from '../../common/auth.ts';
import type { Page } from '../../common/paging.ts';
import type { OutboxEmail, OutboxPage } from '../../common/outbox.ts';
import type {
  RoutingRule,
  RoutingRuleCreate,
  Team,
  TeamCreate,
  TeamUpdate,
  Ticket,
  TicketCreate,
  TicketListQuery,
  TicketReply,
  TicketUpdate,
  TicketWithMessages,
} from '../../common/ticket.ts';
import { ApiError, api, query } from './client.ts';

/** The ticket list's filter as the console offers it: 'all' is sent as no status at all. */
export type TicketListStatus = NonNullable<TicketListQuery['status']> | 'all';

export type TicketListParams = Omit<TicketListQuery, 'status' | 'limit'> & {
  status: TicketListStatus;
  limit?: number;
};

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
        locationId: params.locationId,
        areaId: params.areaId,
        cursor: params.cursor,
        limit: params.limit ?? 25,
      })}`,
    ),
  get: (id: string) => api.get<TicketWithMessages>(`/api/v1/tickets/${segment(id)}`),
  create: (body: TicketCreate) => api.post<Ticket>('/api/v1/tickets', body),
  update: (id: string, body: TicketUpdate) =>
    api.patch<Ticket>(`/api/v1/tickets/${segment(id)}`, body),
  reply: (id: string, body: TicketReply) =>
    api.post<TicketWithMessages>(`/api/v1/tickets/${segment(id)}/messages`, body),
  ofCustomer: (customerId: string, limit: number) =>
    api.get<Page<Ticket>>(`/api/v1/customers/${segment(customerId)}/tickets${query({ limit })}`),
};

export const teamsApi = {
  list: () => api.get<Page<Team>>('/api/v1/teams'),
  create: (body: TeamCreate) => api.post<Team>('/api/v1/teams', body),
  update: (id: string, body: TeamUpdate) => api.patch<Team>(`/api/v1/teams/${segment(id)}`, body),
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
  create: (organizationId: string, body: RoutingRuleCreate) =>
    api.post<RoutingRule>(`/api/v1/organizations/${segment(organizationId)}/rules`, body),
  remove: (organizationId: string, ruleId: string) =>
    api.delete(`/api/v1/organizations/${segment(organizationId)}/rules/${segment(ruleId)}`),
};

export const outboxApi = {
  list: () => api.get<OutboxPage>('/api/v1/outbox'),
  release: (id: string) => api.post<OutboxEmail>(`/api/v1/outbox/${segment(id)}/release`),
  retry: (id: string) => api.post<OutboxEmail>(`/api/v1/outbox/${segment(id)}/retry`),
  discard: (id: string) => api.post<OutboxEmail>(`/api/v1/outbox/${segment(id)}/discard`),
};
