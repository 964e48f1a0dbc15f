// New ticket on a customer's behalf: subject, first message, and the requester by email or
// mobile number (found, or created when unknown). Opens the new ticket when it is saved.
import { Button, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/kunde.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeServerMessage } from '../../i18n/server-messages.ts';

const EMPTY = { subject: '', message: '', email: '', phone: '', name: '' };

export function NewTicketModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState(EMPTY);
  const [missing, setMissing] = useState<Set<keyof typeof EMPTY>>(new Set());

  const create = useMutation({
    mutationFn: () =>
      ticketsApi.create({
        subject: form.subject.trim(),
        message: form.message.trim(),
        requester: {
          ...(form.email.trim() ? { email: form.email.trim() } : {}),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          ...(form.name.trim() ? { name: form.name.trim() } : {}),
        },
      }),
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

  function close() {
    setForm(EMPTY);
    setMissing(new Set());
    create.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const empty = new Set<keyof typeof EMPTY>();
    if (!form.subject.trim()) empty.add('subject');
    if (!form.message.trim()) empty.add('message');
    if (!form.email.trim() && !form.phone.trim()) empty.add('email');
    setMissing(empty);
    if (empty.size === 0) create.mutate();
  }

  const apiError = create.error instanceof ApiError ? create.error : null;
  const serverError = (...fields: string[]) => {
    const messages = fields.flatMap((field) => apiError?.fieldMessages(field) ?? []);
    return messages.length ? messages.map((m) => localizeServerMessage(m, t)).join('; ') : null;
  };
  const errorFor = (field: keyof typeof EMPTY) => {
    if (missing.has(field)) {
      return field === 'email' ? t('validation.emailOrPhone') : t('validation.required');
    }
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
    </Modal>
  );
}
