// The console's calls for administering agents and roles, and the public set-password link,
// with their react-query keys. (The list of agents by name for ticket pages is in tickets.ts.)
import type {
  PasswordTokenInfo,
  RoleInput,
  RoleSummary,
  RoleUpdate,
  UserUpdate,
} from '../../common/agents.ts';
import type { User, UserCreate } from '../../common/auth.ts';
import type { Page } from '../../common/paging.ts';
import { api } from './client.ts';

export const agentKeys = {
  users: ['users'] as const,
  roles: ['roles'] as const,
  passwordLink: (token: string) => ['password-link', token] as const,
};

const segment = encodeURIComponent;

export const agentAdminApi = {
  list: async () => (await api.get<Page<User>>('/api/v1/users')).items,
  create: (body: UserCreate) => api.post<User>('/api/v1/users', body),
  update: (id: string, body: UserUpdate) => api.patch<User>(`/api/v1/users/${segment(id)}`, body),
  deactivate: (id: string) => api.post<User>(`/api/v1/users/${segment(id)}/deactivate`),
  reactivate: (id: string) => api.post<User>(`/api/v1/users/${segment(id)}/reactivate`),
  resetPassword: (id: string) => api.post<void>(`/api/v1/users/${segment(id)}/reset-password`),
};

export const rolesApi = {
  list: async () => (await api.get<Page<RoleSummary>>('/api/v1/roles')).items,
  create: (body: RoleInput) => api.post<RoleSummary>('/api/v1/roles', body),
  update: (id: string, body: RoleUpdate) =>
    api.patch<RoleSummary>(`/api/v1/roles/${segment(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/roles/${segment(id)}`),
};

export const passwordLinksApi = {
  check: (token: string) => api.get<PasswordTokenInfo>(`/api/v1/password-links/${segment(token)}`),
  set: (token: string, password: string) =>
    api.post<{ email: string }>(`/api/v1/password-links/${segment(token)}`, { password }),
};
