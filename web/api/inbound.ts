// The console's calls for inbound email (Administration → Inbound mail) and their query keys.
import type { InboundEmail, InboundState } from '../../common/inbound.ts';
import type { Page } from '../../common/paging.ts';
import { api } from './client.ts';

export type InboundFilter = InboundState | 'all';

export const inboundKeys = {
  all: ['inbound-emails'] as const,
  list: (filter: InboundFilter) => ['inbound-emails', filter] as const,
};

export const inboundApi = {
  list: (filter: InboundFilter) =>
    api.get<Page<InboundEmail>>(
      `/api/v1/inbound/emails?limit=200${filter === 'all' ? '' : `&state=${filter}`}`,
    ),
  retry: (id: string) =>
    api.post<InboundEmail>(`/api/v1/inbound/emails/${encodeURIComponent(id)}/retry`),
  rawUrl: (id: string) => `/api/v1/inbound/emails/${encodeURIComponent(id)}/raw`,
};
