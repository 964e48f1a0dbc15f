// The notification after a change the agent can take back: what happened, and an Undo button
// that closes it and runs the undo (moving customers, the list's bulk actions).
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';

export function showUndoNotification(options: {
  /** Distinguishes this notification from the next one of its kind. */
  idPrefix: string;
  message: string;
  autoClose: number;
  onUndo: () => void;
  t: TFunction;
}): void {
  const id = `${options.idPrefix}-${Date.now()}`;
  notifications.show({
    id,
    color: 'green',
    autoClose: options.autoClose,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{options.message}</Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            notifications.hide(id);
            options.onUndo();
          }}
        >
          {options.t('move.undo')}
        </Button>
      </Group>
    ),
  });
}
