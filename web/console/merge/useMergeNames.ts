// The names a merge preview shows instead of ids: custom field labels, customer types, and the
// locations of both customers' organizations.
import { useQueries } from '@tanstack/react-query';
import type { CustomerMergePreview } from '../../../common/merge.ts';
import { fieldLabel, useCustomerTypes, useCustomFields } from '../../api/account-data.ts';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';
import type { MergeNames } from './merge-fields.ts';

export function useMergeNames(preview: CustomerMergePreview | undefined): MergeNames {
  const fields = useCustomFields('customer');
  const types = useCustomerTypes();
  const organizations = [
    ...new Set(
      [preview?.survivor, preview?.duplicate]
        .filter((c) => c?.defaultLocationId && c.organizationId)
        .map((c) => c?.organizationId ?? ''),
    ),
  ];
  const locations = useQueries({
    queries: organizations.map((organizationId) => ({
      queryKey: placeKeys.locationList(organizationId, false),
      queryFn: () => locationsApi.list(organizationId, false),
    })),
  });
  return {
    fieldLabels: new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)])),
    typeNames: new Map((types.data ?? []).map((type) => [type.id, type.name])),
    locationNames: new Map(
      locations.flatMap((query) => query.data?.items ?? []).map((l) => [l.id, l.name]),
    ),
  };
}
