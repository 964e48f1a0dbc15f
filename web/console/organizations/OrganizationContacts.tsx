// The Customer Contacts tab (seed 002): the organization's active customers in a table, an Add
// New Contact row at the bottom (first name, last name, email, Save), an edit icon beside each
// field for an inline edit (ContactCells.tsx), a default location, and Deactivate Contact after
// a confirmation. Every change is a
// customer change on the server (the one write model), so the customer lists follow.
import { Button, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../common/contact.ts';
import type { Location } from '../../../common/location.ts';
import type { Organization } from '../../../common/organization.ts';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/kunde.ts';
import { contactsApi, locationsApi, placeKeys } from '../../api/organization-places.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Pager, useCursorPages } from '../../components/paging.tsx';
import {
  CONTACT_FIELDS,
  DefaultLocationCell,
  EditableCell,
  useFieldError,
  type ContactField,
} from './ContactCells.tsx';
import { useAddContact } from './useAddContact.tsx';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

const PAGE_SIZE = 50;

export function OrganizationContacts({
  organization,
  canEdit,
}: {
  organization: Organization;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const pages = useCursorPages({ scroll: false });
  const params = { status: 'active' as const, cursor: pages.cursor, limit: PAGE_SIZE };
  const list = useQuery({
    queryKey: placeKeys.contactList(organization.id, params),
    queryFn: () => contactsApi.list(organization.id, params),
    placeholderData: keepPreviousData,
  });
  const locations = useQuery({
    queryKey: placeKeys.locationList(organization.id, false),
    queryFn: () => locationsApi.list(organization.id),
  });
  const [deactivating, setDeactivating] = useState<Contact | null>(null);
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: (contact: Contact) =>
      contactsApi.update(organization.id, contact.id, { status: 'deactivated' }),
    onSuccess: async (contact) => {
      setDeactivating(null);
      notifications.show({
        color: 'gray',
        message: t('contacts.wasDeactivated', { name: displayName(contact) }),
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
      ]);
    },
  });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="contacts-title">
      <Title order={2} size="h4" mb="md" id="contacts-title">
        {t('contacts.title')}
      </Title>
      {list.isError && <ErrorAlert error={list.error} />}
      {!list.data && !list.isError && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data && (
        <Stack gap="xs">
          <Table.ScrollContainer minWidth={720}>
            <Table
              verticalSpacing="xs"
              aria-labelledby="contacts-title"
              style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('contacts.firstName')}</Table.Th>
                  <Table.Th>{t('contacts.lastName')}</Table.Th>
                  <Table.Th>{t('contacts.email')}</Table.Th>
                  <Table.Th>{t('contacts.defaultLocation')}</Table.Th>
                  {canEdit && <Table.Th w={1} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={canEdit ? 5 : 4}>
                      <Text size="sm" c="dimmed">
                        {t('contacts.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {list.data.items.map((contact) => (
                  <ContactRow
                    key={contact.id}
                    organizationId={organization.id}
                    contact={contact}
                    locations={locations.data?.items ?? []}
                    canEdit={canEdit}
                    onDeactivate={() => {
                      deactivate.reset();
                      setDeactivating(contact);
                    }}
                  />
                ))}
                {canEdit && <AddContactRow organization={organization} />}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={pages.page}
            nextCursor={list.data.nextCursor}
            onPrevious={pages.previous}
            onNext={pages.next}
            loading={list.isPlaceholderData}
          />
        </Stack>
      )}
      <ConfirmModal
        opened={deactivating !== null}
        onClose={() => setDeactivating(null)}
        title={t('contacts.deactivateTitle', {
          name: deactivating ? displayName(deactivating) : '',
        })}
        confirmLabel={t('contacts.deactivate')}
        onConfirm={() => deactivating && deactivate.mutate(deactivating)}
        busy={deactivate.isPending}
        error={deactivate.error}
      >
        {t('contacts.deactivateExplain', {
          name: deactivating ? displayName(deactivating) : '',
          organization: organization.name,
        })}
      </ConfirmModal>
    </Paper>
  );
}

function ContactRow({
  organizationId,
  contact,
  locations,
  canEdit,
  onDeactivate,
}: {
  organizationId: string;
  contact: Contact;
  locations: Location[];
  canEdit: boolean;
  onDeactivate: () => void;
}) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const name = displayName(contact);
  return (
    <Table.Tr>
      {CONTACT_FIELDS.map((field) => (
        <Table.Td key={field}>
          <EditableCell
            organizationId={organizationId}
            contact={contact}
            field={field}
            canEdit={canEdit}
            first={field === 'firstName'}
          />
        </Table.Td>
      ))}
      <Table.Td>
        <DefaultLocationCell
          organizationId={organizationId}
          contact={contact}
          locations={locations}
          canEdit={canEdit}
        />
      </Table.Td>
      {canEdit && (
        <Table.Td>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={onDeactivate}
            aria-label={t('contacts.deactivateNamed', { name })}
          >
            {t('contacts.deactivate')}
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

const EMPTY = { firstName: '', lastName: '', email: '' };

/** The Add New Contact row: three inputs and Save, at the foot of the table. */
function AddContactRow({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const [missing, setMissing] = useState(false);
  const adding = useAddContact(organization, () => setForm(EMPTY));
  const fieldError = useFieldError(adding.error);
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
  const input = (field: ContactField) => (
    <TextInput
      size="xs"
      form="add-contact"
      aria-label={t(`contacts.new.${field}`)}
      placeholder={t(`contacts.${field}`)}
      type={field === 'email' ? 'email' : 'text'}
      value={form[field]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setForm((current) => ({ ...current, [field]: value }));
      }}
      error={field === 'email' && missing ? t('validation.required') : fieldError(field)}
    />
  );
  const otherError =
    adding.error && adding.error instanceof ApiError && adding.error.errors.length === 0;
  return (
    <>
      <Table.Tr aria-label={t('contacts.addRow')}>
        <Table.Td>{input('firstName')}</Table.Td>
        <Table.Td>{input('lastName')}</Table.Td>
        <Table.Td>{input('email')}</Table.Td>
        <Table.Td />
        <Table.Td>
          <form id="add-contact" onSubmit={submit} noValidate>
            <Button size="xs" type="submit" loading={adding.pending}>
              {t('app.save')}
            </Button>
          </form>
        </Table.Td>
      </Table.Tr>
      {otherError && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <ErrorAlert error={adding.error} />
          </Table.Td>
        </Table.Tr>
      )}
      {adding.linkModal}
    </>
  );
}
