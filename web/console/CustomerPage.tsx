// One customer: its details, Edit / Deactivate / Reactivate, and at the bottom its audit trail.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  DataList,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconPencil, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { customerDisplayName, type Customer } from '../../common/customer.ts';
import { ApiError } from '../api/client.ts';
import { customersApi, keys } from '../api/kunde.ts';
import { formatAttributeValue } from '../components/CustomAttributeBadges.tsx';
import { CustomerFormModal } from '../components/CustomerFormModal.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../i18n/index.ts';
import { AuditTrail } from './AuditTrail.tsx';
import { useCan } from './session.tsx';
import { useSetCustomerStatus } from './useCustomerStatus.ts';

export function CustomerPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const customer = useQuery({ queryKey: keys.customer(id), queryFn: () => customersApi.get(id) });

  if (customer.isError) {
    const notFound = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <Stack maw={1100}>
        <BackLink status="active" />
        {notFound ? (
          <Alert color="gray">{t('customer.notFound')}</Alert>
        ) : (
          <ErrorAlert error={customer.error} />
        )}
      </Stack>
    );
  }
  if (!customer.data) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  return <CustomerDetails customer={customer.data} />;
}

const CREATED_VIA = ['agent', 'api', 'email', 'sms', 'hub', 'import'] as const;

function createdVia(via: string, t: TFunction): string {
  return (CREATED_VIA as readonly string[]).includes(via)
    ? t(`createdVia.${via as (typeof CREATED_VIA)[number]}`)
    : via;
}

function BackLink({ status }: { status: Customer['status'] }) {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to={`/customers?status=${status}`} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} />
        {t('customer.back')}
      </Group>
    </Anchor>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function CustomerDetails({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const canEdit = useCan('customers.create_edit');
  const [editing, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const setStatus = useSetCustomerStatus();
  const empty = t('app.emptyValue');
  const name = customerDisplayName({ ...customer, email: null, phone: null });
  const attributes = Object.entries(customer.customAttributes).filter(([, value]) =>
    formatAttributeValue(value),
  );
  const locale = i18n.resolvedLanguage === 'nb' ? 'nb' : 'en';
  const active = customer.status === 'active';

  return (
    <Stack gap="lg" maw={1100}>
      <BackLink status={customer.status} />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {name || customer.email || customer.phone || t('customers.noName')}
            </Title>
            <Badge color={active ? 'green' : 'gray'} variant="light">
              {t(`status.${customer.status}`)}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            {t('customer.number')} {customer.number}
          </Text>
        </Stack>
        {canEdit && (
          <Group gap="xs">
            <Button leftSection={<IconPencil size={16} />} onClick={openEdit}>
              {t('customer.edit')}
            </Button>
            {active ? (
              <Button
                variant="light"
                color="red"
                leftSection={<IconUserOff size={16} />}
                loading={setStatus.isPending}
                onClick={() => setStatus.mutate({ customer, status: 'deactivated' })}
              >
                {t('customers.deactivate')}
              </Button>
            ) : (
              <Button
                variant="light"
                color="green"
                leftSection={<IconUserCheck size={16} />}
                loading={setStatus.isPending}
                onClick={() => setStatus.mutate({ customer, status: 'active' })}
              >
                {t('customers.reactivate')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      {!active && (
        <Alert color="gray" variant="light">
          {t('customer.deactivatedNotice')}
        </Alert>
      )}

      <Paper withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          {t('customer.details')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <DataList labelWidth={150}>
            <Field label={t('form.firstName')}>{customer.firstName || empty}</Field>
            <Field label={t('form.lastName')}>{customer.lastName || empty}</Field>
            <Field label={t('form.email')}>
              {customer.email ? (
                <Anchor href={`mailto:${customer.email}`} size="sm">
                  {customer.email}
                </Anchor>
              ) : (
                empty
              )}
            </Field>
            <Field label={t('form.phone')}>
              {customer.phone ? (
                <Anchor href={`tel:${customer.phone}`} size="sm">
                  {customer.phone}
                </Anchor>
              ) : (
                empty
              )}
            </Field>
            {customer.organizationName && (
              <Field label={t('customer.organization')}>{customer.organizationName}</Field>
            )}
          </DataList>
          <DataList labelWidth={150}>
            <Field label={t('customer.status')}>{t(`status.${customer.status}`)}</Field>
            <Field label={t('customer.createdAt')}>
              {formatDateTime(customer.createdAt, locale)}
            </Field>
            <Field label={t('customer.updatedAt')}>
              {formatDateTime(customer.updatedAt, locale)}
            </Field>
            <Field label={t('customer.createdVia')}>{createdVia(customer.createdVia, t)}</Field>
          </DataList>
        </SimpleGrid>
        <Title order={3} size="h5" mt="xl" mb="xs">
          {t('form.customAttributes')}
        </Title>
        {attributes.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('customer.noAttributes')}
          </Text>
        ) : (
          <DataList labelWidth={150}>
            {attributes.map(([key, value]) => (
              <Field key={key} label={key}>
                {formatAttributeValue(value)}
              </Field>
            ))}
          </DataList>
        )}
      </Paper>

      <AuditTrail customer={customer} />

      {canEdit && <CustomerFormModal opened={editing} onClose={closeEdit} customer={customer} />}
    </Stack>
  );
}
