// Account-wide data many pages need (settings, custom fields, customer types), loaded once and
// shared through react-query, and how a custom field is labelled in the agent's language.
import { useQuery } from '@tanstack/react-query';
import type { CustomField } from '../../common/custom-field.ts';
import type { Locale } from '../../common/settings.ts';
import { currentLocale } from '../i18n/index.ts';
import {
  customerTypesApi,
  customFieldsApi,
  keys,
  settingsApi,
  type CustomFieldEntity,
} from './kunde.ts';

const STALE = 60_000;

export function useAccountSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: settingsApi.get, staleTime: STALE });
}

export function useCustomFields(entity: CustomFieldEntity) {
  return useQuery({
    queryKey: keys.customFieldList(entity),
    queryFn: () => customFieldsApi.list(entity),
    select: (page) => [...page.items].sort((a, b) => a.position - b.position),
    staleTime: STALE,
  });
}

export function useCustomerTypes() {
  return useQuery({
    queryKey: keys.customerTypes,
    queryFn: customerTypesApi.list,
    select: (page) => page.items,
    staleTime: STALE,
  });
}

/** The field's Norwegian label when the console is in Norwegian and one is set. */
export function fieldLabel(
  field: Pick<CustomField, 'label' | 'labelNb'>,
  locale: Locale = currentLocale(),
): string {
  return locale === 'nb' && field.labelNb ? field.labelNb : field.label;
}
