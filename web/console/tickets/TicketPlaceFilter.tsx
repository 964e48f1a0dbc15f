// The ticket list's filter by organization › location › area (issue 12), kept in the URL by the
// page. Deactivated places are offered too: their old tickets are what one looks for.
import { Group, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';
import { OrganizationSelect } from '../../components/OrganizationSelect.tsx';

export interface PlaceFilter {
  organizationId?: string;
  locationId?: string;
  areaId?: string;
}

export function TicketPlaceFilter({
  value,
  onChange,
}: {
  value: PlaceFilter;
  onChange: (filter: PlaceFilter) => void;
}) {
  const { t } = useTranslation();
  const organizationId = value.organizationId;
  const list = useQuery({
    queryKey: placeKeys.locationList(organizationId ?? '', false),
    queryFn: () => locationsApi.list(organizationId ?? ''),
    enabled: Boolean(organizationId),
  });
  const locations = list.data?.items ?? [];
  const areas = locations.find((l) => l.id === value.locationId)?.areas ?? [];
  const label = (name: string, active: boolean) =>
    active ? name : t('ticketPlace.deactivated', { name });
  return (
    <Group gap="sm" align="flex-end">
      <OrganizationSelect
        aria-label={t('ticketPlace.filterOrganization')}
        placeholder={t('customers.allOrganizations')}
        value={organizationId ?? null}
        onChange={(id) => onChange(id ? { organizationId: id } : {})}
        clearable
        w={220}
      />
      {organizationId && (
        <>
          <Select
            aria-label={t('ticketPlace.filterLocation')}
            placeholder={t('ticketPlace.allLocations')}
            data={locations.map((l) => ({ value: l.id, label: label(l.name, l.active) }))}
            value={value.locationId ?? null}
            onChange={(locationId) =>
              onChange({ organizationId, ...(locationId ? { locationId } : {}) })
            }
            clearable
            w={200}
          />
          <Select
            aria-label={t('ticketPlace.filterArea')}
            placeholder={t('ticketPlace.allAreas')}
            data={areas.map((a) => ({ value: a.id, label: label(a.name, a.active) }))}
            value={value.areaId ?? null}
            onChange={(areaId) =>
              onChange({ ...value, ...(areaId ? { areaId } : { areaId: undefined }) })
            }
            disabled={!value.locationId}
            clearable
            w={200}
          />
        </>
      )}
    </Group>
  );
}
