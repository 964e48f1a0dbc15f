// Adding a contact, shared by the Contacts tab's Add New Contact row and the ticket form's New
// Customer Contact modal: the identity rule as a question. When the email already belongs to a
// customer the server answers 409 email_belongs_to_customer; this asks the agent, and only a
// confirmed "link" moves that customer into the organization (never a second customer).
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, ContactCreate, EmailOwner } from '../../../common/contact.ts';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/kunde.ts';
import { contactsApi } from '../../api/organization-places.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCustomerDisplayName } from '../../components/PhoneNumber.tsx';

export interface AddContact {
  add: (values: ContactCreate) => void;
  pending: boolean;
  /** The last refusal other than the question (shown by the form, fields under their inputs). */
  error: ApiError | Error | null;
  reset: () => void;
  /** The modal that asks to link an existing customer; render it once beside the form. */
  linkModal: ReactNode;
}

function ownerOf(error: unknown): EmailOwner | null {
  if (!(error instanceof ApiError) || error.code !== 'email_belongs_to_customer') return null;
  const owner = error.extra.customer;
  return typeof owner === 'object' && owner !== null ? (owner as EmailOwner) : null;
}

export function useAddContact(
  organization: { id: string; name: string },
  onAdded: (contact: Contact) => void,
): AddContact {
  const { t } = useTranslation();
  const displayName = useCustomerDisplayName();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<{ owner: EmailOwner; values: ContactCreate } | null>(null);

  const create = useMutation({
    mutationFn: (values: ContactCreate) => contactsApi.create(organization.id, values),
    onSuccess: async (contact, values) => {
      setAsking(null);
      notifications.show({
        color: 'green',
        message: values.link
          ? t('contacts.linked', {
              name: displayName(contact),
              organization: organization.name,
            })
          : t('contacts.added', { name: displayName(contact) }),
      });
      onAdded(contact);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.customers }),
        queryClient.invalidateQueries({ queryKey: keys.organizations }),
      ]);
    },
    onError: (error, values) => {
      const owner = ownerOf(error);
      if (owner && !values.link) setAsking({ owner, values });
    },
  });

  // The question is the modal's; a refusal of the confirmed link shows there too.
  const formError = create.error && !ownerOf(create.error) && !asking ? create.error : null;
  const owner = asking?.owner;
  const linkModal = (
    <Modal
      opened={asking !== null}
      onClose={() => setAsking(null)}
      title={<Text fw={600}>{t('contacts.linkTitle', { email: owner?.email ?? '' })}</Text>}
    >
      {owner && (
        <Stack>
          {asking?.values.link && create.isError && <ErrorAlert error={create.error} />}
          <Text size="sm">
            {owner.organizationName
              ? t('contacts.linkExplainOther', {
                  name: owner.name,
                  email: owner.email,
                  organization: owner.organizationName,
                  target: organization.name,
                })
              : t('contacts.linkExplainNone', {
                  name: owner.name,
                  email: owner.email,
                  target: organization.name,
                })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(null)} disabled={create.isPending}>
              {t('app.cancel')}
            </Button>
            <Button
              loading={create.isPending}
              onClick={() => asking && create.mutate({ ...asking.values, link: true })}
            >
              {t('contacts.linkConfirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );

  return {
    add: (values) => create.mutate({ ...values, link: false }),
    pending: create.isPending && !asking,
    error: formError,
    reset: () => {
      create.reset();
      setAsking(null);
    },
    linkModal,
  };
}
