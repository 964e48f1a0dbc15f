// The export button of a customer, on the customer list's row and on the customer page. It asks
// for an archive ("Thanks! We have received your request…"), shows that it is being prepared
// (polling until it is not), and becomes "Archive Download" once the archive is ready; an
// expired or failed archive offers a new export. A download is a plain link (the zip streams to
// disk, never through the page's memory); the audit trail is refreshed to show the entry.
import { Button, Menu, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileZip } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../common/customer.ts';
import type { CustomerExport } from '../../../common/export.ts';
import { exportKeys, exportsApi } from '../../api/exports.ts';
import { keys } from '../../api/kunde.ts';
import { errorMessage } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../i18n/index.ts';

/** How often a list or page with an archive being prepared asks again. */
export const PREPARING_POLL_MS = 2000;

export function isPreparing(exports: CustomerExport[] | undefined): boolean {
  return Boolean(exports?.some((e) => e.state === 'preparing'));
}

/** The customer's newest archive, polled while it is being prepared (the customer page). */
export function useLatestExport(customerId: string, enabled: boolean) {
  const list = useQuery({
    queryKey: exportKeys.ofCustomer(customerId),
    queryFn: () => exportsApi.list(customerId),
    enabled,
    refetchInterval: (q) => (isPreparing(q.state.data?.items) ? PREPARING_POLL_MS : false),
  });
  return { latest: list.data?.items[0], loaded: list.isSuccess };
}

interface Props {
  customer: Pick<Customer, 'id'>;
  latest: CustomerExport | undefined;
  size?: 'xs' | 'sm';
}

function useRequestExport(customer: Pick<Customer, 'id'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => exportsApi.request(customer.id),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('exports.requested'), autoClose: 8000 });
      await queryClient.invalidateQueries({ queryKey: exportKeys.all });
      await queryClient.invalidateQueries({ queryKey: keys.audit(customer.id) });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
  });
}

/** The same three states as a menu item, for the list row's actions menu (issue 16). */
export function ExportMenuItem({ customer, latest }: Omit<Props, 'size'>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const request = useRequestExport(customer);
  if (latest?.state === 'ready' && latest.downloadUrl) {
    return (
      <Menu.Item
        component="a"
        href={latest.downloadUrl}
        download
        leftSection={<IconDownload size={14} />}
        onClick={() => {
          window.setTimeout(() => {
            void queryClient.invalidateQueries({ queryKey: keys.audit(customer.id) });
          }, 1000);
        }}
      >
        {t('exports.download')}
      </Menu.Item>
    );
  }
  if (latest?.state === 'preparing') {
    return (
      <Menu.Item disabled leftSection={<IconFileZip size={14} />}>
        {t('exports.preparing')}
      </Menu.Item>
    );
  }
  return (
    <Menu.Item leftSection={<IconFileZip size={14} />} onClick={() => request.mutate()}>
      {t('exports.export')}
    </Menu.Item>
  );
}

export function ExportButton({ customer, latest, size = 'sm' }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const request = useRequestExport(customer);

  if (latest?.state === 'ready' && latest.downloadUrl) {
    return (
      <Tooltip
        label={t('exports.availableUntil', { date: formatDateTime(latest.expiresAt ?? '') })}
      >
        <Button
          component="a"
          href={latest.downloadUrl}
          download
          size={size}
          variant="light"
          color="teal"
          leftSection={<IconDownload size={14} />}
          onClick={() => {
            // The entry is written as the download starts; show it a moment later.
            window.setTimeout(() => {
              void queryClient.invalidateQueries({ queryKey: keys.audit(customer.id) });
            }, 1000);
          }}
        >
          {t('exports.download')}
        </Button>
      </Tooltip>
    );
  }
  if (latest?.state === 'preparing') {
    return (
      <Button
        size={size}
        variant="light"
        loading={false}
        disabled
        leftSection={<IconFileZip size={14} />}
      >
        {t('exports.preparing')}
      </Button>
    );
  }
  const note =
    latest?.state === 'failed'
      ? t('exports.failed')
      : latest?.state === 'expired'
        ? t('exports.expired')
        : t('exports.hint');
  return (
    <Tooltip label={note}>
      <Button
        size={size}
        variant="default"
        leftSection={<IconFileZip size={14} />}
        loading={request.isPending}
        onClick={() => request.mutate()}
      >
        {t('exports.export')}
      </Button>
    </Tooltip>
  );
}
