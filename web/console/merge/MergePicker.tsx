// The first step of the merge dialog: which customer is the same person as this one. This
// customer's duplicate suggestions come first (with the reason); any other customer can be found
// by name, email address or phone.
import { Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../common/customer.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { customersApi, keys } from '../../api/kunde.ts';
import { duplicatesApi, mergeKeys } from '../../api/merges.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePhoneFormat } from '../../components/PhoneNumber.tsx';
import { reasonSentence } from '../duplicates/duplicate-reasons.ts';
import { useCustomerLabel } from './MergePreview.tsx';

function Candidate(props: { customer: Customer; note?: string; onPick: (c: Customer) => void }) {
  const { t } = useTranslation();
  const customerLabel = useCustomerLabel();
  const { customer } = props;
  const formatPhone = usePhoneFormat();
  return (
    <Paper withBorder p="xs" radius="sm" data-merge-candidate={customer.id}>
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={500}>
            {customerLabel(customer)}
          </Text>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {[
              customer.email,
              customer.phone && formatPhone(customer.phone),
              customer.organizationName,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
          {props.note && (
            <Text size="xs" c="orange.8">
              {props.note}
            </Text>
          )}
        </Stack>
        <Button
          size="xs"
          variant="light"
          onClick={() => props.onPick(customer)}
          aria-label={t('merge.chooseNamed', { name: customerLabel(customer) })}
        >
          {t('merge.choose')}
        </Button>
      </Group>
    </Paper>
  );
}

export function MergePicker(props: { customer: Customer; onPick: (other: Customer) => void }) {
  const { t } = useTranslation();
  const { customer } = props;
  const [q, setQ] = useState('');
  const fields = useCustomFields('customer');
  const fieldLabels = new Map((fields.data ?? []).map((field) => [field.key, fieldLabel(field)]));
  const formatPhone = usePhoneFormat();
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const suggestions = useQuery({
    queryKey: mergeKeys.duplicateList({ customerId: customer.id }),
    queryFn: () => duplicatesApi.list({ customerId: customer.id, limit: 10 }),
  });
  const params = { status: 'all' as const, q: debounced, limit: 10 };
  const search = useQuery({
    queryKey: keys.customerList(params),
    queryFn: () => customersApi.list(params),
    enabled: debounced.length > 0,
  });
  const found = (search.data?.items ?? []).filter(
    (other) => other.id !== customer.id && other.status !== 'merged',
  );

  return (
    <Stack gap="md">
      <Text size="sm">{t('merge.pickIntro')}</Text>
      {suggestions.isError && <ErrorAlert error={suggestions.error} />}
      {suggestions.data && suggestions.data.items.length > 0 && (
        <Stack gap="xs" component="section" aria-labelledby="merge-suggestions">
          <Title order={3} size="h5" id="merge-suggestions">
            {t('merge.suggestions')}
          </Title>
          {suggestions.data.items.map((suggestion) => {
            const other = suggestion.customers.find((c) => c.id !== customer.id);
            if (!other) return null;
            const note = suggestion.reasons
              .map((r) =>
                reasonSentence(r, t, { customers: suggestion.customers, fieldLabels, formatPhone }),
              )
              .join(' · ');
            return (
              <Candidate key={suggestion.id} customer={other} note={note} onPick={props.onPick} />
            );
          })}
        </Stack>
      )}
      <TextInput
        label={t('merge.search')}
        placeholder={t('merge.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        data-autofocus
      />
      {search.isFetching && <Loader size="sm" aria-label={t('app.loading')} />}
      {search.isError && <ErrorAlert error={search.error} />}
      {search.data && debounced && found.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('merge.noResults', { q: debounced })}
        </Text>
      )}
      {debounced &&
        found.map((other) => <Candidate key={other.id} customer={other} onPick={props.onPick} />)}
    </Stack>
  );
}
