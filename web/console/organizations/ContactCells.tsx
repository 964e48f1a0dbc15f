// The cells of a contact's row in the Customer Contacts tab: a field with its edit icon that
// turns into an input with Save (an inline edit, refused when someone saved in between), and the
// default location, saved as soon as it is chosen.
import { ActionIcon, Anchor, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Contact, ContactUpdate } from '../../../common/contact.ts';
import type { Location } from '../../../common/location.ts';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/kunde.ts';
import { contactsApi } from '../../api/organization-places.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

export const CONTACT_FIELDS = ['firstName', 'lastName', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** The server's messages for a field, in the agent's language. */
export function useFieldError(error: unknown) {
  const { t } = useTranslation();
  return (field: string) => {
    if (!(error instanceof ApiError)) return null;
    const errors = error.fieldErrorsOf(field);
    return errors.length ? errors.map((e) => localizeFieldError(e, t)).join('; ') : null;
  };
}

/** The contact's default location (their new tickets start there), saved as soon as chosen. */
export function DefaultLocationCell({
  organizationId,
  contact,
  locations,
  canEdit,
}: {
  organizationId: string;
  contact: Contact;
  locations: Location[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const name = displayName(contact);
  const save = useMutation({
    mutationFn: (defaultLocationId: string | null) =>
      contactsApi.update(organizationId, contact.id, {
        defaultLocationId,
        version: contact.version,
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('contacts.defaultLocationSaved', { name }) });
      await queryClient.invalidateQueries({ queryKey: keys.customers });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
  const options = locations
    .filter((l) => l.active || l.id === contact.defaultLocationId)
    .map((l) => ({
      value: l.id,
      label: l.active ? l.name : t('ticketPlace.deactivated', { name: l.name }),
    }));
  if (!canEdit) {
    const current = locations.find((l) => l.id === contact.defaultLocationId);
    return <Text size="sm">{current?.name ?? t('app.emptyValue')}</Text>;
  }
  return (
    <Select
      size="xs"
      aria-label={t('contacts.defaultLocationOf', { name })}
      placeholder={t('contacts.noDefaultLocation')}
      data={options}
      value={contact.defaultLocationId}
      onChange={(value) => value !== contact.defaultLocationId && save.mutate(value)}
      clearable
      disabled={save.isPending}
      w={180}
    />
  );
}

/** One field of a contact: its value with an edit icon, or an input with Save while editing. */
export function EditableCell({
  organizationId,
  contact,
  field,
  canEdit,
  first,
}: {
  organizationId: string;
  contact: Contact;
  field: ContactField;
  canEdit: boolean;
  first: boolean;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const label = t(`contacts.${field}`);
  const name = displayName(contact);
  const save = useMutation({
    mutationFn: (value: string) => {
      const patch: ContactUpdate = { version: contact.version };
      patch[field] = value.trim() || null;
      return contactsApi.update(organizationId, contact.id, patch);
    },
    onSuccess: async () => {
      setDraft(null);
      notifications.show({ color: 'green', message: t('contacts.saved') });
      await queryClient.invalidateQueries({ queryKey: keys.customers });
    },
    onError: async (error) => {
      // Someone saved in between: show theirs, keep what was typed to try again.
      if (error instanceof ApiError && error.code === 'version_conflict') {
        notifications.show({ color: 'orange', message: t('form.versionConflict') });
        await queryClient.invalidateQueries({ queryKey: keys.customers });
      }
    },
  });
  const fieldError = useFieldError(save.error);
  const value = contact[field];

  if (draft === null) {
    const shown = value ?? t('app.emptyValue');
    return (
      <Group gap={4} wrap="nowrap">
        {first ? (
          <Anchor component={Link} to={`/customers/${contact.id}`} size="sm">
            {shown}
          </Anchor>
        ) : (
          <Text size="sm">{shown}</Text>
        )}
        {canEdit && (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={t('contacts.editField', { field: label, name })}
            onClick={() => {
              save.reset();
              setDraft(value ?? '');
            }}
          >
            <IconPencil size={14} />
          </ActionIcon>
        )}
      </Group>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };
  const otherError =
    save.error &&
    !fieldError(field) &&
    !(save.error instanceof ApiError && save.error.code === 'version_conflict')
      ? errorMessage(save.error, t)
      : null;
  return (
    <form onSubmit={submit} noValidate>
      <Group gap={4} wrap="nowrap" align="flex-start">
        <TextInput
          size="xs"
          aria-label={label}
          value={draft}
          autoFocus
          type={field === 'email' ? 'email' : 'text'}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Escape' && setDraft(null)}
          error={fieldError(field) ?? otherError}
        />
        <Button
          size="xs"
          type="submit"
          loading={save.isPending}
          leftSection={<IconCheck size={14} />}
        >
          {t('app.save')}
        </Button>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={t('app.cancel')}
          onClick={() => setDraft(null)}
        >
          <IconX size={14} />
        </ActionIcon>
      </Group>
    </form>
  );
}
