// The bar over the customer list while customers are selected (issue 16): how many, the offer
// to select all matching the filter, and the bulk actions: move, deactivate or reactivate (each
// confirmed by the page, then undoable), export as CSV (of the filter when all matching are
// selected, else of the selected ids), clear.
import { Button, Group, Paper, Text } from '@mantine/core';
import {
  IconArrowsRightLeft,
  IconCircleCheck,
  IconFileExport,
  IconUserOff,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { BULK_LIMIT } from '../../../common/customer-bulk.ts';
import type { CustomerStatus } from '../../../common/customer.ts';
import { SelectAllMatching } from '../../components/DataList.tsx';
import { formatNumber } from '../../i18n/index.ts';

interface Props {
  count: number;
  /** The whole page is selected (or all matching): offer, or show, all matching. */
  offerAll: boolean;
  pageCount: number;
  total: number;
  totalCapped?: boolean;
  allMatching: boolean;
  onSelectAll: () => void;
  onClear: () => void;
  onMove: () => void;
  /** Null without the customers.delete permission. */
  onStatus: ((action: 'deactivate' | 'reactivate') => void) | null;
  /** Which list this is: its customers can be deactivated, or reactivated. */
  status: CustomerStatus;
  /** The filter's export, when all matching are selected. */
  exportHref: string | null;
  /** The selection's export, when some are selected. */
  onExportSelected: (() => void) | null;
  exporting: boolean;
}

export function SelectionBar(props: Props) {
  const { t } = useTranslation();
  const { onStatus } = props;
  const exportIcon = <IconFileExport size={14} />;
  return (
    <Paper
      withBorder
      radius="md"
      px="md"
      py="xs"
      bg="blue.0"
      role="region"
      aria-label={t('select.bar')}
    >
      <Group justify="space-between" gap="xs">
        <Group gap="md">
          <Text size="sm" fw={500}>
            {t('select.count', { count: props.count, formatted: formatNumber(props.count) })}
          </Text>
          {props.offerAll && (
            <SelectAllMatching
              pageCount={props.pageCount}
              total={props.total}
              totalCapped={props.totalCapped}
              limit={BULK_LIMIT}
              allMatching={props.allMatching}
              onSelectAll={props.onSelectAll}
              onClear={props.onClear}
            />
          )}
        </Group>
        <Group gap="xs">
          <Button size="xs" leftSection={<IconArrowsRightLeft size={14} />} onClick={props.onMove}>
            {t('move.action')}
          </Button>
          {onStatus &&
            (props.status === 'active' ? (
              <Button
                size="xs"
                variant="light"
                color="red"
                leftSection={<IconUserOff size={14} />}
                onClick={() => onStatus('deactivate')}
              >
                {t('customers.deactivate')}
              </Button>
            ) : (
              <Button
                size="xs"
                variant="light"
                color="green"
                leftSection={<IconCircleCheck size={14} />}
                onClick={() => onStatus('reactivate')}
              >
                {t('customers.reactivate')}
              </Button>
            ))}
          {props.exportHref && (
            <Button
              size="xs"
              variant="default"
              component="a"
              href={props.exportHref}
              download
              leftSection={exportIcon}
            >
              {t('bulk.export')}
            </Button>
          )}
          {props.onExportSelected && (
            <Button
              size="xs"
              variant="default"
              leftSection={exportIcon}
              loading={props.exporting}
              onClick={props.onExportSelected}
            >
              {t('bulk.export')}
            </Button>
          )}
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            leftSection={<IconX size={14} />}
            onClick={props.onClear}
          >
            {t('select.clear')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
