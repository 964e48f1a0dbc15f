// /hub/:slug/tickets/:id: the conversation (agents' internal notes never reach the Hub), a reply
// with attachments, and "Mark as resolved" on the customer's own unresolved ticket.
import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCheck, IconPaperclip } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { HubMessage } from '../../../common/hub.ts';
import { ApiError } from '../../api/client.ts';
import { formatNameOrPhone } from '../../../common/phone-format.ts';
import { hubApi, hubKeys } from '../api.ts';
import { AttachmentInput, useAttachmentProblem } from '../components/AttachmentInput.tsx';
import { HubErrorAlert, useFieldError } from '../components/HubError.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatBytes, formatDateTime, useHubT } from '../i18n/index.ts';
import { useSite } from '../session.tsx';

export function TicketPage() {
  const { t } = useHubT();
  const site = useSite();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const ticket = useQuery({ queryKey: hubKeys.ticket(id), queryFn: () => hubApi.ticket(id) });
  const resolve = useMutation({
    mutationFn: () => hubApi.resolve(id),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('ticket.resolved') });
      await queryClient.invalidateQueries({ queryKey: hubKeys.tickets });
    },
  });
  const back = (
    <Anchor component={Link} to={`/${site.slug}/tickets`} size="sm">
      <IconArrowLeft size={14} style={{ verticalAlign: 'middle' }} aria-hidden /> {t('ticket.back')}
    </Anchor>
  );

  if (ticket.isPending) return back;
  if (ticket.isError) {
    return (
      <Stack>
        {back}
        {ticket.error instanceof ApiError && ticket.error.status === 404 ? (
          <Text>{t('ticket.notFound')}</Text>
        ) : (
          <HubErrorAlert error={ticket.error} />
        )}
      </Stack>
    );
  }
  const data = ticket.data;
  const unresolved = data.status === 'open' || data.status === 'pending';

  return (
    <Stack maw={820}>
      {back}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Box style={{ minWidth: 0 }}>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {data.subject}
          </Title>
          <Group gap="xs" mt={4}>
            <Text c="dimmed" size="sm">
              #{data.number}
            </Text>
            <StatusBadge status={data.status} />
            {!data.mine && (
              <Text size="sm" c="dimmed">
                {t('ticket.raisedBy', {
                  name: formatNameOrPhone(data.requesterName, site.phoneCountry),
                })}
              </Text>
            )}
            {data.organizationName && (
              <Text size="sm" c="dimmed">
                {t('ticket.organization', { name: data.organizationName })}
              </Text>
            )}
          </Group>
        </Box>
        {data.mine && unresolved && (
          <Button
            variant="light"
            color="green"
            leftSection={<IconCheck size={16} />}
            loading={resolve.isPending}
            onClick={() => resolve.mutate()}
          >
            {t('ticket.resolve')}
          </Button>
        )}
      </Group>
      {resolve.isError && <HubErrorAlert error={resolve.error} />}
      <Stack gap="sm" component="ol" p={0} m={0} aria-label={t('ticket.conversation')}>
        {data.messages.map((message) => (
          <MessageCard key={message.id} message={message} />
        ))}
      </Stack>
      <ReplyForm ticketId={id} reopens={!unresolved} />
    </Stack>
  );
}

function MessageCard({ message }: { message: HubMessage }) {
  const { t } = useHubT();
  const fromAgent = message.author === 'agent';
  const name = message.author === 'me' ? t('ticket.me') : message.authorName;
  return (
    <Box component="li" style={{ listStyle: 'none' }}>
      <Paper
        withBorder
        p="sm"
        radius="md"
        bg={fromAgent ? 'blue.0' : 'white'}
        ml={fromAgent ? 0 : 'auto'}
        maw="92%"
        role="article"
        aria-label={name}
        data-author={message.author}
      >
        <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate>
              {name}
            </Text>
            {fromAgent && (
              <Badge size="xs" variant="light" radius="sm">
                {t('ticket.agent')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" component="time" dateTime={message.createdAt}>
            {formatDateTime(message.createdAt)}
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.text}
        </Text>
        {message.attachments.length > 0 && (
          <Stack gap={2} mt="xs" role="list" aria-label={t('ticket.attachments')}>
            {message.attachments.map((attachment) => (
              <Group key={attachment.id} gap={6} wrap="nowrap" role="listitem">
                <IconPaperclip size={14} aria-hidden />
                <Anchor href={attachment.url} download={attachment.filename} size="sm" truncate>
                  {attachment.filename}
                </Anchor>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {formatBytes(attachment.sizeBytes)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Paper>
    </Box>
  );
}

function ReplyForm({ ticketId, reopens }: { ticketId: string; reopens: boolean }) {
  const { t } = useHubT();
  const queryClient = useQueryClient();
  const attachmentProblem = useAttachmentProblem();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [checked, setChecked] = useState(false);
  const reply = useMutation({
    mutationFn: () => hubApi.reply(ticketId, text.trim(), files),
    onSuccess: async () => {
      setText('');
      setFiles([]);
      setChecked(false);
      notifications.show({ color: 'green', message: t('ticket.replySent') });
      await queryClient.invalidateQueries({ queryKey: hubKeys.tickets });
    },
  });
  const fieldError = useFieldError(reply.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!text.trim() || attachmentProblem(files)) return;
    reply.mutate();
  }

  return (
    <Paper withBorder p="sm" radius="md" component="form" onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('ticket.reply')}
        </Title>
        {reply.isError && <HubErrorAlert error={reply.error} />}
        <Textarea
          label={t('ticket.replyLabel')}
          description={reopens ? t('ticket.reopenNote') : undefined}
          autosize
          minRows={3}
          value={text}
          error={
            (checked && !text.trim() ? t('newTicket.required') : undefined) ?? fieldError('text')
          }
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <AttachmentInput files={files} onChange={setFiles} error={fieldError('files')} />
        <Group justify="flex-end">
          <Button type="submit" loading={reply.isPending}>
            {t('ticket.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
