// A ticket's conversation: the customer's messages on the left, agents' replies on the right,
// system notes in the middle. HTML mail (already sanitized by the server) is shown in a sandboxed
// frame that can run no script and load nothing remote; the plain text is one click away.
// Internal notes (agents only) are yellow and labelled; an agent message the requester opened in
// the Customer Hub says when; an emailed reply says how its email is doing (DeliveryState.tsx).
import { Anchor, Avatar, Badge, Box, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconPaperclip } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketMessage } from '../../../common/ticket.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { DeliveryState } from './DeliveryState.tsx';
import { ChannelLabel, formatBytes, formatRelative, initialsOf } from './ticket-ui.tsx';

export function Conversation({ messages }: { messages: TicketMessage[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" component="ol" aria-label={t('tickets.conversation')} p={0} m={0}>
      {messages.map((message) => (
        <Box component="li" key={message.id} style={{ listStyle: 'none' }}>
          {message.authorType === 'system' ? (
            <Text size="xs" c="dimmed" ta="center">
              {message.text} · {formatDateTime(message.createdAt)}
            </Text>
          ) : (
            <MessageBubble message={message} />
          )}
        </Box>
      ))}
    </Stack>
  );
}

function MessageBubble({ message }: { message: TicketMessage }) {
  const { t } = useTranslation();
  const fromAgent = message.authorType === 'agent';
  const [asText, setAsText] = useState(false);
  const showHtml = Boolean(message.html) && !asText;

  return (
    <Group
      align="flex-start"
      gap="sm"
      wrap="nowrap"
      style={{ flexDirection: fromAgent ? 'row-reverse' : 'row' }}
      data-author={message.authorType}
      aria-label={t(fromAgent ? 'tickets.fromAgent' : 'tickets.fromCustomer', {
        name: message.authorName,
      })}
      role="article"
    >
      <Avatar
        radius="xl"
        color={fromAgent ? 'blue' : 'gray'}
        variant={fromAgent ? 'filled' : 'light'}
      >
        {initialsOf({ name: message.authorName.replace(/^(.+),\s*(.+)$/, '$2 $1') })}
      </Avatar>
      <Paper
        withBorder
        radius="md"
        p="md"
        bg={message.internal ? 'yellow.0' : fromAgent ? 'blue.0' : 'white'}
        data-internal={message.internal || undefined}
        style={{
          flex: 1,
          maxWidth: '85%',
          minWidth: 0,
          borderColor: message.internal
            ? 'var(--mantine-color-yellow-4)'
            : fromAgent
              ? 'var(--mantine-color-blue-2)'
              : undefined,
        }}
      >
        <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate>
              {message.authorName}
            </Text>
            <Badge size="xs" variant="light" color={fromAgent ? 'blue' : 'gray'} radius="sm">
              {fromAgent ? t('tickets.agent') : t('tickets.customer')}
            </Badge>
            {message.internal && (
              <Badge size="xs" variant="filled" color="yellow" radius="sm">
                {t('tickets.internalNote')}
              </Badge>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {message.channel !== 'agent' && <ChannelLabel channel={message.channel} />}
            <Tooltip label={formatDateTime(message.createdAt)}>
              <Text size="xs" c="dimmed" component="time" dateTime={message.createdAt}>
                {formatRelative(message.createdAt, t)}
              </Text>
            </Tooltip>
          </Group>
        </Group>
        {showHtml && message.html ? (
          <SandboxedHtml html={message.html} title={message.authorName} />
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {message.text}
          </Text>
        )}
        {message.html && (
          <Anchor
            component="button"
            type="button"
            size="xs"
            c="dimmed"
            mt={6}
            onClick={() => setAsText(!asText)}
          >
            {asText ? t('tickets.showFormatted') : t('tickets.showText')}
          </Anchor>
        )}
        {message.attachments.length > 0 && (
          <Stack gap={4} mt="sm" aria-label={t('tickets.attachments')} role="list">
            {message.attachments.map((attachment) => (
              <Group key={attachment.id} gap={6} wrap="nowrap" role="listitem">
                <IconPaperclip size={14} color="var(--mantine-color-gray-6)" aria-hidden />
                <Anchor href={attachment.url} download={attachment.filename} size="sm" truncate>
                  {attachment.filename}
                </Anchor>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {formatBytes(attachment.sizeBytes)}
                </Text>
                <IconDownload size={14} color="var(--mantine-color-gray-5)" aria-hidden />
              </Group>
            ))}
          </Stack>
        )}
        {message.delivery && <DeliveryState delivery={message.delivery} />}
        {message.hubSeenAt && (
          <Text size="xs" c="dimmed" mt="xs" ta="right">
            {t('tickets.seenInHub', { time: formatDateTime(message.hubSeenAt) })}
          </Text>
        )}
      </Paper>
    </Group>
  );
}

// No scripts (sandbox without allow-scripts), nothing fetched from elsewhere (CSP), links open
// in a new tab. allow-same-origin only lets the console measure the content's height.
const FRAME_HEAD =
  '<meta charset="utf-8">' +
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">' +
  '<base target="_blank">' +
  '<style>html,body{margin:0;padding:0}body{display:flow-root}body>:first-child{margin-top:0}body>:last-child{margin-bottom:0}body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.55;color:#212529;overflow-wrap:anywhere}img{max-width:100%;height:auto}blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid #dee2e6;color:#868e96}table{max-width:100%}pre{white-space:pre-wrap}</style>';

function SandboxedHtml({ html, title }: { html: string; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(40);
  const observer = useRef<ResizeObserver | null>(null);
  const watch = useCallback(() => {
    const body = frame.current?.contentDocument?.body;
    if (!body) return;
    const measure = () =>
      setHeight(Math.min(Math.max(Math.ceil(body.getBoundingClientRect().height), 20), 4000));
    measure();
    observer.current?.disconnect();
    observer.current = new ResizeObserver(measure);
    observer.current.observe(body);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return (
    <iframe
      ref={frame}
      title={title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      srcDoc={`<!doctype html><html><head>${FRAME_HEAD}</head><body>${html}</body></html>`}
      onLoad={watch}
      style={{ width: '100%', height, border: 0, display: 'block', background: 'transparent' }}
    />
  );
}
