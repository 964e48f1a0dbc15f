// The console's calls for an organization's contacts (its customers, seed 002) and its locations
// and areas, with their react-query keys. Contacts are customers: changing one also invalidates
// the customer lists (keys.customers).
import type { Contact, ContactCreate, ContactUpdate } from '../../common/contact.ts';
import type {
  Area,
  AreaCreate,
  AreaUpdate,
  Location,
  LocationCreate,
  LocationUpdate,
} from '../../common/location.ts';
import type { Page } from '../../common/paging.ts';
import { api, query } from './client.ts';

const segment = encodeURIComponent;

export interface ContactListParams {
  status: 'active' | 'deactivated' | 'all';
  q?: string;
  cursor?: string;
  limit?: number;
}

export const placeKeys = {
  contacts: (organizationId: string) => ['customers', 'contacts', organizationId] as const,
  contactList: (organizationId: string, params: ContactListParams) =>
    ['customers', 'contacts', organizationId, params] as const,
  locations: (organizationId: string) => ['locations', organizationId] as const,
  locationList: (organizationId: string, activeOnly: boolean) =>
    ['locations', organizationId, activeOnly] as const,
};

const contactsPath = (organizationId: string) =>
  `/api/v1/organizations/${segment(organizationId)}/contacts`;
const locationsPath = (organizationId: string) =>
  `/api/v1/organizations/${segment(organizationId)}/locations`;

export const contactsApi = {
  list: (organizationId: string, params: ContactListParams) =>
    api.get<Page<Contact>>(
      `${contactsPath(organizationId)}${query({
        status: params.status,
        q: params.q,
        cursor: params.cursor,
        limit: params.limit ?? 25,
      })}`,
    ),
  /** 409 `email_belongs_to_customer` (ApiError.extra.customer) until sent with `link: true`. */
  create: (organizationId: string, body: ContactCreate) =>
    api.post<Contact>(contactsPath(organizationId), body),
  update: (organizationId: string, id: string, body: ContactUpdate) =>
    api.patch<Contact>(`${contactsPath(organizationId)}/${segment(id)}`, body),
};

export const locationsApi = {
  list: (organizationId: string, activeOnly = false) =>
    api.get<{ items: Location[] }>(
      `${locationsPath(organizationId)}${query({ status: activeOnly ? 'active' : undefined })}`,
    ),
  create: (organizationId: string, body: LocationCreate) =>
    api.post<Location>(locationsPath(organizationId), body),
  update: (organizationId: string, id: string, body: LocationUpdate) =>
    api.patch<Location>(`${locationsPath(organizationId)}/${segment(id)}`, body),
  createArea: (organizationId: string, locationId: string, body: AreaCreate) =>
    api.post<Area>(`${locationsPath(organizationId)}/${segment(locationId)}/areas`, body),
  updateArea: (organizationId: string, locationId: string, id: string, body: AreaUpdate) =>
    api.patch<Area>(
      `${locationsPath(organizationId)}/${segment(locationId)}/areas/${segment(id)}`,
      body,
    ),
};
