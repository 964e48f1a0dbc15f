// /hub/:slug/tickets/new: subject, message, attachments and, for a customer granted organizations,
// whom the ticket is raised for. Sent as multipart/form-data; the new ticket opens on success.
import { Button, Group, Paper, Select, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { hubApi, hubKeys } from '../api.ts';
import { AttachmentInput, useAttachmentProblem } from '../components/AttachmentInput.tsx';
import { HubErrorAlert, useFieldError } from '../components/HubError.tsx';
import { useHubT } from '../i18n/index.ts';
import { useMe, useSite } from '../session.tsx';

export function NewTicketPage() {
  const { t } = useHubT();
  const site = useSite();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const attachmentProblem = useAttachmentProblem();
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [organizationId, setOrganizationId] = useState('');
  const [checked, setChecked] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      hubApi.createTicket({
        subject: subject.trim(),
        message: message.trim(),
        organizationId: organizationId || null,
        files,
      }),
    onSuccess: async (ticket) => {
      await queryClient.invalidateQueries({ queryKey: hubKeys.tickets });
      await navigate(`/${site.slug}/tickets/${ticket.id}`);
    },
  });
  const fieldError = useFieldError(create.error);
  const required = (value: string) =>
    checked && !value.trim() ? t('newTicket.required') : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!subject.trim() || !message.trim() || attachmentProblem(files)) return;
    create.mutate();
  }

  return (
    <Paper withBorder p="md" radius="md" maw={720}>
      <Title order={1} size="h2" mb="md">
        {t('newTicket.title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          {create.isError && <HubErrorAlert error={create.error} />}
          {me.organizations.length > 0 && (
            <Select
              label={t('newTicket.organization')}
              value={organizationId}
              allowDeselect={false}
              data={[
                { value: '', label: t('newTicket.ownOrganization') },
                ...me.organizations.map((o) => ({ value: o.id, label: o.name })),
              ]}
              error={fieldError('organizationId')}
              onChange={(value) => setOrganizationId(value ?? '')}
            />
          )}
          <TextInput
            label={t('newTicket.subject')}
            value={subject}
            maxLength={500}
            autoFocus
            error={required(subject) ?? fieldError('subject')}
            onChange={(event) => setSubject(event.currentTarget.value)}
          />
          <Textarea
            label={t('newTicket.message')}
            value={message}
            autosize
            minRows={5}
            error={required(message) ?? fieldError('message')}
            onChange={(event) => setMessage(event.currentTarget.value)}
          />
          <AttachmentInput files={files} onChange={setFiles} error={fieldError('files')} />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to={`/${site.slug}/tickets`}>
              {t('newTicket.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('newTicket.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
