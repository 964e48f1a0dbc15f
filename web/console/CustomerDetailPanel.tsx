// The customer's detail panel: the built-in properties and custom fields the account chose under
// Administration → Detail panel, in that order (the type only while "show customer type" is on).
import {
  Anchor,
  Badge,
  DataList,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomField, PanelItem } from '../../common/custom-field.ts';
import type { Customer } from '../../common/customer.ts';
import {
  fieldLabel,
  useAccountSettings,
  useCustomerTypes,
  useCustomFields,
} from '../api/account-data.ts';
import { formatAttributeValue } from '../components/CustomAttributeBadges.tsx';
import { CustomFieldValueText } from '../components/CustomFieldValue.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { PhoneNumber } from '../components/PhoneNumber.tsx';
import { formatDateTime } from '../i18n/index.ts';

const CREATED_VIA = ['agent', 'api', 'email', 'sms', 'hub', 'import'] as const;

function createdVia(via: string, t: TFunction): string {
  return (CREATED_VIA as readonly string[]).includes(via)
    ? t(`createdVia.${via as (typeof CREATED_VIA)[number]}`)
    : via;
}

interface Row {
  id: string;
  label: string;
  value: ReactNode;
}

/** The primary address or number first, then every other one marked as additional. */
function IdentityList({
  primary,
  additional,
  scheme,
  t,
}: {
  primary: string | null;
  additional: string[];
  scheme: 'mailto' | 'tel';
  t: TFunction;
}) {
  if (!primary && additional.length === 0) return <>{t('app.emptyValue')}</>;
  const link = (value: string) =>
    scheme === 'tel' ? (
      <PhoneNumber value={value} />
    ) : (
      <Anchor href={`${scheme}:${value}`} size="sm">
        {value}
      </Anchor>
    );
  return (
    <Stack gap={4}>
      {primary && link(primary)}
      {additional.map((value) => (
        <Group key={value} gap={6} wrap="nowrap">
          {link(value)}
          <Badge size="xs" variant="light" color="gray">
            {t('customer.additional')}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}

/** The built-in property labels, shared with the panel editor. */
export function propertyLabel(key: Extract<PanelItem, { kind: 'property' }>['key'], t: TFunction) {
  return t(`panel.properties.${key}`);
}

function rowsFor(
  item: PanelItem,
  customer: Customer,
  context: { t: TFunction; fields: Map<string, CustomField>; typeName: string | null },
): Row[] {
  const { t, fields } = context;
  const empty = t('app.emptyValue');
  if (item.kind === 'field') {
    const field = fields.get(item.key);
    if (!field) return [];
    const value = (
      <CustomFieldValueText field={field} value={customer.customAttributes[field.key]} />
    );
    return [{ id: `field:${field.key}`, label: fieldLabel(field), value }];
  }
  const row = (value: ReactNode): Row[] => [
    { id: `property:${item.key}`, label: propertyLabel(item.key, t), value },
  ];
  switch (item.key) {
    case 'number':
      return row(customer.number);
    case 'firstName':
      return row(customer.firstName || empty);
    case 'lastName':
      return row(customer.lastName || empty);
    case 'email':
      return row(
        <IdentityList
          primary={customer.email}
          additional={customer.additionalEmails}
          scheme="mailto"
          t={t}
        />,
      );
    case 'phone':
      return row(
        <IdentityList
          primary={customer.phone}
          additional={customer.additionalPhones}
          scheme="tel"
          t={t}
        />,
      );
    case 'organization':
      return row(
        customer.organizationId ? (
          <Anchor component={Link} to={`/organizations/${customer.organizationId}`} size="sm">
            {customer.organizationName ?? customer.organizationId}
          </Anchor>
        ) : (
          t('organizations.none')
        ),
      );
    case 'type':
      return row(context.typeName ?? empty);
    case 'status':
      return row(t(`status.${customer.status}`));
    case 'createdVia':
      return row(createdVia(customer.createdVia, t));
    case 'createdAt':
      return row(formatDateTime(customer.createdAt));
    case 'customAttributes': {
      const freeform = Object.entries(customer.customAttributes).filter(
        ([key, value]) => !fields.has(key) && formatAttributeValue(value),
      );
      if (freeform.length === 0) return row(t('customer.noAttributes'));
      return freeform.map(([key, value]) => ({
        id: `attribute:${key}`,
        label: key,
        value: formatAttributeValue(value),
      }));
    }
  }
}

export function CustomerDetailPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const settings = useAccountSettings();
  const fields = useCustomFields('customer');
  const types = useCustomerTypes();

  let content: ReactNode;
  const error = settings.error ?? fields.error;
  if (error) content = <ErrorAlert error={error} />;
  else if (!settings.data || !fields.data)
    content = <Loader size="sm" aria-label={t('app.loading')} />;
  else {
    const context = {
      t,
      fields: new Map(fields.data.map((field) => [field.key, field])),
      typeName: types.data?.find((type) => type.id === customer.typeId)?.name ?? null,
    };
    const rows = settings.data.customerPanel
      .filter(
        (item) => settings.data.showCustomerType || item.kind !== 'property' || item.key !== 'type',
      )
      .flatMap((item) => rowsFor(item, customer, context));
    const half = Math.ceil(rows.length / 2);
    content = (
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        {[rows.slice(0, half), rows.slice(half)].map((column, index) => (
          <DataList key={index} labelWidth={170}>
            {column.map((row) => (
              <DataList.Item key={row.id} data-panel-item={row.id}>
                <DataList.ItemLabel>{row.label}</DataList.ItemLabel>
                <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>
                  {row.value}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
          </DataList>
        ))}
      </SimpleGrid>
    );
  }

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="details-title">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="details-title">
          {t('customer.details')}
        </Title>
      </Group>
      {content}
    </Paper>
  );
}
