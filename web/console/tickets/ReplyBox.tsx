// The reply box under a conversation: Send does what the account's replyStatus says (by default
// it keeps the status; the button says so when it sets one), and the menu beside it sends and
// sets another status in one go. Says where the reply goes: by email to the requester, or only
// onto the ticket when the customer has no email address; the toast after it says what really
// happened to the email (queued, held and why, sent, failed), never "sent" for mail still in
// the outbox. The "Internal note" switch keeps the text for agents only: never emailed, never
// in the Customer Hub, the status left alone.
import {
  ActionIcon,
  Button,
  Group,
  Menu,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
} from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconMail, IconNote, IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketStatus, TicketWithMessages } from '../../../common/ticket.ts';
import { useAccountSettings } from '../../api/account-data.ts';
import { ApiError } from '../../api/client.ts';
import { ticketKeys, ticketsApi } from '../../api/tickets.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';
import { replyOutcome } from './DeliveryState.tsx';
import { REQUESTER_BAR_ROOM } from './ticket-layout.ts';

const SEND_AND: TicketStatus[] = ['pending', 'resolved', 'closed'];

const OUTCOME_COLOR: Record<string, string> = { held: 'orange', failed: 'red' };

export function ReplyBox({
  ticket,
  requesterEmail,
}: {
  ticket: TicketWithMessages;
  /** undefined while the customer loads. */
  requesterEmail: string | null | undefined;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const replyStatus = useAccountSettings().data?.replyStatus ?? 'keep';
  // What the primary button sends: always explicit, so it does what its label said even if the
  // setting changed since the page loaded.
  const primaryStatus = replyStatus === 'keep' ? ticket.status : replyStatus;
  const menuChoices: (TicketStatus | 'keep')[] = [
    ...(replyStatus === 'keep' ? [] : (['keep'] as const)),
    ...SEND_AND.filter((status) => status !== replyStatus),
  ];

  const reply = useMutation({
    mutationFn: (status?: TicketStatus) =>
      ticketsApi.reply(ticket.id, {
        text: text.trim(),
        ...(status ? { status } : {}),
        ...(internal ? { internal: true } : {}),
      }),
    onSuccess: async (updated) => {
      setText('');
      queryClient.setQueryData(ticketKeys.one(ticket.id), updated);
      // The reply is the newest message; its delivery is the outbox's answer, not a guess.
      const delivery = internal ? null : (updated.messages.at(-1)?.delivery ?? null);
      const what = internal ? t('tickets.reply.noteSaved') : replyOutcome(delivery, t);
      notifications.show({
        color: (delivery && OUTCOME_COLOR[delivery.status]) ?? 'green',
        message:
          updated.status === ticket.status
            ? what
            : t('tickets.reply.withStatus', {
                what,
                status: t(`tickets.status.${updated.status}`),
              }),
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] }),
        queryClient.invalidateQueries({ queryKey: ['tickets', 'customer'] }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.outbox }),
      ]);
    },
  });

  const send = (status?: TicketStatus) => {
    if (text.trim() && !reply.isPending) reply.mutate(status);
  };
  const sendPrimary = () => send(internal ? undefined : primaryStatus);
  const fieldError =
    reply.error instanceof ApiError ? reply.error.fieldErrorsOf('text')[0] : undefined;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={t('tickets.reply.title')}
      bg={internal ? 'yellow.0' : undefined}
    >
      <Stack gap="sm">
        {reply.isError && !fieldError && <ErrorAlert error={reply.error} />}
        <Switch
          label={t('tickets.reply.internal')}
          description={t('tickets.reply.internalHint')}
          checked={internal}
          onChange={(event) => setInternal(event.currentTarget.checked)}
          color="yellow"
        />
        <Textarea
          aria-label={internal ? t('tickets.reply.noteLabel') : t('tickets.reply.label')}
          placeholder={
            internal ? t('tickets.reply.notePlaceholder') : t('tickets.reply.placeholder')
          }
          autosize
          minRows={4}
          maxRows={16}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={getHotkeyHandler([['mod+Enter', sendPrimary]])}
          error={fieldError ? localizeFieldError(fieldError, t) : undefined}
          disabled={reply.isPending}
        />
        <Group
          justify="space-between"
          wrap="nowrap"
          align="center"
          // Scrolled to, the buttons stop above the requester bar, not under it.
          style={{ scrollMarginBottom: REQUESTER_BAR_ROOM }}
        >
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            {internal ? (
              <IconNote size={16} color="var(--mantine-color-yellow-7)" aria-hidden />
            ) : requesterEmail === null ? (
              <IconNote size={16} color="var(--mantine-color-orange-6)" aria-hidden />
            ) : (
              <IconMail size={16} color="var(--mantine-color-gray-6)" aria-hidden />
            )}
            <Text size="xs" c={requesterEmail === null ? 'orange.8' : 'dimmed'} truncate>
              {internal
                ? t('tickets.reply.internalHint')
                : requesterEmail === null
                  ? t('tickets.reply.noEmail')
                  : requesterEmail
                    ? t('tickets.reply.emailedTo', { email: requesterEmail })
                    : ''}{' '}
              <Text span size="xs" c="dimmed" visibleFrom="md">
                · {t('tickets.reply.hotkey')}
              </Text>
            </Text>
          </Group>
          <Group gap={0} wrap="nowrap">
            <Button
              leftSection={<IconSend size={16} />}
              onClick={sendPrimary}
              loading={reply.isPending}
              disabled={!text.trim()}
              style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
            >
              {internal
                ? t('tickets.reply.saveNote')
                : replyStatus === 'keep'
                  ? t('tickets.reply.send')
                  : t('tickets.reply.sendAnd', { status: t(`tickets.status.${replyStatus}`) })}
            </Button>
            <Menu position="bottom-end" shadow="md" withinPortal>
              <Menu.Target>
                <ActionIcon
                  size={36}
                  variant="filled"
                  aria-label={t('tickets.reply.moreOptions')}
                  disabled={!text.trim() || reply.isPending}
                  style={{
                    borderTopLeftRadius: 0,
                    borderBottomLeftRadius: 0,
                    borderLeft: '1px solid var(--mantine-color-blue-4)',
                  }}
                >
                  <IconChevronDown size={16} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {menuChoices.map((status) => (
                  <Menu.Item
                    key={status}
                    onClick={() => send(status === 'keep' ? ticket.status : status)}
                  >
                    {status === 'keep'
                      ? t('tickets.reply.sendKeep')
                      : t('tickets.reply.sendAnd', { status: t(`tickets.status.${status}`) })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
