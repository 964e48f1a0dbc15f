// Administration → Detail panel: which built-in properties and customer fields a customer's page
// shows, in which order. Add, remove, move up/down, then save (PUT /settings/customer-panel).
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  DEFAULT_PANEL,
  PANEL_PROPERTIES,
  type CustomField,
  type PanelItem,
} from '../../../common/custom-field.ts';
import type { AccountSettings } from '../../../common/settings.ts';
import { fieldLabel, useAccountSettings, useCustomFields } from '../../api/account-data.ts';
import { keys, settingsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { propertyLabel } from '../CustomerDetailPanel.tsx';
import { AdminPage } from './AdminPage.tsx';

const itemId = (item: PanelItem) => `${item.kind}:${item.key}`;

export function DetailPanelPage() {
  const { t } = useTranslation();
  const settings = useAccountSettings();
  const fields = useCustomFields('customer');
  const error = settings.error ?? fields.error;
  return (
    <AdminPage title={t('admin.panel.title')} description={t('admin.panel.intro')}>
      {error && <ErrorAlert error={error} />}
      {!error && (!settings.data || !fields.data) && <Loader aria-label={t('app.loading')} />}
      {settings.data && fields.data && (
        <PanelEditor settings={settings.data} fields={fields.data} />
      )}
    </AdminPage>
  );
}

function PanelEditor({ settings, fields }: { settings: AccountSettings; fields: CustomField[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const byKey = new Map(fields.map((field) => [field.key, field]));
  // A field deleted since the panel was saved is dropped here; the server would refuse it.
  const saved = settings.customerPanel.filter(
    (item) => item.kind !== 'field' || byKey.has(item.key),
  );
  const [items, setItems] = useState<PanelItem[]>(saved);
  const [adding, setAdding] = useState<string | null>(null);
  const changed = JSON.stringify(items) !== JSON.stringify(settings.customerPanel);

  const save = useMutation({
    mutationFn: () => settingsApi.setCustomerPanel({ items }),
    onSuccess: (panel) => {
      queryClient.setQueryData<AccountSettings>(keys.settings, (current) =>
        current ? { ...current, customerPanel: panel.items } : current,
      );
      notifications.show({ color: 'green', message: t('admin.panel.saved') });
    },
  });

  const label = (item: PanelItem) => {
    if (item.kind === 'property') return propertyLabel(item.key, t);
    const field = byKey.get(item.key);
    return field ? fieldLabel(field) : item.key;
  };
  const shown = new Set(items.map(itemId));
  const available = [
    {
      group: t('admin.panel.properties'),
      items: PANEL_PROPERTIES.filter((key) => !shown.has(`property:${key}`)).map((key) => ({
        value: `property:${key}`,
        label: propertyLabel(key, t),
      })),
    },
    {
      group: t('admin.panel.fields'),
      items: fields
        .filter((field) => !shown.has(`field:${field.key}`))
        .map((field) => ({ value: `field:${field.key}`, label: fieldLabel(field) })),
    },
  ].filter((group) => group.items.length > 0);

  function add() {
    if (!adding) return;
    const separator = adding.indexOf(':');
    const key = adding.slice(separator + 1);
    const property = PANEL_PROPERTIES.find((name) => name === key);
    const item: PanelItem | null = adding.startsWith('property:')
      ? property
        ? { kind: 'property', key: property }
        : null
      : { kind: 'field', key };
    if (item) setItems([...items, item]);
    setAdding(null);
  }

  function move(index: number, by: -1 | 1) {
    const next = [...items];
    const [item] = next.splice(index, 1);
    if (!item) return;
    next.splice(index + by, 0, item);
    setItems(next);
  }

  const typeHidden = !settings.showCustomerType && shown.has('property:type');
  return (
    <Stack>
      {save.isError && <ErrorAlert error={save.error} />}
      {typeHidden && (
        <Alert color="yellow" variant="light">
          {t('admin.panel.typeHidden')}{' '}
          <Anchor component={Link} to="/admin/customers" size="sm">
            {t('nav.adminCustomers')}
          </Anchor>
        </Alert>
      )}
      <Paper withBorder radius="md" p="xs">
        <Stack gap={0} component="ol" aria-label={t('admin.panel.listLabel')} m={0} p={0}>
          {items.length === 0 && (
            <Text c="dimmed" ta="center" py="lg" component="li" style={{ listStyle: 'none' }}>
              {t('admin.panel.empty')}
            </Text>
          )}
          {items.map((item, index) => (
            <Group
              key={itemId(item)}
              component="li"
              justify="space-between"
              wrap="nowrap"
              px="sm"
              py={8}
              style={{
                listStyle: 'none',
                borderTop: index ? '1px solid var(--mantine-color-gray-2)' : undefined,
              }}
            >
              <Group gap="sm" wrap="nowrap">
                <Text size="sm" c="dimmed" w={20} ta="right">
                  {index + 1}
                </Text>
                <Text size="sm" fw={500}>
                  {label(item)}
                </Text>
                <Badge size="xs" variant="light" color={item.kind === 'field' ? 'grape' : 'gray'}>
                  {item.kind === 'field' ? t('admin.panel.field') : t('admin.panel.property')}
                </Badge>
              </Group>
              <Group gap={2} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('admin.moveUp', { name: label(item) })}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('admin.moveDown', { name: label(item) })}
                  disabled={index === items.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('admin.remove', { name: label(item) })}
                  onClick={() => setItems(items.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
          ))}
        </Stack>
      </Paper>
      {available.length > 0 && (
        <Group gap="xs" align="flex-end">
          <Select
            label={t('admin.panel.add')}
            placeholder={t('admin.panel.addPlaceholder')}
            data={available}
            value={adding}
            onChange={setAdding}
            searchable
            w={320}
          />
          <Button
            variant="light"
            leftSection={<IconPlus size={16} />}
            disabled={!adding}
            onClick={add}
          >
            {t('admin.panel.addButton')}
          </Button>
        </Group>
      )}
      <Group justify="space-between">
        <Button variant="subtle" color="gray" onClick={() => setItems(DEFAULT_PANEL)}>
          {t('admin.panel.restoreDefault')}
        </Button>
        <Group gap="xs">
          <Button
            variant="default"
            disabled={!changed || save.isPending}
            onClick={() => setItems(saved)}
          >
            {t('admin.discard')}
          </Button>
          <Button onClick={() => save.mutate()} disabled={!changed} loading={save.isPending}>
            {t('app.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
