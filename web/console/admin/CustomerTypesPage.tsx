// Administration → Customer types: VIP, Partner, Internal, … — add, rename in place, delete (its
// customers are left without a type).
import {
  ActionIcon,
  Button,
  Group,
  Loader,
  Paper,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerType } from '../../../common/custom-field.ts';
import { useCustomerTypes } from '../../api/account-data.ts';
import { ApiError } from '../../api/client.ts';
import { customerTypesApi, keys } from '../../api/kunde.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert.tsx';
import { formatNumber } from '../../i18n/index.ts';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { AdminPage } from './AdminPage.tsx';

function nameError(error: unknown, t: TFunction) {
  if (!error) return undefined;
  if (error instanceof ApiError && error.code === 'customer_type_name_taken') {
    return t('admin.types.nameTaken');
  }
  return error instanceof ApiError && error.errors.length
    ? error.errors.map((e) => localizeFieldError(e, t)).join('; ')
    : undefined;
}

export function CustomerTypesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const types = useCustomerTypes();
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<CustomerType | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.customerTypes }),
      queryClient.invalidateQueries({ queryKey: keys.customers }),
    ]);

  const create = useMutation({
    mutationFn: () => customerTypesApi.create(name.trim()),
    onSuccess: async (type) => {
      setName('');
      notifications.show({
        color: 'green',
        message: t('admin.types.created', { name: type.name }),
      });
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (type: CustomerType) => customerTypesApi.remove(type.id),
    onSuccess: async (_, type) => {
      setDeleting(null);
      notifications.show({ color: 'gray', message: t('admin.types.deleted', { name: type.name }) });
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate();
  }

  const createError = nameError(create.error, t);
  return (
    <AdminPage title={t('admin.types.title')} description={t('admin.types.intro')}>
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" gap="xs">
          <TextInput
            aria-label={t('admin.types.newName')}
            placeholder={t('admin.types.newName')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={createError}
            w={320}
          />
          <Button
            type="submit"
            leftSection={<IconPlus size={16} />}
            loading={create.isPending}
            disabled={!name.trim()}
          >
            {t('admin.types.add')}
          </Button>
        </Group>
      </form>
      {create.isError && !createError && <ErrorAlert error={create.error} />}
      {types.isError && <ErrorAlert error={types.error} />}
      {types.isPending && <Loader aria-label={t('app.loading')} />}
      {types.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('admin.types.name')}</Table.Th>
                <Table.Th ta="right" w={140}>
                  {t('organizations.customers')}
                </Table.Th>
                <Table.Th w={1}>{t('customers.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {types.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('admin.types.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {types.data.map((type) => (
                <TypeRow key={type.id} type={type} onDelete={() => setDeleting(type)} />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={t('admin.types.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('admin.types.deleteConfirm')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        busy={remove.isPending}
        error={remove.error}
      >
        {t('admin.types.deleteExplain', { count: deleting?.customerCount ?? 0 })}
      </ConfirmModal>
    </AdminPage>
  );
}

function TypeRow({ type, onDelete }: { type: CustomerType; onDelete: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: (name: string) => customerTypesApi.update(type.id, { name }),
    onSuccess: async () => {
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: keys.customerTypes });
    },
    onError: (error) => {
      if (!nameError(error, t))
        notifications.show({ color: 'red', message: errorMessage(error, t) });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft === null || !draft.trim() || draft.trim() === type.name) return setDraft(null);
    rename.mutate(draft.trim());
  }

  return (
    <Table.Tr>
      <Table.Td>
        {draft === null ? (
          <Text size="sm" fw={500}>
            {type.name}
          </Text>
        ) : (
          <form onSubmit={submit} noValidate>
            <Group gap={4} wrap="nowrap">
              <TextInput
                size="xs"
                aria-label={t('admin.types.rename', { name: type.name })}
                value={draft}
                onChange={(event) => setDraft(event.currentTarget.value)}
                onKeyDown={(event) => event.key === 'Escape' && setDraft(null)}
                error={nameError(rename.error, t)}
                autoFocus
                w={260}
              />
              <ActionIcon
                type="submit"
                variant="light"
                aria-label={t('app.save')}
                loading={rename.isPending}
              >
                <IconCheck size={16} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('app.cancel')}
                onClick={() => setDraft(null)}
              >
                <IconX size={16} />
              </ActionIcon>
            </Group>
          </form>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm">{formatNumber(type.customerCount)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <Tooltip label={t('admin.types.rename', { name: type.name })}>
            <ActionIcon
              variant="subtle"
              aria-label={t('admin.types.rename', { name: type.name })}
              onClick={() => {
                rename.reset();
                setDraft(type.name);
              }}
            >
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('admin.remove', { name: type.name })}>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('admin.remove', { name: type.name })}
              onClick={onDelete}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
