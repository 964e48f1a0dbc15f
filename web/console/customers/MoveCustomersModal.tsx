// "Move to organization…": pick an organization, or "No organization", for the selected customers
// (or all matching the filter); the button names how many move.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NO_ORGANIZATION, OrganizationSelect } from '../../components/OrganizationSelect.tsx';
import { formatNumber } from '../../i18n/index.ts';
import type { MoveTarget } from './useMoveCustomers.tsx';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** How many customers move. */
  count: number;
  onMove: (target: MoveTarget) => void;
  moving: boolean;
}

export function MoveCustomersModal({ opened, onClose, count, onMove, moving }: Props) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<{ value: string | null; name: string | null }>({
    value: null,
    name: null,
  });

  function move() {
    if (!target.value) return;
    onMove({
      id: target.value === NO_ORGANIZATION ? null : target.value,
      name: target.name ?? t('organizations.none'),
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{t('move.title', { count, formatted: formatNumber(count) })}</Text>}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('move.explain', { count, formatted: formatNumber(count) })}
        </Text>
        <OrganizationSelect
          label={t('move.target')}
          placeholder={t('move.targetPlaceholder')}
          value={target.value}
          onChange={(value, name) => setTarget({ value, name })}
          withNone
          data-autofocus
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={moving}>
            {t('app.cancel')}
          </Button>
          <Button onClick={move} disabled={!target.value || count === 0} loading={moving}>
            {t('move.submit', { count, formatted: formatNumber(count) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
