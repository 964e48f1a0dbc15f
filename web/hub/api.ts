// The Customer Hub's calls to /api/hub/v1 (common/hub.ts is the contract) and their react-query
// keys. JSON goes through the console's fetch client (problem+json errors as ApiError); a new
// ticket or a reply with files goes as multipart/form-data, files under the field name "files".
import type {
  HubMe,
  HubMessage,
  HubProfileUpdate,
  HubRegistration,
  HubSignInResult,
  HubSite,
  HubTicket,
  HubTicketStatus,
  HubTicketWithMessages,
} from '../../common/hub.ts';
import type { Page } from '../../common/paging.ts';
import type { Locale } from '../../common/settings.ts';
import { ApiError, api, query, toApiError } from '../api/client.ts';

const BASE = '/api/hub/v1';
const segment = encodeURIComponent;

export interface HubTicketListParams {
  view: 'mine' | 'organization';
  organizationId?: string;
  status?: HubTicketStatus;
  q?: string;
}

export const hubKeys = {
  site: (slug: string | undefined) => ['hub', 'site', slug ?? ''] as const,
  me: ['hub', 'me'] as const,
  tickets: ['hub', 'tickets'] as const,
  list: (params: HubTicketListParams) => ['hub', 'tickets', 'list', params] as const,
  ticket: (id: string) => ['hub', 'tickets', 'one', id] as const,
};

async function postForm<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    // No Content-Type: the browser writes the multipart boundary itself.
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json' },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

export const hubApi = {
  /** The one site of an installation (plain /hub), or the site at /hub/<slug>. */
  site: (slug: string | undefined) =>
    api.get<HubSite>(slug ? `${BASE}/sites/${segment(slug)}` : `${BASE}/site`),
  signIn: (slug: string, email: string, password: string) =>
    api.post<HubSignInResult>(`${BASE}/sites/${segment(slug)}/sign-in`, { email, password }),
  requestSignInLink: (slug: string, email: string, locale: Locale) =>
    api.post<unknown>(`${BASE}/sites/${segment(slug)}/sign-in-links`, { email, locale }),
  requestPasswordReset: (slug: string, email: string) =>
    api.post<unknown>(`${BASE}/sites/${segment(slug)}/password-resets`, { email }),
  register: (slug: string, body: HubRegistration) =>
    api.post<unknown>(`${BASE}/sites/${segment(slug)}/registrations`, body),
  redeem: (token: string, password?: string) =>
    api.post<HubSignInResult>(`${BASE}/links/redeem`, { token, password }),
  signOut: () => api.post<void>(`${BASE}/sign-out`),

  /** The signed-in customer, or null when nobody is (a 401). */
  me: async (): Promise<HubMe | null> => {
    try {
      return await api.get<HubMe>(`${BASE}/me`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  updateMe: (body: HubProfileUpdate) => api.patch<HubMe>(`${BASE}/me`, body),
  changePassword: (password: string, currentPassword?: string) =>
    api.put<unknown>(`${BASE}/me/password`, { password, currentPassword }),

  tickets: (params: HubTicketListParams, cursor: string | undefined) =>
    api.get<Page<HubTicket>>(
      `${BASE}/tickets${query({
        view: params.view,
        organizationId: params.view === 'organization' ? params.organizationId : undefined,
        status: params.status,
        q: params.q,
        cursor,
        limit: 25,
      })}`,
    ),
  ticket: (id: string) => api.get<HubTicketWithMessages>(`${BASE}/tickets/${segment(id)}`),
  createTicket: (fields: {
    subject: string;
    message: string;
    organizationId: string | null;
    files: File[];
  }) => {
    const form = new FormData();
    form.set('subject', fields.subject);
    form.set('message', fields.message);
    if (fields.organizationId) form.set('organizationId', fields.organizationId);
    for (const file of fields.files) form.append('files', file, file.name);
    return postForm<HubTicket>(`${BASE}/tickets`, form);
  },
  reply: (id: string, text: string, files: File[]) => {
    const form = new FormData();
    form.set('text', text);
    for (const file of files) form.append('files', file, file.name);
    return postForm<HubMessage>(`${BASE}/tickets/${segment(id)}/messages`, form);
  },
  resolve: (id: string) => api.post<HubTicket>(`${BASE}/tickets/${segment(id)}/resolve`),
};
