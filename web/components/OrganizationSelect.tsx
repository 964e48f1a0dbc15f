// A searchable organization picker that asks the server as the agent types (an account can have
// thousands), optionally with "No organization" as a choice of its own.
import { Select, type ComboboxItem, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keys, organizationsApi } from '../api/kunde.ts';

/** The value that stands for "No organization". */
export const NO_ORGANIZATION = 'none';

interface Props extends Omit<
  SelectProps,
  'data' | 'value' | 'onChange' | 'searchable' | 'searchValue' | 'onSearchChange' | 'filter'
> {
  /** An organization id, NO_ORGANIZATION, or null for nothing chosen. */
  value: string | null;
  onChange: (value: string | null, name: string | null) => void;
  /** The name of the organization in `value`, when the caller already knows it. */
  valueName?: string | null;
  withNone?: boolean;
}

export function OrganizationSelect({ value, onChange, valueName, withNone, ...props }: Props) {
  const { t } = useTranslation();
  const names = useRef(new Map<string, string>());
  const noneLabel = t('organizations.none');
  names.current.set(NO_ORGANIZATION, noneLabel);
  if (value && valueName && !names.current.has(value)) names.current.set(value, valueName);
  const [search, setSearch] = useState('');
  const selectedName = value ? (names.current.get(value) ?? null) : null;
  // While the box shows the chosen name, list everything rather than just that name.
  const [q] = useDebouncedValue(search === selectedName ? '' : search.trim(), 200);
  const list = useQuery({
    queryKey: keys.organizationList({ q, limit: 20 }),
    queryFn: () => organizationsApi.list({ q, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  for (const organization of list.data?.items ?? []) {
    names.current.set(organization.id, organization.name);
  }
  // A value from elsewhere (a link, the URL) whose name no list has shown yet.
  const unknownId = value && value !== NO_ORGANIZATION && !selectedName ? value : null;
  const unknown = useQuery({
    queryKey: keys.organization(unknownId ?? ''),
    queryFn: () => organizationsApi.get(unknownId ?? ''),
    enabled: unknownId !== null,
  });
  if (unknownId && unknown.data) names.current.set(unknownId, unknown.data.name);

  const data: ComboboxItem[] = [];
  if (withNone) data.push({ value: NO_ORGANIZATION, label: noneLabel });
  for (const organization of list.data?.items ?? []) {
    data.push({ value: organization.id, label: organization.name });
  }
  if (value && value !== NO_ORGANIZATION && !data.some((item) => item.value === value)) {
    data.push({ value, label: names.current.get(value) ?? '…' });
  }

  return (
    <Select
      {...props}
      data={data}
      value={value}
      onChange={(next) => onChange(next, next ? (names.current.get(next) ?? null) : null)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server has filtered already; only "No organization" is matched here.
      filter={({ options, search: text }) =>
        options.filter(
          (option) =>
            !('value' in option) ||
            option.value !== NO_ORGANIZATION ||
            !text.trim() ||
            text === selectedName ||
            noneLabel.toLowerCase().includes(text.trim().toLowerCase()),
        )
      }
      nothingFoundMessage={list.isFetching ? t('app.loading') : t('organizations.noMatch')}
    />
  );
}
