// Registering or changing a webhook endpoint: its URL, a description, and the events it hears
// as checkboxes (WEBHOOK_EVENTS, each with its name in both languages). The secret is not here:
// the server answers it once, and WebhookSecretModal shows it.
import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
  type WebhookEvent,
} from '../../../common/webhook.ts';
import { ApiError } from '../../api/client.ts';
import { webhooksApi, type WebhookEndpointWithSecret } from '../../api/webhooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

export function WebhookFormModal(props: {
  /** The endpoint to edit; undefined for a new one. */
  endpoint?: WebhookEndpoint;
  onClose: () => void;
  onSaved: (saved: WebhookEndpoint | WebhookEndpointWithSecret) => void;
}) {
  const { t } = useTranslation();
  const { endpoint } = props;
  const [url, setUrl] = useState(endpoint?.url ?? 'https://');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [events, setEvents] = useState<WebhookEvent[]>(
    endpoint?.events ?? ['customer.created', 'customer.updated'],
  );

  const save = useMutation({
    mutationFn: () => {
      const body = { url: url.trim(), description: description.trim() || null, events };
      return endpoint ? webhooksApi.update(endpoint.id, body) : webhooksApi.create(body);
    },
    onSuccess: props.onSaved,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const apiError = save.error instanceof ApiError ? save.error : null;
  const fieldMessage = (field: string) =>
    apiError?.errors
      .filter((e) => e.field === field || e.field.startsWith(`${field}.`))
      .map((e) => localizeFieldError(e, t))
      .join('; ') || undefined;
  const known = ['url', 'description', 'events'];
  const showAlert =
    save.isError &&
    !apiError?.errors.some((e) => known.some((k) => e.field === k || e.field.startsWith(`${k}.`)));

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="lg"
      title={<Text fw={600}>{endpoint ? t('webhooks.editTitle') : t('webhooks.createTitle')}</Text>}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {showAlert && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('webhooks.url')}
            description={t('webhooks.urlHelp')}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={fieldMessage('url')}
            required
            data-autofocus
          />
          <TextInput
            label={t('webhooks.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fieldMessage('description')}
          />
          <Checkbox.Group
            label={t('webhooks.events')}
            value={events}
            onChange={(values) => setEvents(WEBHOOK_EVENTS.filter((e) => values.includes(e)))}
            error={fieldMessage('events')}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {WEBHOOK_EVENTS.map((event) => (
                <Checkbox
                  key={event}
                  value={event}
                  label={t(`webhooks.event.${event}`)}
                  description={event}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose} disabled={save.isPending}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {endpoint ? t('app.save') : t('webhooks.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
