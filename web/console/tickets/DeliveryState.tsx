// An emailed reply's delivery as the agent reads it under the reply: queued, sent (when),
// failed (the mail server's answer), held (why), discarded; and the same words for the toast
// after Send, so it says what actually happened rather than "sent".
import { Group, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBan,
  IconCheck,
  IconClockHour4,
  IconHandStop,
} from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HOLD_REASONS, type MessageDelivery } from '../../../common/outbox.ts';
import { formatDateTime } from '../../i18n/index.ts';

function holdReason(delivery: MessageDelivery, t: TFunction): string {
  const known = HOLD_REASONS.find((r) => r === delivery.holdReason);
  return known ? t(`outbox.holdReason.${known}`) : (delivery.holdReason ?? '');
}

/** The delivery state in one sentence (the conversation's line). */
export function deliveryText(delivery: MessageDelivery, t: TFunction): string {
  switch (delivery.status) {
    case 'sent':
      return t('tickets.delivery.sent', { time: formatDateTime(delivery.sentAt ?? '') });
    case 'failed':
      return t('tickets.delivery.failed', { error: delivery.lastError ?? '' });
    case 'held':
      return t('tickets.delivery.held', { reason: holdReason(delivery, t) });
    case 'discarded':
      return t('tickets.delivery.discarded');
    default:
      return delivery.lastError
        ? t('tickets.delivery.retrying', { count: delivery.attempts, error: delivery.lastError })
        : t('tickets.delivery.queued');
  }
}

/** What the toast after Send says: the reply's state as the server answered it. */
export function replyOutcome(delivery: MessageDelivery | null | undefined, t: TFunction): string {
  if (!delivery) return t('tickets.reply.notEmailed');
  switch (delivery.status) {
    case 'sent':
      return t('tickets.reply.sent');
    case 'held':
      return t('tickets.reply.held', { reason: holdReason(delivery, t) });
    case 'failed':
      return t('tickets.reply.failed', { error: delivery.lastError ?? '' });
    default:
      return t('tickets.reply.queued');
  }
}

/** True while the state can still change by itself (the ticket page polls faster then). */
export function deliveryPending(delivery: MessageDelivery | null): boolean {
  return delivery?.status === 'queued';
}

const LOOK: Record<string, { color: string; icon: ReactNode }> = {
  sent: { color: 'green.8', icon: <IconCheck size={14} aria-hidden /> },
  failed: { color: 'red.8', icon: <IconAlertTriangle size={14} aria-hidden /> },
  held: { color: 'orange.9', icon: <IconHandStop size={14} aria-hidden /> },
  discarded: { color: 'dimmed', icon: <IconBan size={14} aria-hidden /> },
  queued: { color: 'blue.8', icon: <IconClockHour4 size={14} aria-hidden /> },
};

export function DeliveryState({ delivery }: { delivery: MessageDelivery }) {
  const { t } = useTranslation();
  const look = LOOK[delivery.status] ?? LOOK.queued;
  const text = deliveryText(delivery, t);
  return (
    <Tooltip label={text} multiline maw={420} openDelay={400}>
      <Group
        gap={4}
        wrap="nowrap"
        mt="xs"
        justify="flex-end"
        data-delivery={delivery.status}
        role="status"
        aria-label={`${t('tickets.delivery.label')}: ${text}`}
      >
        <Text span c={look?.color} style={{ display: 'inline-flex', flexShrink: 0 }}>
          {look?.icon}
        </Text>
        <Text size="xs" c={look?.color} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
          {text}
        </Text>
      </Group>
    </Tooltip>
  );
}
