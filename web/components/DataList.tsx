// The parts every console list is built from (issue 16): sortable column headers (aria-sort),
// a column chooser remembered per agent, the footer with "26–50 of 2,025", the page size and
// Previous / Next, and the "select all N matching" offer. The position lives in the URL
// (list-state.ts); the list decides what its columns hold.
import {
  Button,
  Checkbox,
  Group,
  Menu,
  Select,
  Table,
  Text,
  UnstyledButton,
  type TableThProps,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconColumns } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/index.ts';
import { PAGE_SIZES, type ListState, type PageSize } from './list-state.ts';

export interface ListColumn<K extends string> {
  key: K;
  label: string;
  /** Shown until the agent hides it. */
  defaultVisible?: boolean;
}

/** A header that sorts the list by its column; the sorted one says which way (aria-sort). */
export function SortableTh<S extends string>({
  column,
  list,
  children,
  disabled = false,
  ...rest
}: {
  column: S;
  list: ListState<S>;
  children: ReactNode;
  /** The list cannot be sorted now (search results come in their own order). */
  disabled?: boolean;
} & TableThProps) {
  if (disabled)
    return (
      <Table.Th style={{ whiteSpace: 'nowrap', overflow: 'hidden' }} {...rest}>
        {children}
      </Table.Th>
    );
  const active = list.sort === column;
  const Icon = active ? (list.order === 'asc' ? IconArrowUp : IconArrowDown) : IconArrowsSort;
  return (
    <Table.Th
      aria-sort={active ? (list.order === 'asc' ? 'ascending' : 'descending') : 'none'}
      {...rest}
    >
      <UnstyledButton
        onClick={() => list.sortBy(column)}
        style={{
          display: 'inline-flex',
          alignItems: 'center',
          gap: 4,
          whiteSpace: 'nowrap',
          maxWidth: '100%',
          overflow: 'hidden',
        }}
        fw={700}
        fz="sm"
      >
        {children}
        <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.4 }} />
      </UnstyledButton>
    </Table.Th>
  );
}

/**
 * Which columns an agent shows, remembered in this browser for this agent (localStorage keyed
 * by the agent's id; Kunde has no server-side store of agent preferences).
 */
export function useColumnChoice<K extends string>(
  list: string,
  userId: string,
  columns: ListColumn<K>[],
) {
  const storageKey = `kunde.columns.${userId}.${list}`;
  const [hidden, setHidden] = useState<Set<K>>(() => {
    const known = new Set(columns.map((c) => c.key));
    try {
      const saved = localStorage.getItem(storageKey);
      if (saved) {
        const parsed: unknown = JSON.parse(saved);
        if (Array.isArray(parsed))
          return new Set(parsed.filter((key): key is K => known.has(key as K)));
      }
    } catch {
      // An unreadable choice is the default one.
    }
    return new Set(columns.filter((c) => c.defaultVisible === false).map((c) => c.key));
  });
  return {
    columns,
    visible: (key: K) => !hidden.has(key),
    toggle: (key: K, show: boolean) => {
      const next = new Set(hidden);
      if (show) next.delete(key);
      else next.add(key);
      setHidden(next);
      try {
        localStorage.setItem(storageKey, JSON.stringify([...next]));
      } catch {
        // Private mode: the choice lasts this page.
      }
    },
  };
}

export type ColumnChoice<K extends string> = ReturnType<typeof useColumnChoice<K>>;

export function ColumnChooser<K extends string>({ choice }: { choice: ColumnChoice<K> }) {
  const { t } = useTranslation();
  return (
    <Menu closeOnItemClick={false} position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" size="xs" leftSection={<IconColumns size={14} />}>
          {t('list.columns')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('list.columnsShown')}</Menu.Label>
        {choice.columns.map((column) => (
          <Checkbox
            key={column.key}
            label={column.label}
            checked={choice.visible(column.key)}
            onChange={(event) => choice.toggle(column.key, event.currentTarget.checked)}
            px="sm"
            py={6}
          />
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

export function ListFooter<S extends string>(props: {
  list: ListState<S>;
  shown: number;
  total: number;
  totalCapped?: boolean;
  nextCursor: string | undefined;
  previousCursor?: string;
  /** While a page loads, Next would skip ahead from the old one. */
  loading?: boolean;
  /** The position of the rows shown (the page still on screen while the next one loads). */
  offset?: number;
}) {
  const { t } = useTranslation();
  const { list, shown } = props;
  const offset = props.offset ?? list.offset;
  // "26–50 of 2,025", or "of more than 10,000" when the server stopped counting.
  const values = {
    from: formatNumber(offset),
    to: formatNumber(offset + shown - 1),
    total: formatNumber(props.total),
  };
  const range =
    shown === 0
      ? t('list.none')
      : props.totalCapped
        ? t('list.rangeCapped', values)
        : t('list.range', values);
  return (
    <Group justify="space-between" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite" data-list-range>
        {range}
      </Text>
      <Group gap="xs">
        <Select
          aria-label={t('list.pageSize')}
          data={PAGE_SIZES.map((size) => ({
            value: String(size),
            label: t('list.perPage', { count: size }),
          }))}
          value={String(list.size)}
          onChange={(value) => value && list.setSize(Number(value) as PageSize)}
          allowDeselect={false}
          w={130}
          size="xs"
          comboboxProps={{ withinPortal: true }}
        />
        <Button
          variant="default"
          size="xs"
          disabled={list.page <= 1 || props.loading}
          onClick={() => list.previous(props.previousCursor)}
        >
          {t('customers.previous')}
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!props.nextCursor || props.loading}
          onClick={() => props.nextCursor && list.next(props.nextCursor)}
        >
          {t('customers.next')}
        </Button>
      </Group>
    </Group>
  );
}

/**
 * After the whole page is selected: "All 25 on this page are selected. Select all 2,025
 * matching", and once taken, "All 2,025 matching are selected. Clear selection".
 */
export function SelectAllMatching(props: {
  pageCount: number;
  total: number;
  /** More match than a bulk action takes (or counting stopped): offered no further. */
  limit: number;
  totalCapped?: boolean;
  allMatching: boolean;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  if (props.allMatching) {
    return (
      <Group gap="xs">
        <Text size="sm">
          {t('list.allMatchingSelected', {
            count: props.total,
            formatted: formatNumber(props.total),
          })}
        </Text>
        <Button size="compact-sm" variant="subtle" onClick={props.onClear}>
          {t('select.clear')}
        </Button>
      </Group>
    );
  }
  if (props.total <= props.pageCount) return null;
  const tooMany = props.totalCapped || props.total > props.limit;
  return (
    <Group gap="xs">
      <Text size="sm">
        {t('list.pageSelected', {
          count: props.pageCount,
          formatted: formatNumber(props.pageCount),
        })}
      </Text>
      {tooMany ? (
        <Text size="sm" c="dimmed">
          {t('list.tooManyToSelect', { formatted: formatNumber(props.limit) })}
        </Text>
      ) : (
        <Button size="compact-sm" variant="subtle" onClick={props.onSelectAll}>
          {t('list.selectAllMatching', {
            count: props.total,
            formatted: formatNumber(props.total),
          })}
        </Button>
      )}
    </Group>
  );
}
