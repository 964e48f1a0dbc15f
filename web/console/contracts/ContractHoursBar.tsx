// Hours used and left as a bar: blue below the threshold, orange past it, red past the hours.
import { Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Contract } from '../../../common/contract.ts';
import { formatNumber } from '../../i18n/index.ts';

export function ContractHoursBar({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  if (!contract.hasHourRestriction || contract.contractHours === null)
    return (
      <Text size="sm">
        {t('contracts.usedUnlimited', { used: formatNumber(contract.hoursUsed) })}
      </Text>
    );
  const share = Math.min(100, (contract.hoursUsed / contract.contractHours) * 100);
  const color =
    contract.hoursUsed > contract.contractHours
      ? 'red'
      : contract.hoursNotificationThreshold !== null &&
          contract.hoursUsed >= contract.hoursNotificationThreshold
        ? 'orange'
        : 'blue';
  return (
    <Stack gap={4}>
      <Progress
        value={share}
        color={color}
        size="lg"
        aria-label={t('contracts.hoursBar')}
        role="progressbar"
      />
      <Group justify="space-between">
        <Text size="sm">
          {t('contracts.used', {
            used: formatNumber(contract.hoursUsed),
            hours: formatNumber(contract.contractHours),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('contracts.left', { left: formatNumber(contract.hoursLeft ?? 0) })}
        </Text>
      </Group>
    </Stack>
  );
}
