// The console's calls for contracts, time entries and notification groups (issue 12), and their
// react-query keys. Types come from common/.
import type {
  Contract,
  ContractCreate,
  ContractUpdate,
  TicketTime,
  TimeEntry,
  TimeEntryAudit,
  TimeEntryCreate,
  TimeEntryUpdate,
} from '../../common/contract.ts';
import type {
  NotificationGroup,
  NotificationGroupCreate,
  NotificationGroupUpdate,
  NotificationMemberAdd,
} from '../../common/notification-group.ts';
import type { Page } from '../../common/paging.ts';
import { api, query } from './client.ts';

const segment = encodeURIComponent;

export interface ContractTicket {
  id: string;
  number: number;
  subject: string;
  status: string;
  minutes: number;
  updatedAt: string;
}

export const contractKeys = {
  all: ['contracts'] as const,
  ofOrganization: (organizationId: string) =>
    ['contracts', 'organization', organizationId] as const,
  one: (id: string) => ['contracts', 'one', id] as const,
  tickets: (id: string, cursor?: string) => ['contracts', 'tickets', id, cursor] as const,
  entries: (id: string, month?: string, cursor?: string) =>
    ['contracts', 'entries', id, month, cursor] as const,
  ticketTime: (ticketId: string) => ['contracts', 'ticket-time', ticketId] as const,
  ticketAudit: (ticketId: string) => ['contracts', 'ticket-audit', ticketId] as const,
  groups: (organizationId: string) => ['notification-groups', organizationId] as const,
};

export const contractsApi = {
  list: (organizationId: string) =>
    api.get<{ items: Contract[] }>(`/api/v1/organizations/${segment(organizationId)}/contracts`),
  create: (organizationId: string, body: ContractCreate) =>
    api.post<Contract>(`/api/v1/organizations/${segment(organizationId)}/contracts`, body),
  get: (id: string) => api.get<Contract>(`/api/v1/contracts/${segment(id)}`),
  update: (id: string, body: ContractUpdate) =>
    api.patch<Contract>(`/api/v1/contracts/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/contracts/${segment(id)}`),
  tickets: (id: string, cursor?: string) =>
    api.get<Page<ContractTicket>>(
      `/api/v1/contracts/${segment(id)}/tickets${query({ limit: 25, cursor })}`,
    ),
  entries: (id: string, month?: string, cursor?: string) =>
    api.get<Page<TimeEntry>>(
      `/api/v1/contracts/${segment(id)}/time-entries${query({ month, limit: 50, cursor })}`,
    ),
  csvUrl: (id: string, month: string) =>
    `/api/v1/contracts/${segment(id)}/time-entries.csv${query({ month })}`,
};

export const timeApi = {
  ofTicket: (ticketId: string) =>
    api.get<TicketTime>(`/api/v1/tickets/${segment(ticketId)}/time-entries`),
  audit: (ticketId: string) =>
    api.get<{ items: TimeEntryAudit[] }>(`/api/v1/tickets/${segment(ticketId)}/time-entries/audit`),
  log: (ticketId: string, body: TimeEntryCreate) =>
    api.post<TimeEntry>(`/api/v1/tickets/${segment(ticketId)}/time-entries`, body),
  update: (id: string, body: TimeEntryUpdate) =>
    api.patch<TimeEntry>(`/api/v1/time-entries/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/time-entries/${segment(id)}`),
};

export const groupsApi = {
  list: (organizationId: string) =>
    api.get<{ items: NotificationGroup[] }>(
      `/api/v1/organizations/${segment(organizationId)}/notification-groups`,
    ),
  create: (organizationId: string, body: NotificationGroupCreate) =>
    api.post<NotificationGroup>(
      `/api/v1/organizations/${segment(organizationId)}/notification-groups`,
      body,
    ),
  update: (id: string, body: NotificationGroupUpdate) =>
    api.patch<NotificationGroup>(`/api/v1/notification-groups/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/notification-groups/${segment(id)}`),
  addMember: (id: string, body: NotificationMemberAdd) =>
    api.post<NotificationGroup>(`/api/v1/notification-groups/${segment(id)}/members`, body),
  removeMember: (id: string, memberId: string) =>
    api.delete(`/api/v1/notification-groups/${segment(id)}/members/${segment(memberId)}`),
};
