// The Outbox's buttons for one email: Release (held), Retry (failed), Discard (held, failed or
// queued; asks first). The server checks the permission and the state and records who did it;
// a refusal is worded from its code in the agent's language, and the list is reloaded so the
// row shows what the email is now.
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { OUTBOX_STATUSES, type OutboxEmail } from '../../../common/outbox.ts';
import { ApiError } from '../../api/client.ts';
import { outboxApi, ticketKeys } from '../../api/tickets.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { errorMessage } from '../../components/ErrorAlert.tsx';

type Verb = 'release' | 'retry' | 'discard';

/** The server's refusal in the agent's language, by its code; anything else as ErrorAlert says it. */
export function outboxRefusal(error: unknown, t: TFunction): string {
  if (error instanceof ApiError && error.code === 'smtp_not_configured')
    return t('outbox.refused.smtp_not_configured');
  if (error instanceof ApiError && error.code === 'outbox_state') {
    const status = OUTBOX_STATUSES.find((s) => s === error.extra.emailStatus);
    return t('outbox.refused.outbox_state', {
      status: status ? t(`outbox.status.${status}`) : String(error.extra.emailStatus),
    });
  }
  return errorMessage(error, t);
}

export function OutboxActions({ email, sending }: { email: OutboxEmail; sending: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const act = useMutation({
    mutationFn: (verb: Verb) => outboxApi[verb](email.id),
    onSuccess: (_email, verb) => {
      setConfirming(false);
      notifications.show({
        color: 'green',
        message: t(
          verb === 'release'
            ? 'outbox.released'
            : verb === 'retry'
              ? 'outbox.retried'
              : 'outbox.discarded',
        ),
      });
    },
    onError: (error) => {
      setConfirming(false);
      notifications.show({ color: 'red', message: outboxRefusal(error, t) });
    },
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ticketKeys.outbox }),
        email.ticketId
          ? queryClient.invalidateQueries({ queryKey: ticketKeys.one(email.ticketId) })
          : undefined,
      ]);
    },
  });
  const busy = (verb: Verb) => act.isPending && act.variables === verb;
  const canDiscard = ['held', 'failed', 'queued'].includes(email.status);

  return (
    <Group gap={6} wrap="nowrap">
      {email.status === 'held' && (
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => act.mutate('release')}
          loading={busy('release')}
          disabled={!sending || act.isPending}
          title={sending ? undefined : t('outbox.notSending')}
        >
          {t('outbox.release')}
        </Button>
      )}
      {email.status === 'failed' && (
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => act.mutate('retry')}
          loading={busy('retry')}
          disabled={!sending || act.isPending}
          title={sending ? undefined : t('outbox.notSending')}
        >
          {t('outbox.retry')}
        </Button>
      )}
      {canDiscard && (
        <Button
          size="compact-sm"
          variant="subtle"
          color="red"
          onClick={() => setConfirming(true)}
          disabled={act.isPending}
        >
          {t('outbox.discard')}
        </Button>
      )}
      {!canDiscard && (
        <Text size="sm" c="dimmed">
          {t('app.emptyValue')}
        </Text>
      )}
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('outbox.discardTitle')}
        confirmLabel={t('outbox.discard')}
        onConfirm={() => act.mutate('discard')}
        busy={busy('discard')}
      >
        {t('outbox.discardConfirm', { to: email.to, subject: email.subject })}
      </ConfirmModal>
    </Group>
  );
}
