// Administration → Custom fields: the fields customers and organizations carry, in the order forms
// show them; create, edit, reorder (up/down) and delete.
import {
  ActionIcon,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../common/custom-field.ts';
import { fieldLabel, useCustomFields } from '../../api/account-data.ts';
import { customFieldsApi, keys, type CustomFieldEntity } from '../../api/kunde.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { AdminPage } from './AdminPage.tsx';
import { CustomFieldFormModal } from './CustomFieldFormModal.tsx';

export function CustomFieldsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<CustomFieldEntity>('customer');
  const fields = useCustomFields(entity);
  const [formOpen, form] = useDisclosure(false);
  const [editing, setEditing] = useState<CustomField | undefined>(undefined);
  const [deleting, setDeleting] = useState<CustomField | null>(null);

  const reorder = useMutation({
    mutationFn: async (ordered: CustomField[]) => {
      for (const [position, field] of ordered.entries()) {
        if (field.position !== position) await customFieldsApi.update(field.id, { position });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.customFields }),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const remove = useMutation({
    mutationFn: (field: CustomField) => customFieldsApi.remove(field.id),
    onSuccess: async (_, field) => {
      setDeleting(null);
      notifications.show({
        color: 'gray',
        message: t('admin.fields.deleted', { label: field.label }),
      });
      await queryClient.invalidateQueries({ queryKey: keys.customFields });
      await queryClient.invalidateQueries({ queryKey: keys.settings });
    },
  });

  function openForm(field?: CustomField) {
    setEditing(field);
    form.open();
  }

  function move(index: number, by: -1 | 1) {
    const list = [...(fields.data ?? [])];
    const [field] = list.splice(index, 1);
    if (!field) return;
    list.splice(index + by, 0, field);
    reorder.mutate(list);
  }

  const list = fields.data ?? [];
  return (
    <AdminPage
      title={t('admin.fields.title')}
      description={t('admin.fields.intro')}
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={() => openForm()}>
          {t('admin.fields.new')}
        </Button>
      }
    >
      <SegmentedControl
        aria-label={t('admin.fields.entity')}
        value={entity}
        onChange={(value) => setEntity(value)}
        data={[
          { value: 'customer', label: t('admin.fields.forCustomers') },
          { value: 'organization', label: t('admin.fields.forOrganizations') },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {fields.isError && <ErrorAlert error={fields.error} />}
      {fields.isPending && <Loader aria-label={t('app.loading')} />}
      {fields.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>{t('admin.fields.label')}</Table.Th>
                  <Table.Th>{t('admin.fields.key')}</Table.Th>
                  <Table.Th>{t('admin.fields.type')}</Table.Th>
                  <Table.Th>{t('admin.fields.options')}</Table.Th>
                  <Table.Th w={1}>{t('customers.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: reorder.isPending ? 0.6 : 1 }}>
                {list.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text c="dimmed" ta="center" py="lg">
                        {t('admin.fields.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {list.map((field, index) => (
                  <Table.Tr key={field.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text size="sm" fw={500}>
                          {fieldLabel(field)}
                        </Text>
                        {field.required && (
                          <Badge size="xs" variant="light" color="red">
                            {t('admin.fields.requiredBadge')}
                          </Badge>
                        )}
                      </Group>
                      {field.labelNb && fieldLabel(field) !== field.labelNb && (
                        <Text size="xs" c="dimmed">
                          {field.labelNb}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Code>{field.key}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`admin.fields.types.${field.type}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {field.type === 'regex'
                          ? field.pattern
                          : field.options.join(', ') || t('app.emptyValue')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t('admin.moveUp', { name: field.label })}
                          disabled={index === 0 || reorder.isPending}
                          onClick={() => move(index, -1)}
                        >
                          <IconArrowUp size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t('admin.moveDown', { name: field.label })}
                          disabled={index === list.length - 1 || reorder.isPending}
                          onClick={() => move(index, 1)}
                        >
                          <IconArrowDown size={16} />
                        </ActionIcon>
                        <Tooltip label={t('admin.edit', { name: field.label })}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('admin.edit', { name: field.label })}
                            onClick={() => openForm(field)}
                          >
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('admin.remove', { name: field.label })}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('admin.remove', { name: field.label })}
                            onClick={() => setDeleting(field)}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <CustomFieldFormModal
        key={`${editing?.id ?? 'new'}-${String(formOpen)}-${entity}`}
        opened={formOpen}
        onClose={form.close}
        entity={entity}
        field={editing}
      />
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={t('admin.fields.deleteTitle', { label: deleting?.label ?? '' })}
        confirmLabel={t('admin.fields.deleteConfirm')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        busy={remove.isPending}
        error={remove.error}
      >
        {t('admin.fields.deleteExplain')}
      </ConfirmModal>
    </AdminPage>
  );
}
