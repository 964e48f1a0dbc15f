// Administration → Customers → Retention: the retention period (days, counted in the account's
// time zone), how long export archives are kept (exportRetentionDays: then their files are
// deleted) and the daily purge, with how many customers the next run would erase shown before
// the purge is turned on.
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_EXPORT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  type AccountSettings,
} from '../../../common/settings.ts';
import { ApiError } from '../../api/client.ts';
import { erasureApi, erasureKeys } from '../../api/erasure.ts';
import { keys, settingsApi } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localizeFieldError } from '../../i18n/server-messages.ts';

function timeZones(current: string): string[] {
  const known = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.(
    'timeZone',
  );
  const zones = known ?? [current];
  return zones.includes(current) ? zones : [current, ...zones];
}

export function RetentionSettings({ settings }: { settings: AccountSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number>(settings.customerRetentionDays);
  const [exportDays, setExportDays] = useState<number>(settings.exportRetentionDays);
  const [zone, setZone] = useState(settings.timeZone);
  const [enabled, setEnabled] = useState(settings.retentionPurgeEnabled);
  const zones = useMemo(() => timeZones(settings.timeZone), [settings.timeZone]);
  const preview = useQuery({ queryKey: erasureKeys.preview, queryFn: erasureApi.preview });
  const changed =
    days !== settings.customerRetentionDays ||
    exportDays !== settings.exportRetentionDays ||
    zone !== settings.timeZone ||
    enabled !== settings.retentionPurgeEnabled;
  const save = useMutation({
    mutationFn: () =>
      settingsApi.update({
        customerRetentionDays: days,
        exportRetentionDays: exportDays,
        timeZone: zone,
        retentionPurgeEnabled: enabled,
      }),
    onSuccess: async (next) => {
      queryClient.setQueryData(keys.settings, next);
      notifications.show({ color: 'green', message: t('form.saved') });
      await queryClient.invalidateQueries({ queryKey: erasureKeys.preview });
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const errorFor = (field: string) =>
    apiError?.errors
      .filter((e) => e.field === field)
      .map((e) => localizeFieldError(e, t))
      .join('; ') || undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (changed) save.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={t('erasure.retentionTitle')}>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="lg">
          <Title order={2} size="h4">
            {t('erasure.retentionTitle')}
          </Title>
          {save.isError && !(apiError?.status === 422 && apiError.errors.length) && (
            <ErrorAlert error={save.error} />
          )}
          <NumberInput
            label={t('erasure.retentionDays')}
            description={t('erasure.retentionDaysHint')}
            min={0}
            max={MAX_RETENTION_DAYS}
            allowDecimal={false}
            value={days}
            onChange={(value) => setDays(typeof value === 'number' ? value : Number(value) || 0)}
            maw={240}
            error={errorFor('customerRetentionDays')}
          />
          <NumberInput
            label={t('erasure.exportRetentionDays')}
            description={t('erasure.exportRetentionDaysHint')}
            min={1}
            max={MAX_EXPORT_RETENTION_DAYS}
            allowDecimal={false}
            value={exportDays}
            onChange={(value) =>
              setExportDays(typeof value === 'number' ? value : Number(value) || 0)
            }
            maw={240}
            error={errorFor('exportRetentionDays')}
          />
          <Select
            label={t('erasure.timeZone')}
            description={t('erasure.timeZoneHint')}
            data={zones}
            value={zone}
            onChange={(next) => next && setZone(next)}
            searchable
            allowDeselect={false}
            maw={360}
            error={errorFor('timeZone')}
          />
          <Switch
            label={t('erasure.purgeEnabled')}
            description={t('erasure.purgeEnabledHint')}
            checked={enabled}
            onChange={(event) => setEnabled(event.currentTarget.checked)}
          />
          {preview.data && (
            <Alert variant="light" color={preview.data.count ? 'orange' : 'gray'} role="status">
              {preview.data.customerRetentionDays === 0
                ? t('erasure.previewNoPeriod')
                : t(preview.data.enabled ? 'erasure.previewOn' : 'erasure.previewOff', {
                    count: preview.data.count,
                    more: preview.data.capped ? '+' : '',
                  })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" disabled={!changed} loading={save.isPending}>
              {t('erasure.saveRetention')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </form>
  );
}
