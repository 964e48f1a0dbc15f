// Add or edit a location of an organization: name, address lines, postal code, city, country,
// phone and notes. The server's field errors show under their inputs.
import { Button, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Location, LocationCreate } from '../../../common/location.ts';
import { ApiError } from '../../api/client.ts';
import { locationsApi, placeKeys } from '../../api/organization-places.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

const FIELDS = [
  'name',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'phone',
  'notes',
] as const;
type Field = (typeof FIELDS)[number];
type Form = Record<Field, string>;

function formOf(location?: Location): Form {
  const form = {} as Form;
  for (const field of FIELDS) form[field] = location?.[field] ?? '';
  return form;
}

export function LocationFormModal({
  opened,
  onClose,
  organizationId,
  location,
}: {
  opened: boolean;
  onClose: () => void;
  organizationId: string;
  /** The location to edit; a new one when left out. */
  location?: Location;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(location));
  const [missing, setMissing] = useState(false);
  const save = useMutation({
    mutationFn: () => {
      const body: LocationCreate = { name: form.name.trim() };
      for (const field of FIELDS) if (field !== 'name') body[field] = form[field].trim() || null;
      return location
        ? locationsApi.update(organizationId, location.id, body)
        : locationsApi.create(organizationId, body);
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: location
          ? t('locations.saved', { name: saved.name })
          : t('locations.created', { name: saved.name }),
      });
      close();
      await queryClient.invalidateQueries({ queryKey: placeKeys.locations(organizationId) });
    },
  });
  function close() {
    setForm(formOf(location));
    setMissing(false);
    save.reset();
    onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = !form.name.trim();
    setMissing(empty);
    if (!empty) save.mutate();
  };
  const apiError = save.error instanceof ApiError ? save.error : null;
  const bind = (field: Field) => ({
    label: t(`locations.${field}`),
    value: form[field],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({ ...current, [field]: value }));
    },
    error:
      field === 'name' && missing
        ? t('validation.required')
        : (apiError?.fieldErrorsOf(field) ?? []).map((m) => localizeFieldError(m, t)).join('; ') ||
          null,
  });
  return (
    <Modal
      opened={opened}
      onClose={close}
      size="lg"
      title={<Text fw={600}>{location ? t('locations.edit') : t('locations.add')}</Text>}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && !(apiError && apiError.errors.length > 0) && (
            <ErrorAlert error={save.error} />
          )}
          <TextInput required data-autofocus {...bind('name')} />
          <TextInput {...bind('addressLine1')} />
          <TextInput {...bind('addressLine2')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput {...bind('postalCode')} />
            <TextInput {...bind('city')} />
            <TextInput {...bind('country')} />
          </SimpleGrid>
          <TextInput type="tel" {...bind('phone')} />
          <Textarea autosize minRows={2} maxRows={8} {...bind('notes')} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close} disabled={save.isPending}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('locations.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
