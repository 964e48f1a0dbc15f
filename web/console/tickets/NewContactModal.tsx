// The New Customer Contact modal of the ticket form (seed 002): "Add Customer Contact for
// [organization]" with First Name, Last Name and Email Address, and "Submit New Customer
// Contact". The same identity rule as the Contacts tab (useAddContact): an existing customer's
// email is asked about and linked, never duplicated.
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../common/contact.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { useAddContact } from '../organizations/useAddContact.tsx';

const EMPTY = { firstName: '', lastName: '', email: '' };
type Field = keyof typeof EMPTY;

export function NewContactModal({
  opened,
  onClose,
  organization,
  onAdded,
}: {
  opened: boolean;
  onClose: () => void;
  organization: { id: string; name: string };
  onAdded: (contact: Contact) => void;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const [missing, setMissing] = useState(false);
  const adding = useAddContact(organization, (contact) => {
    onAdded(contact);
    close();
  });
  function close() {
    setForm(EMPTY);
    setMissing(false);
    adding.reset();
    onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = !form.email.trim();
    setMissing(empty);
    if (!empty)
      adding.add({
        firstName: form.firstName.trim() || undefined,
        lastName: form.lastName.trim() || undefined,
        email: form.email.trim(),
      });
  };
  const apiError = adding.error instanceof ApiError ? adding.error : null;
  const bind = (field: Field) => ({
    label: t(`contacts.modal.${field}`),
    value: form[field],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({ ...current, [field]: value }));
    },
    error:
      field === 'email' && missing
        ? t('validation.required')
        : (apiError?.fieldErrorsOf(field) ?? []).map((m) => localizeFieldError(m, t)).join('; ') ||
          null,
  });
  return (
    <>
      <Modal
        opened={opened}
        onClose={close}
        title={
          <Text fw={600}>{t('contacts.modal.title', { organization: organization.name })}</Text>
        }
      >
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {adding.error && !(apiError && apiError.errors.length > 0) && (
              <ErrorAlert error={adding.error} />
            )}
            <TextInput data-autofocus autoComplete="off" {...bind('firstName')} />
            <TextInput autoComplete="off" {...bind('lastName')} />
            <TextInput type="email" required autoComplete="off" {...bind('email')} />
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={close} disabled={adding.pending}>
                {t('app.cancel')}
              </Button>
              <Button type="submit" loading={adding.pending}>
                {t('contacts.modal.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      {adding.linkModal}
    </>
  );
}
