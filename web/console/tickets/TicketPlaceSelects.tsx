// Location and area pickers for a ticket (organization › location › area), used by the new
// ticket form and the ticket's side panel. Only active places can be chosen; a deactivated one a
// ticket already carries stays shown, marked, so an old ticket never loses where it was.
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Location } from '../../../common/location.ts';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';

export interface Place {
  locationId: string | null;
  areaId: string | null;
}

export function TicketPlaceSelects({
  organizationId,
  value,
  current = { locationId: null, areaId: null },
  onChange,
  disabled,
  errors = {},
}: {
  organizationId: string;
  value: Place;
  /** What the ticket carries already: kept choosable even when deactivated. */
  current?: Place & { locationName?: string | null; areaName?: string | null };
  onChange: (place: Place) => void;
  disabled?: boolean;
  errors?: { locationId?: string | null; areaId?: string | null };
}) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: placeKeys.locationList(organizationId, false),
    queryFn: () => locationsApi.list(organizationId),
  });
  const locations: Location[] = list.data?.items ?? [];
  const label = (name: string, active: boolean) =>
    active ? name : t('ticketPlace.deactivated', { name });
  const locationOptions = locations
    .filter((l) => l.active || l.id === current.locationId)
    .map((l) => ({ value: l.id, label: label(l.name, l.active) }));
  // A place deleted with its organization is still named on the ticket, if only as removed.
  const settled = list.data !== undefined || list.isError;
  if (current.locationId && !locations.some((l) => l.id === current.locationId) && settled)
    locationOptions.push({
      value: current.locationId,
      label: current.locationName ?? t('ticketPlace.removed'),
    });
  const chosen = locations.find((l) => l.id === value.locationId);
  const areaOptions = (chosen?.areas ?? [])
    .filter((a) => a.active || a.id === current.areaId)
    .map((a) => ({ value: a.id, label: label(a.name, a.active) }));
  if (value.areaId && !areaOptions.some((a) => a.value === value.areaId))
    areaOptions.push({
      value: value.areaId,
      label: current.areaName ?? t('ticketPlace.removed'),
    });
  return (
    <>
      <Select
        label={t('ticketPlace.location')}
        placeholder={t('ticketPlace.none')}
        data={locationOptions}
        value={value.locationId}
        onChange={(locationId) => {
          const keepArea = locations
            .find((l) => l.id === locationId)
            ?.areas.some((a) => a.id === value.areaId);
          onChange({ locationId, areaId: keepArea ? value.areaId : null });
        }}
        clearable
        searchable
        nothingFoundMessage={t('tickets.noMatch')}
        disabled={disabled}
        error={errors.locationId}
      />
      <Select
        label={t('ticketPlace.area')}
        placeholder={t('ticketPlace.none')}
        data={areaOptions}
        value={value.areaId}
        onChange={(areaId) => onChange({ locationId: value.locationId, areaId })}
        clearable
        searchable
        nothingFoundMessage={t('tickets.noMatch')}
        disabled={disabled || !value.locationId}
        error={errors.areaId}
      />
    </>
  );
}
