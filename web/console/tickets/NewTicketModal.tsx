// New ticket on a customer's behalf: subject, first message, and the requester. Either the agent
// picks the organization, then the customer contact from a dropdown (with a New Customer Contact
// link under it, seed 002) and optionally the location and area; or, with no organization, types
// the requester's email or mobile number (found, or created when unknown). Opens the new ticket
// when it is saved.
import {
  Anchor,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Contact } from '../../../common/contact.ts';
import type { TicketCreate } from '../../../common/ticket.ts';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/kunde.ts';
import { contactsApi, locationsApi, placeKeys } from '../../api/organization-places.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { OrganizationSelect } from '../../components/OrganizationSelect.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { useCan } from '../session.tsx';
import { NewContactModal } from './NewContactModal.tsx';
import { TicketPlaceSelects, type Place } from './TicketPlaceSelects.tsx';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

const EMPTY = { subject: '', message: '', email: '', phone: '', name: '' };
const NO_PLACE: Place = { locationId: null, areaId: null };
type Field = keyof typeof EMPTY | 'contact';

export function NewTicketModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const canAddContact = useCan('customers.create_edit');
  const [form, setForm] = useState(EMPTY);
  const [organization, setOrganization] = useState<{ id: string; name: string } | null>(null);
  const [contactId, setContactId] = useState<string | null>(null);
  const [added, setAdded] = useState<Contact | null>(null);
  const [place, setPlace] = useState<Place>(NO_PLACE);
  const [addingContact, setAddingContact] = useState(false);
  const [missing, setMissing] = useState<Set<Field>>(new Set());

  const contacts = useQuery({
    queryKey: placeKeys.contactList(organization?.id ?? '', { status: 'active', limit: 200 }),
    queryFn: () => contactsApi.list(organization?.id ?? '', { status: 'active', limit: 200 }),
    enabled: organization !== null,
  });
  // The same query the location picker makes (shared cache): a contact's default location.
  const locations = useQuery({
    queryKey: placeKeys.locationList(organization?.id ?? '', false),
    queryFn: () => locationsApi.list(organization?.id ?? ''),
    enabled: organization !== null,
  });
  const contactOptions = (contacts.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.email ? `${displayName(c)} (${c.email})` : displayName(c),
  }));
  // A contact just added is chosen at once, before the list has fetched it.
  if (added && !contactOptions.some((o) => o.value === added.id))
    contactOptions.unshift({ value: added.id, label: displayName(added) });

  const create = useMutation({
    mutationFn: () => {
      const body: TicketCreate = organization
        ? {
            subject: form.subject.trim(),
            message: form.message.trim(),
            requesterId: contactId ?? undefined,
            ...(place.locationId ? { locationId: place.locationId } : {}),
            ...(place.areaId ? { areaId: place.areaId } : {}),
          }
        : {
            subject: form.subject.trim(),
            message: form.message.trim(),
            requester: {
              ...(form.email.trim() ? { email: form.email.trim() } : {}),
              ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
              ...(form.name.trim() ? { name: form.name.trim() } : {}),
            },
          };
      return ticketsApi.create(body);
    },
    onSuccess: async (ticket) => {
      notifications.show({
        color: 'green',
        message: t('tickets.created', { number: ticket.number }),
      });
      close();
      await navigate(`/tickets/${ticket.id}`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
        queryClient.invalidateQueries({ queryKey: keys.customers }),
      ]);
    },
  });

  function chooseOrganization(id: string | null, name: string | null) {
    setOrganization(id && name !== null ? { id, name } : null);
    setContactId(null);
    setAdded(null);
    setPlace(NO_PLACE);
    create.reset();
  }

  /** A contact's new tickets start at their default location (the agent may change it). */
  function chooseContact(id: string | null) {
    setContactId(id);
    const contact =
      contacts.data?.items.find((c) => c.id === id) ?? (added?.id === id ? added : null);
    const start = locations.data?.items.find((l) => l.id === contact?.defaultLocationId);
    if (start?.active) setPlace({ locationId: start.id, areaId: null });
  }

  function close() {
    setForm(EMPTY);
    chooseOrganization(null, null);
    setMissing(new Set());
    create.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const empty = new Set<Field>();
    if (!form.subject.trim()) empty.add('subject');
    if (!form.message.trim()) empty.add('message');
    if (organization && !contactId) empty.add('contact');
    if (!organization && !form.email.trim() && !form.phone.trim()) empty.add('email');
    setMissing(empty);
    if (empty.size === 0) create.mutate();
  }

  const apiError = create.error instanceof ApiError ? create.error : null;
  const serverError = (...fields: string[]) => {
    const errors = fields.flatMap((field) => apiError?.fieldErrorsOf(field) ?? []);
    return errors.length ? errors.map((e) => localizeFieldError(e, t)).join('; ') : null;
  };
  const errorFor = (field: Field) => {
    if (missing.has(field)) {
      return field === 'email' ? t('validation.emailOrPhone') : t('validation.required');
    }
    if (field === 'contact') return serverError('requesterId');
    if (field === 'email') return serverError('requester.email', 'email');
    if (field === 'phone') return serverError('requester.phone', 'phone');
    if (field === 'name') return serverError('requester.name');
    return serverError(field);
  };
  const shownElsewhere = apiError !== null && apiError.errors.length > 0;
  const bind = (field: keyof typeof EMPTY) => ({
    value: form[field],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({ ...current, [field]: value }));
    },
    error: errorFor(field),
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      size="lg"
      title={<Text fw={600}>{t('tickets.newTitle')}</Text>}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {create.isError && !shownElsewhere && <ErrorAlert error={create.error} />}
          <Text size="sm" fw={600}>
            {t('tickets.form.requester')}
          </Text>
          <OrganizationSelect
            label={t('ticketPlace.organization')}
            description={t('ticketPlace.organizationHint')}
            placeholder={t('ticketPlace.noOrganization')}
            value={organization?.id ?? null}
            onChange={chooseOrganization}
            clearable
          />
          {organization ? (
            <>
              <Stack gap={4}>
                <Select
                  label={t('ticketPlace.contact')}
                  placeholder={t('ticketPlace.chooseContact')}
                  data={contactOptions}
                  value={contactId}
                  onChange={chooseContact}
                  searchable
                  required
                  nothingFoundMessage={
                    contacts.isFetching ? t('app.loading') : t('ticketPlace.noContacts')
                  }
                  error={errorFor('contact')}
                />
                {canAddContact && (
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => setAddingContact(true)}
                  >
                    {t('contacts.newContact')}
                  </Anchor>
                )}
              </Stack>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TicketPlaceSelects
                  organizationId={organization.id}
                  value={place}
                  onChange={setPlace}
                  errors={{ locationId: serverError('locationId'), areaId: serverError('areaId') }}
                />
              </SimpleGrid>
            </>
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('tickets.form.email')}
                  type="email"
                  autoComplete="off"
                  {...bind('email')}
                />
                <TextInput
                  label={t('tickets.form.phone')}
                  type="tel"
                  autoComplete="off"
                  {...bind('phone')}
                />
              </SimpleGrid>
              <TextInput
                label={t('tickets.form.name')}
                description={t('tickets.form.nameHint')}
                autoComplete="off"
                {...bind('name')}
              />
            </>
          )}
          <TextInput label={t('tickets.form.subject')} required {...bind('subject')} />
          <Textarea
            label={t('tickets.form.message')}
            required
            autosize
            minRows={5}
            maxRows={14}
            {...bind('message')}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('tickets.form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
      {organization && (
        <NewContactModal
          opened={addingContact}
          onClose={() => setAddingContact(false)}
          organization={organization}
          onAdded={(contact) => {
            setAdded(contact);
            setContactId(contact.id);
          }}
        />
      )}
    </Modal>
  );
}
